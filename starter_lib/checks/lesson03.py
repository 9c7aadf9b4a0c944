"""Checks for lesson 03, logistic regression: sigmoid, softmax, cross-entropy, the model, its accuracy."""

from __future__ import annotations

import math

import numpy as np

from starter_lib import metrics
from starter_lib.checks.core import expect, expect_model, expect_probabilities, layers_of, returned


def check_sigmoid(sigmoid) -> None:
    """``sigmoid`` works element-wise, maps 0 to 0.5 and stays inside (0, 1)."""
    at_zero = np.asarray(returned(sigmoid, 0.0, what="sigmoid(0)"), dtype=float)
    expect(np.isclose(at_zero, 0.5), f"sigmoid(0) should be 0.5, got {float(at_zero):.4g}.")
    z = np.linspace(-8, 8, 17)
    out = np.asarray(returned(sigmoid, z, what="sigmoid(z)"), dtype=float)
    expect(out.shape == z.shape,
           f"sigmoid must work element-wise: input shape {z.shape}, output shape {out.shape}.")
    expect(bool(np.all((out > 0) & (out < 1))),
           f"sigmoid values must lie strictly between 0 and 1; for z from -8 to 8 they range from "
           f"{out.min():.4g} to {out.max():.4g}.")
    falls = np.flatnonzero(np.diff(out) <= 0)
    at = falls[0] if falls.size else 0
    expect(not falls.size, f"sigmoid must increase with z, got sigmoid({z[at]:g}) = {out[at]:.4g} "
                           f"and sigmoid({z[at + 1]:g}) = {out[at + 1]:.4g}.")
    expect(np.allclose(out + out[::-1], 1.0),
           f"sigmoid(-z) should equal 1 - sigmoid(z), got sigmoid(-2) + sigmoid(2) = {out[6] + out[10]:.4g}.")


def check_softmax(softmax) -> None:
    """``softmax`` turns each row of scores into probabilities, stably."""
    scores = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0], [-1.0, 5.0, 2.0], [3.0, 3.0, -2.0]])
    probs = np.asarray(returned(softmax, scores), dtype=float)
    expect(probs.shape == scores.shape,
           f"softmax of an array of shape {scores.shape} returned shape {probs.shape}.")
    expect(bool(np.all(probs >= 0)), f"softmax returned negative probabilities, down to {probs.min():.4g}.")
    for row, total in enumerate(probs.sum(axis=1)):
        expect(np.isclose(total, 1.0),
               f"softmax rows must sum to 1; row {row} sums to {total:.4g} "
               "(normalise over the last axis, one row at a time).")
    expect(np.allclose(probs[1], 1 / 3),
           f"equal scores must give equal probabilities; scores (0, 0, 0) gave {np.round(probs[1], 4).tolist()}.")
    expect(np.all(np.argmax(probs, axis=1) == np.argmax(scores, axis=1)),
           f"the largest score must get the largest probability; scores (-1, 5, 2) gave "
           f"{np.round(probs[2], 4).tolist()}.")
    single = np.asarray(returned(softmax, np.array([2.0, 1.0, 0.1])), dtype=float)
    expect(single.shape == (3,), f"softmax of one vector of 3 scores returned shape {single.shape}.")
    big = np.asarray(returned(softmax, np.array([[1000.0, 1001.0]])), dtype=float)
    expect(bool(np.all(np.isfinite(big))),
           f"softmax overflowed on large scores: (1000, 1001) gave {big.ravel().tolist()}. Hint: softmax(z) "
           "equals softmax(z - c) for any constant c; pick a c that keeps exp() small.")


def check_cross_entropy(cross_entropy) -> None:
    """``cross_entropy(p, q)`` matches the worked example and handles zeros."""
    p = np.array([0.0, 1.0, 0.0])
    q = np.array([0.228, 0.619, 0.153])
    value = float(returned(cross_entropy, p, q))
    expect(math.isfinite(value), f"cross_entropy of the worked example should be finite, got {value}.")
    expect(abs(value - 0.479) < 1e-3,
           f"the worked example p=(0, 1, 0), q=(0.228, 0.619, 0.153) should give H = 0.479 "
           f"(natural log), got {value:.4f}.")
    perfect = float(returned(cross_entropy, p, p))
    expect(math.isfinite(perfect) and abs(perfect) < 1e-6,
           f"a perfect prediction (q equal to p) should cost 0, got {perfect}. "
           "Terms where p is 0 must contribute 0, even where q is 0 too.")
    worse = float(returned(cross_entropy, p, np.array([0.7, 0.1, 0.2])))
    expect(worse > value, f"a worse prediction must cost more than a better one: q=(0.7, 0.1, 0.2) "
                          f"cost {worse:.4f}, the worked example's q {value:.4f}.")


def check_logistic_regression(model, image_shape, num_classes: int) -> None:
    """``model`` is a Keras logistic regression for images of ``image_shape``."""
    import keras

    expect_model(model, (None, *image_shape), (None, num_classes))
    dense = layers_of(model, keras.layers.Dense)
    expect(len(dense) == 1,
           f"a logistic regression has exactly one Dense layer and no hidden layer; found {len(dense)}.")
    features = int(np.prod(image_shape))
    want_params = features * num_classes + num_classes
    got_params = model.count_params()
    expect(got_params == want_params,
           f"a {features}->{num_classes} logistic regression has {want_params:,} parameters "
           f"(weights plus biases), yours has {got_params:,}.")
    expect_probabilities(model, image_shape)


def check_trained_model(model, x, y, min_accuracy: float) -> None:
    """``model`` classifies ``x`` with at least ``min_accuracy`` accuracy (lessons 03 to 05)."""
    import keras

    expect(isinstance(model, keras.Model), f"expected a trained keras.Model, got {type(model).__name__}.")
    got = metrics.accuracy(model, x, y)
    expect(got >= min_accuracy,
           f"accuracy on these {len(y):,} images is {got:.3f}; the bar is {min_accuracy:.2f}. "
           "Train for longer, check the learning rate, or check the inputs are scaled to [0, 1].")
