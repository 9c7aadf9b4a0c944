"""starter_lib.metrics: accuracy, the train/validation gap and forecast errors, measured on models with known answers."""

import numpy as np
import pytest
from check_tools import constant_classifier, good_windows, shifted_last_value

from starter_lib import metrics


def test_accuracy_is_the_share_of_most_probable_classes_that_are_right():
    model = constant_classifier([0.2, 0.7, 0.1])
    x = np.zeros((4, 1), dtype="float32")
    assert metrics.accuracy(model, x, np.array([1, 1, 0, 2])) == 0.5


def test_gap_report_measures_both_splits_in_inference_mode():
    model = constant_classifier([0.5, 0.25, 0.25])
    x = np.zeros((4, 1), dtype="float32")
    report = metrics.gap_report(model, x, np.array([0, 0, 0, 0]), x, np.array([0, 1, 1, 2]))
    assert report["train_accuracy"] == 1.0 and report["val_accuracy"] == 0.25
    assert np.isclose(report["train_loss"], np.log(2)) and np.isclose(report["val_loss"], 0.25 * np.log(2) + 0.75 * np.log(4))
    assert np.isclose(report["loss_gap"], report["val_loss"] - report["train_loss"])


def test_forecast_errors_compare_the_model_with_the_naive_forecast():
    ramp = good_windows(np.arange(20.0), 3, 1, 4)  # every step adds 1
    assert metrics.forecast_errors(shifted_last_value(1.0), ramp) == {"model_mae": 0.0, "naive_mae": 1.0}


def test_forecast_errors_want_one_forecast_per_window():
    import keras

    ramp = good_windows(np.arange(20.0), 3, 1, 4)
    two_each = keras.Sequential([keras.Input((3, 1)), keras.layers.Flatten(), keras.layers.Dense(2)])
    with pytest.raises(ValueError, match="expected one forecast per window, 17 in all; the model made 34"):
        metrics.forecast_errors(two_each, ramp)


def test_stack_batches_refuses_an_empty_dataset():
    with pytest.raises(ValueError, match="holds no batch at all"):
        metrics.stack_batches(good_windows(np.arange(4.0), 3, 1).take(0))
