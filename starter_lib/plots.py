"""Figures the notebooks show. Every function returns its matplotlib figure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np


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
