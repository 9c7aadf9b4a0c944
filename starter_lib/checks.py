"""Public self-checks that the visible test cells of the notebooks call.

Each check raises :class:`CheckFailed` with a message that names what is
wrong ("softmax rows must sum to 1; row 3 sums to 2.0") and never shows the
solution. A check that passes returns ``None`` quietly.
"""

from __future__ import annotations

import math

import numpy as np


class CheckFailed(AssertionError):
    """A self-check found a fault; the message says which."""


def expect(condition: bool, message: str) -> None:
    """Raise :class:`CheckFailed` with ``message`` unless ``condition`` holds."""
    if not condition:
        raise CheckFailed(message)


def _call(function, *args):
    """Call a learner's function, naming it if it returns nothing."""
    result = function(*args)
    expect(result is not None, f"{function.__name__} returned None: did you forget `return`?")
    return np.asarray(result, dtype=float)


# --- Notebook 03: logistic regression -------------------------------------------------

def check_sigmoid(sigmoid) -> None:
    """``sigmoid`` works element-wise, maps 0 to 0.5 and stays inside (0, 1)."""
    at_zero = _call(sigmoid, 0.0)
    expect(np.isclose(at_zero, 0.5), f"sigmoid(0) should be 0.5, got {float(at_zero):.4g}.")
    z = np.linspace(-8, 8, 17)
    out = _call(sigmoid, z)
    expect(out.shape == z.shape,
           f"sigmoid must work element-wise: input shape {z.shape}, output shape {out.shape}.")
    expect(bool(np.all((out > 0) & (out < 1))), "sigmoid values must lie strictly between 0 and 1.")
    expect(bool(np.all(np.diff(out) > 0)), "sigmoid must increase with z.")
    expect(np.allclose(out + out[::-1], 1.0),
           "sigmoid(-z) should equal 1 - sigmoid(z); your function is not symmetric that way.")


def check_softmax(softmax) -> None:
    """``softmax`` turns each row of scores into probabilities, stably."""
    scores = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0], [-1.0, 5.0, 2.0], [3.0, 3.0, -2.0]])
    probs = _call(softmax, scores)
    expect(probs.shape == scores.shape,
           f"softmax of an array of shape {scores.shape} returned shape {probs.shape}.")
    expect(bool(np.all(probs >= 0)), "softmax returned negative probabilities.")
    sums = probs.sum(axis=1)
    for row, total in enumerate(sums):
        expect(np.isclose(total, 1.0),
               f"softmax rows must sum to 1; row {row} sums to {total:.4g} "
               "(normalise over the last axis, one row at a time).")
    expect(np.allclose(probs[1], 1 / 3), "equal scores must give equal probabilities.")
    expect(np.all(np.argmax(probs, axis=1) == np.argmax(scores, axis=1)),
           "the largest score must get the largest probability.")
    single = _call(softmax, np.array([2.0, 1.0, 0.1]))
    expect(single.shape == (3,), f"softmax of one vector of 3 scores returned shape {single.shape}.")
    big = _call(softmax, np.array([[1000.0, 1001.0]]))
    expect(bool(np.all(np.isfinite(big))),
           "softmax overflowed on large scores (got nan or inf). Hint: softmax(z) equals "
           "softmax(z - c) for any constant c; pick a c that keeps exp() small.")


def check_cross_entropy(cross_entropy) -> None:
    """``cross_entropy(p, q)`` matches the worked example and handles zeros."""
    p = np.array([0.0, 1.0, 0.0])
    q = np.array([0.228, 0.619, 0.153])
    value = float(_call(cross_entropy, p, q))
    expect(math.isfinite(value), f"cross_entropy of the worked example returned {value}.")
    expect(abs(value - 0.479) < 1e-3,
           f"the worked example p=(0, 1, 0), q=(0.228, 0.619, 0.153) should give H = 0.479 "
           f"(natural log), got {value:.4f}.")
    perfect = float(_call(cross_entropy, p, p))
    expect(math.isfinite(perfect) and abs(perfect) < 1e-6,
           f"a perfect prediction (q equal to p) should cost 0, got {perfect}. "
           "Terms where p is 0 must contribute 0, even where q is 0 too.")
    worse = np.array([0.7, 0.1, 0.2])
    expect(float(_call(cross_entropy, p, worse)) > value,
           "a worse prediction must cost more than a better one.")


def check_logistic_regression(model, image_shape, num_classes: int) -> None:
    """``model`` is a Keras logistic regression for images of ``image_shape``."""
    import keras

    expect(isinstance(model, keras.Model),
           f"expected a keras.Model, got {type(model).__name__}: did you return the model?")
    want_in = (None, *image_shape)
    got_in = tuple(model.inputs[0].shape) if model.inputs else None
    expect(got_in == want_in, f"expected input shape {want_in}, got {got_in}.")
    want_out = (None, num_classes)
    got_out = tuple(model.outputs[0].shape)
    expect(got_out == want_out, f"expected output shape {want_out}, got {got_out}.")
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    expect(len(dense) == 1,
           f"a logistic regression has exactly one Dense layer and no hidden layer; found {len(dense)}.")
    features = int(np.prod(image_shape))
    want_params = features * num_classes + num_classes
    got_params = model.count_params()
    expect(got_params == want_params,
           f"a {features}->{num_classes} logistic regression has {want_params:,} parameters "
           f"(weights plus biases), yours has {got_params:,}.")
    sample = np.random.default_rng(0).uniform(0, 1, size=(4, *image_shape)).astype("float32")
    probs = np.asarray(model(sample))
    expect(np.allclose(probs.sum(axis=1), 1.0, atol=1e-4),
           "the outputs of each image must sum to 1: which activation turns scores into "
           "probabilities over classes?")


def accuracy(model, x, y) -> float:
    """Share of images whose most probable class is the true label."""
    predictions = np.argmax(model.predict(x, verbose=0), axis=-1)
    return float(np.mean(predictions == np.asarray(y).reshape(-1)))


def check_trained_model(model, x, y, min_accuracy: float) -> None:
    """``model`` classifies ``x`` with at least ``min_accuracy`` accuracy."""
    import keras

    expect(isinstance(model, keras.Model), f"expected a trained keras.Model, got {type(model).__name__}.")
    got = accuracy(model, x, y)
    expect(got >= min_accuracy,
           f"accuracy on these {len(y):,} images is {got:.3f}; the bar is {min_accuracy:.2f}. "
           "Train for longer, check the learning rate, or check the inputs are scaled to [0, 1].")
