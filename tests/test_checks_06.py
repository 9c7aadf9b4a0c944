"""starter_lib.checks.lesson06: right answers pass, each typical fault is named."""

import numpy as np
import pytest
from check_tools import constant_classifier, fails, keras_stack

from starter_lib import checks


def good_weight_penalty(w, l1, l2):
    w = np.asarray(w, dtype=float)
    return float(l1 * np.abs(w).sum() + l2 * np.square(w).sum())


def test_weight_penalty_right_answer_passes_and_faults_are_named():
    checks.check_weight_penalty(good_weight_penalty)
    fails(checks.check_weight_penalty, lambda w, l1, l2: float(l1 * np.sum(w) + l2 * np.sum(np.square(w))),
               match=r"l1=0.1, l2=0.0\) with w = \[\[1, -2\], \[3, 0\]\] should be 0.6, got 0.2")
    fails(checks.check_weight_penalty, lambda w, l1, l2: good_weight_penalty(w, l1, l2 / 2),
               match=r"l2=0.01\) .* should be 0.14, got 0.07")


def regularized(units=64, l2=1e-3, rate=0.3, penalty=None, output_penalty=None, activation="relu"):
    import keras

    penalty = penalty if penalty is not None else keras.regularizers.L2(l2)
    return keras_stack(keras.layers.Flatten(),
                       keras.layers.Dense(units, activation=activation, kernel_regularizer=penalty),
                       keras.layers.Dropout(rate),
                       keras.layers.Dense(10, activation="softmax", kernel_regularizer=output_penalty))


def test_regularized_mlp_to_spec_passes():
    checks.check_regularized_mlp(regularized(), (28, 28), 10, 64, 1e-3, 0.3)


@pytest.mark.parametrize("model, pattern", [
    (lambda: regularized(units=32), "expected 64 hidden units, got 32"),
    (lambda: regularized(rate=0.5), "expected a dropout rate of 0.3, got 0.5"),
    (lambda: regularized(l2=1e-2), r"expected an L2 penalty of 0.001 on the hidden kernel, got \{.*0.01"),
    (lambda: regularized(penalty=__import__("keras").regularizers.L1(1e-3)), "expected an L2 penalty"),
    (lambda: regularized(output_penalty=__import__("keras").regularizers.L2(1e-3)), "not the output layer"),
    (lambda: regularized(activation="sigmoid"), "should use relu, got sigmoid"),
])
def test_regularized_mlp_faults_are_named(model, pattern):
    with pytest.raises(checks.CheckFailed, match=pattern):
        checks.check_regularized_mlp(model(), (28, 28), 10, 64, 1e-3, 0.3)


def fit_against_flipped_labels(restore, patience=2, epochs=20):
    """A run whose validation loss rises from the first epoch: its labels are the training labels flipped."""
    import keras

    keras.utils.set_random_seed(0)
    x = np.random.default_rng(0).normal(size=(64, 4)).astype("float32")
    y = (x[:, 0] > 0).astype("int64")
    model = keras_stack(keras.layers.Dense(2, activation="softmax"), shape=(4,))
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.05), loss="sparse_categorical_crossentropy")
    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience, restore_best_weights=restore)
    history = model.fit(x, y, validation_data=(x, 1 - y), epochs=epochs, callbacks=[stop], verbose=0)
    return model, history, x, 1 - y


def test_early_stopping_that_keeps_the_best_weights_passes():
    model, history, x_val, y_val = fit_against_flipped_labels(restore=True)
    checks.check_early_stopping(model, history, x_val, y_val, patience=2, max_epochs=20)


def test_early_stopping_that_keeps_the_last_weights_is_named():
    model, history, x_val, y_val = fit_against_flipped_labels(restore=False)
    with pytest.raises(checks.CheckFailed, match="still holds the last epoch's weights"):
        checks.check_early_stopping(model, history, x_val, y_val, patience=2, max_epochs=20)


def test_early_stopping_with_another_patience_is_named():
    model, history, x_val, y_val = fit_against_flipped_labels(restore=True, patience=4)
    with pytest.raises(checks.CheckFailed, match=r"best validation loss came at epoch 1 .* stops after epoch 3"):
        checks.check_early_stopping(model, history, x_val, y_val, patience=2, max_epochs=20)


def test_step_decay_right_answer_passes_and_off_by_one_is_named():
    checks.check_step_decay(lambda epoch, rate, drop, every: rate * drop ** (epoch // every))
    fails(checks.check_step_decay, lambda epoch, rate, drop, every: rate * drop ** ((epoch + 1) // every),
               match=r"step_decay\(9, initial_rate=0.1, drop=0.5, every=10\) should be 0.1, got 0.05")


def test_gap_reduction_needs_the_base_models_dense_layers():
    import keras

    base = keras_stack(keras.layers.Flatten(), keras.layers.Dense(8), keras.layers.Dense(3))
    smaller = keras_stack(keras.layers.Flatten(), keras.layers.Dense(3))
    x = np.zeros((2, 28, 28), dtype="float32")
    with pytest.raises(checks.CheckFailed, match=r"keep the base model's Dense layers \(\[8, 3\] units\).*\[3\] units"):
        checks.check_gap_reduced(smaller, base, x, np.zeros(2, int), x, np.zeros(2, int))


def test_gap_reduction_needs_a_base_that_overfits():
    model = constant_classifier([0.5, 0.5])
    x, y = np.zeros((4, 1), dtype="float32"), np.array([0, 1, 0, 1])
    with pytest.raises(checks.CheckFailed, match="does not overfit, so there is nothing to reduce"):
        checks.check_gap_reduced(model, model, x, y, x, y)

