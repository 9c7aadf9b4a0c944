"""Figures the notebooks show. Every function returns its matplotlib figure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator


def image_grid(
    images: np.ndarray,
    labels: Sequence | None = None,
    class_names: Sequence[str] | None = None,
    ncols: int = 8,
    size: float = 1.4,
):
    """Show images in a grid, each titled with its label (or class name)."""
    images = np.asarray(images)
    if images.ndim not in (3, 4) or len(images) == 0:
        raise ValueError(
            "image_grid expects a non-empty batch of shape (n, height, width) or "
            f"(n, height, width, channels), got shape {images.shape}."
        )
    if labels is not None and len(labels) != len(images):
        raise ValueError(f"got {len(images)} images but {len(labels)} labels.")
    ncols = min(ncols, len(images))
    nrows = -(-len(images) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows), squeeze=False)
    for index, ax in enumerate(axes.flat):
        ax.axis("off")
        if index >= len(images):
            continue
        image = images[index]
        ax.imshow(image.squeeze(), cmap="gray" if image.squeeze().ndim == 2 else None)
        if labels is not None:
            label = labels[index]
            ax.set_title(class_names[int(label)] if class_names is not None else str(label), fontsize=9)
    fig.tight_layout()
    return fig


def training_curves(histories, metrics: Sequence[str] = ("loss", "accuracy")):
    """Plot training and validation curves, one panel per metric.

    ``histories`` is a Keras ``History``, its ``.history`` dict, or a mapping
    from a run's name to either of those (several runs on the same axes).
    """
    runs = _as_runs(histories)
    fig, axes = plt.subplots(1, len(metrics), figsize=(5 * len(metrics), 3.5), squeeze=False)
    for ax, metric in zip(axes.flat, metrics):
        for run_name, logs in runs.items():
            prefix = f"{run_name}: " if len(runs) > 1 else ""
            for key, style in ((metric, "-"), (f"val_{metric}", "--")):
                if key in logs:
                    epochs = np.arange(1, len(logs[key]) + 1)
                    ax.plot(epochs, logs[key], style, marker="o", markersize=3,
                            label=f"{prefix}{'validation' if key.startswith('val_') else 'training'}")
        ax.set_xlabel("epoch")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # epochs are whole numbers
        ax.set_ylabel(metric)
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def _as_runs(histories) -> dict[str, Mapping]:
    if hasattr(histories, "history"):
        return {"run": histories.history}
    if not isinstance(histories, Mapping):
        raise TypeError(
            "training_curves expects a History, a dict of metric lists, or a mapping of run "
            f"names to those, got {type(histories).__name__}."
        )
    if all(hasattr(run, "history") or isinstance(run, Mapping) for run in histories.values()):
        return {name: getattr(run, "history", run) for name, run in histories.items()}
    return {"run": histories}


def confusion_matrix(y_true, y_pred, class_names: Sequence[str] | None = None, normalize=None):
    """scikit-learn's confusion-matrix display: rows are true classes, columns predictions."""
    from sklearn.metrics import ConfusionMatrixDisplay

    fig, ax = plt.subplots(figsize=(6, 5))
    ConfusionMatrixDisplay.from_predictions(
        y_true, y_pred, display_labels=class_names, normalize=normalize,
        ax=ax, colorbar=False, values_format=".2f" if normalize else "d",
    )
    ax.set_title("Confusion matrix")
    fig.tight_layout()
    return fig


# --- Notebooks 06-07: regularization comparison, forecasts --------------------------

def variant_comparison(histories: Mapping, gaps: Mapping[str, float], metric: str = "loss", ncols: int = 3):
    """Compare training runs: one panel of curves per run, then a bar of each run's gap.

    ``histories`` maps a run's name to its ``History`` (or ``.history`` dict);
    ``gaps`` maps the same names to their validation-minus-training gap. The
    curve panels share their y axis so the runs can be compared by eye.
    """
    if set(gaps) != set(histories):
        raise ValueError(f"gaps must name the same runs as histories: got {sorted(gaps)} "
                         f"for {sorted(histories)}.")
    names = list(histories)
    nrows = -(-(len(names) + 1) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4 * ncols, 3 * nrows), squeeze=False)
    curve_axes = axes.flat[:len(names)]
    for ax, name in zip(curve_axes, names):
        logs = getattr(histories[name], "history", histories[name])
        for key, label in ((metric, "training"), (f"val_{metric}", "validation")):
            ax.plot(np.arange(1, len(logs[key]) + 1), logs[key], label=label)
        ax.set_title(f"{name}: gap {gaps[name]:.3f}", fontsize=10)
        ax.set_xlabel("epoch")
        ax.grid(alpha=0.3)
    curve_axes[0].legend(fontsize=8)
    curve_axes[0].set_ylabel(metric)
    for ax in curve_axes[1:]:
        ax.sharey(curve_axes[0])
    bars = axes.flat[len(names)]
    bars.barh(names[::-1], [gaps[name] for name in names[::-1]], color="tab:purple")
    bars.set_title(f"gap: validation {metric} - training {metric}", fontsize=10)
    for ax in axes.flat[len(names) + 1:]:
        ax.axis("off")
    fig.tight_layout()
    return fig


def forecast(times, truth, forecasts: Mapping[str, np.ndarray], unit: str = "", title: str = ""):
    """Plot a series and one or more forecasts of it against the same time axis."""
    times, truth = np.asarray(times), np.asarray(truth)
    if times.shape != truth.shape:
        raise ValueError(f"times and truth must have the same shape, got {times.shape} and {truth.shape}.")
    fig, ax = plt.subplots(figsize=(10, 3.5))
    ax.plot(times, truth, color="black", linewidth=2, label="truth")
    for name, predicted in forecasts.items():
        predicted = np.asarray(predicted).reshape(-1)
        if predicted.shape != truth.shape:
            raise ValueError(f"forecast {name!r} has {predicted.size} values for {truth.size} time steps.")
        ax.plot(times, predicted, linewidth=1.2, label=name)
    ax.set_xlabel("time")
    ax.set_ylabel(unit)
    ax.set_title(title)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


# --- Notebooks 04-05 ------------------------------------------------------------------

def compare_runs(histories, metric: str = "val_accuracy", title: str | None = None):
    """One metric of several training runs on one axes, one line per run.

    ``histories`` maps a run's name to its ``History`` or ``.history`` dict.
    """
    from matplotlib.ticker import MaxNLocator

    runs = _as_runs(histories)
    missing = [name for name, logs in runs.items() if metric not in logs]
    if missing:
        raise KeyError(f"runs {missing} have no {metric!r}; they have {sorted(runs[missing[0]])}.")
    fig, ax = plt.subplots(figsize=(6.5, 4))
    for name, logs in runs.items():
        ax.plot(np.arange(1, len(logs[metric]) + 1), logs[metric], marker="o", markersize=3, label=name)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("epoch")
    ax.set_ylabel(metric)
    ax.set_title(title or metric)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def decision_boundary(model, x, y, resolution: int = 100, padding: float = 0.5):
    """A 2-input binary classifier's probability over the plane, its 0.5 contour and the points."""
    x, y = np.asarray(x, dtype="float32"), np.asarray(y).reshape(-1)
    if x.ndim != 2 or x.shape[1] != 2:
        raise ValueError(f"decision_boundary expects points of shape (n, 2), got {x.shape}.")
    low, high = x.min(axis=0) - padding, x.max(axis=0) + padding
    grid_x, grid_y = np.meshgrid(np.linspace(low[0], high[0], resolution), np.linspace(low[1], high[1], resolution))
    grid = np.column_stack([grid_x.ravel(), grid_y.ravel()]).astype("float32")
    probability = np.asarray(model.predict(grid, verbose=0)).reshape(grid_x.shape)
    fig, ax = plt.subplots(figsize=(4.5, 4))
    shown = ax.contourf(grid_x, grid_y, probability, levels=np.linspace(0, 1, 11), cmap="coolwarm", alpha=0.8)
    ax.contour(grid_x, grid_y, probability, levels=[0.5], colors="black", linewidths=1.5)
    ax.scatter(x[:, 0], x[:, 1], c=y, cmap="coolwarm", edgecolors="black", s=80, vmin=0, vmax=1)
    fig.colorbar(shown, ax=ax, label="predicted probability of class 1")
    ax.set_xlabel("input 1")
    ax.set_ylabel("input 2")
    fig.tight_layout()
    return fig


# --- Notebooks 01-02: image-folder datasets ---------------------------------------------

def class_samples(images, labels, class_names: Sequence[str], per_class: int = 6, size: float = 1.2):
    """One row per class holding its first ``per_class`` images, the class name on the left."""
    images, labels = np.asarray(images), np.asarray(labels)
    if images.ndim not in (3, 4) or len(labels) != len(images) or per_class < 1:
        raise ValueError(f"expected images of shape (n, height, width[, channels]) with one label each and "
                         f"per_class >= 1, got images {images.shape}, {len(labels)} labels, per_class={per_class}.")
    fig, axes = plt.subplots(len(class_names), per_class, figsize=(size * per_class, size * len(class_names)),
                             squeeze=False)
    for label, row in enumerate(axes):
        chosen = images[labels == label][:per_class]
        for ax, image in zip(row, chosen):
            ax.imshow(image.squeeze(), cmap="gray" if image.squeeze().ndim == 2 else None)
        for ax in row:
            ax.set_xticks([])
            ax.set_yticks([])
            ax.spines[:].set_visible(False)
        row[0].set_ylabel(class_names[label], rotation=0, ha="right", va="center", fontsize=9)
    fig.tight_layout()
    return fig


def class_counts(counts: Mapping[str, Mapping[str, int]]):
    """Bars of images per class, one colour per split: ``{split: {class: count}}``."""
    if not counts or not all(isinstance(per_class, Mapping) for per_class in counts.values()):
        raise ValueError("expected {split: {class name: count}}, e.g. {'train': {'cat': 80, 'dog': 75}}, "
                         f"got {counts!r}.")
    classes = sorted({name for per_class in counts.values() for name in per_class})
    positions = np.arange(len(classes))
    width = 0.8 / len(counts)
    fig, ax = plt.subplots(figsize=(max(4, 0.8 * len(classes) + 2), 3.2))
    for index, (split, per_class) in enumerate(counts.items()):
        bars = ax.bar(positions + index * width, [per_class.get(name, 0) for name in classes], width, label=split)
        ax.bar_label(bars, fontsize=7)
    ax.set_xticks(positions + width * (len(counts) - 1) / 2, classes, rotation=30 if len(classes) > 6 else 0)
    ax.set_ylabel("images")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
