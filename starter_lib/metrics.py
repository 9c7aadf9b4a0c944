"""Measurements the lessons print and the checks judge: accuracy, train/validation gap, forecast errors.

These measure; they do not judge. The checks in :mod:`starter_lib.checks`
compare their numbers with a lesson's bar.
"""

from __future__ import annotations

import numpy as np


def accuracy(model, x, y) -> float:
    """Share of images whose most probable class is the true label."""
    predictions = np.argmax(model.predict(x, verbose=0), axis=-1)
    return float(np.mean(predictions == np.asarray(y).reshape(-1)))


def _predict_eagerly(model, x, batch_size: int = 1024) -> np.ndarray:
    """``model``'s outputs in inference mode, without ``predict``'s per-model tracing."""
    return np.concatenate([np.asarray(model(x[start:start + batch_size], training=False), dtype=float)
                           for start in range(0, len(x), batch_size)])


def gap_report(model, x_train, y_train, x_val, y_val) -> dict[str, float]:
    """Loss and accuracy on both splits with the model in inference mode, and the gaps.

    Measured from predictions, so Dropout is off, augmentation layers do nothing
    and weight penalties are not counted: both splits are judged alike.
    """
    report = {}
    for split, x, y in (("train", x_train, y_train), ("val", x_val, y_val)):
        probs = _predict_eagerly(model, x)
        y = np.asarray(y).reshape(-1)
        report[f"{split}_loss"] = float(-np.mean(np.log(np.clip(probs[np.arange(len(y)), y], 1e-7, 1.0))))
        report[f"{split}_accuracy"] = float(np.mean(np.argmax(probs, axis=-1) == y))
    report["loss_gap"] = report["val_loss"] - report["train_loss"]
    report["accuracy_gap"] = report["train_accuracy"] - report["val_accuracy"]
    return report


def stack_batches(dataset) -> tuple[np.ndarray, np.ndarray]:
    """All ``(inputs, targets)`` of a batched dataset, concatenated."""
    batches = [(np.asarray(x), np.asarray(y)) for x, y in dataset]
    if not batches:
        raise ValueError("expected a dataset of (inputs, targets) batches, got one that holds no batch at all.")
    return np.concatenate([x for x, _ in batches]), np.concatenate([y for _, y in batches])


def forecast_errors(model, dataset) -> dict[str, float]:
    """Mean absolute error of ``model`` and of the naive last-value forecast on ``dataset``."""
    inputs, targets = stack_batches(dataset)
    predicted = np.asarray(model.predict(inputs, verbose=0)).reshape(-1)
    if predicted.shape != targets.shape:
        raise ValueError(f"expected one forecast per window, {targets.size} in all; "
                         f"the model made {predicted.size}.")
    return {"model_mae": float(np.mean(np.abs(predicted - targets))),
            "naive_mae": float(np.mean(np.abs(inputs[:, -1, 0] - targets)))}
