"""starter_lib.checks.lesson03: right answers pass, each typical fault is named, no code is shown."""

import numpy as np
import pytest
from check_tools import fails

from starter_lib import checks


def good_sigmoid(z):
    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))


def good_softmax(s):
    s = np.asarray(s, dtype=float)
    e = np.exp(s - s.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def good_cross_entropy(p, q):
    p, q = np.asarray(p, float), np.clip(np.asarray(q, float), 1e-12, 1)
    return float(-np.sum(p * np.log(q)))


def test_right_numpy_answers_pass():
    checks.check_sigmoid(good_sigmoid)
    checks.check_softmax(good_softmax)
    checks.check_cross_entropy(good_cross_entropy)


def test_sigmoid_faults_are_named():
    fails(checks.check_sigmoid, lambda z: np.tanh(z), match=r"sigmoid\(0\) should be 0.5, got 0")
    fails(checks.check_sigmoid, lambda z: None, match="returned None: did you forget `return`")
    fails(checks.check_sigmoid, lambda z: 0.5 + 0 * np.sum(z), match="must work element-wise")
    fails(checks.check_sigmoid, lambda z: 1 - good_sigmoid(z),
          match=r"must increase with z, got sigmoid\(-8\) = 0.9997 and sigmoid\(-7\) = 0.9991\.")
    fails(checks.check_sigmoid, lambda z: 0.5 + 0.6 * np.tanh(z),
          match=r"strictly between 0 and 1; for z from -8 to 8 they range from -0.1 to 1.1\.")


def test_softmax_faults_are_named():
    def not_per_row(s):
        e = np.exp(np.asarray(s, float))
        return e / e.sum()

    message = fails(checks.check_softmax, not_per_row, match=r"softmax rows must sum to 1; row 0 sums to 0\.")
    assert "one row at a time" in message
    fails(checks.check_softmax, lambda s: np.exp(s) / np.exp(s).sum(axis=-1, keepdims=True),
               match=r"overflowed on large scores: \(1000, 1001\) gave \[nan, nan\]")
    fails(checks.check_softmax, lambda s: good_softmax(np.asarray(s) * [1.0, 1.1, 1.2] + [0.0, 0.0, 0.1]),
          match=r"equal scores must give equal probabilities; scores \(0, 0, 0\) gave \[0.3")


def test_cross_entropy_faults_are_named():
    fails(checks.check_cross_entropy, lambda p, q: float(-np.sum(np.asarray(p) * np.log10(q))),
               match=r"should give H = 0.479 \(natural log\), got 0.2083")
    fails(checks.check_cross_entropy, lambda p, q: float(-np.sum(np.asarray(p) * np.log(q))),
               match="a perfect prediction .* should cost 0, got nan")


def logistic(shape, classes, hidden=None, activation="softmax"):
    import keras

    layers = [keras.Input(shape), keras.layers.Flatten()]
    if hidden:
        layers.append(keras.layers.Dense(hidden, activation="relu"))
    layers.append(keras.layers.Dense(classes, activation=activation))
    return keras.Sequential(layers)


def test_right_logistic_regression_passes():
    checks.check_logistic_regression(logistic((28, 28), 10), (28, 28), 10)


@pytest.mark.parametrize("model, pattern", [
    (lambda: logistic((28, 28), 12), r"expected output shape \(None, 10\), got \(None, 12\)"),
    (lambda: logistic((8, 8), 10), r"expected input shape \(None, 28, 28\), got \(None, 8, 8\)"),
    (lambda: logistic((28, 28), 10, hidden=16), "exactly one Dense layer and no hidden layer; found 2"),
    (lambda: logistic((28, 28), 10, activation=None), r"must sum to 1, yours sum to \[.*\]: which activation"),
    (lambda: "model", "your model: expected a keras.Model, got str"),
])
def test_logistic_regression_faults_are_named(model, pattern):
    with pytest.raises(checks.CheckFailed, match=pattern):
        checks.check_logistic_regression(model(), (28, 28), 10)


def test_trained_model_bar_reports_the_accuracy_found():
    model = logistic((2,), 2)
    model.set_weights([np.array([[5.0, -5.0], [-5.0, 5.0]]), np.zeros(2)])
    x = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.1], [0.2, 0.1]])
    checks.check_trained_model(model, x, np.array([0, 1, 0, 0]), min_accuracy=1.0)
    with pytest.raises(checks.CheckFailed, match=r"accuracy on these 4 images is 0.500; the bar is 0.90"):
        checks.check_trained_model(model, x, np.array([1, 1, 1, 0]), min_accuracy=0.9)

