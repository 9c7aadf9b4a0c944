"""Checks for lesson 07, recurrent networks: an RNN step by hand, a GRU classifier, windows, an LSTM forecast."""

from __future__ import annotations

import numpy as np

from starter_lib import metrics
from starter_lib.checks.core import CheckFailed, activation_name, expect, expect_model, expect_probabilities, layers_of, returned


def check_simple_rnn_forward(simple_rnn_forward) -> None:
    """``simple_rnn_forward`` returns the same final state as Keras's ``SimpleRNN``."""
    import keras

    rng = np.random.default_rng(7)
    inputs = rng.normal(size=(4, 6, 3)).astype("float32")
    layer = keras.layers.SimpleRNN(5)
    layer.build(inputs.shape)
    kernel, recurrent_kernel, bias = (np.asarray(w) for w in layer.get_weights())
    bias = rng.normal(size=bias.shape).astype("float32")  # Keras starts at zero bias; test a real one
    layer.set_weights([kernel, recurrent_kernel, bias])
    want = np.asarray(layer(inputs))
    got = np.asarray(returned(simple_rnn_forward, inputs, kernel, recurrent_kernel, bias), dtype=float)
    expect(got.shape == want.shape,
           f"for a batch of 4 sequences and 5 units the final state has shape {want.shape}, got {got.shape}.")
    error = float(np.max(np.abs(got - want)))
    expect(error < 1e-4,
           f"your final state differs from Keras's SimpleRNN by up to {error:.3g}. Each step combines the "
           "input at that step and the previous state, adds the bias and applies tanh; the first state is zeros.")


def check_sequence_classifier(model, image_shape, num_classes: int, units: int) -> None:
    """``model`` reads an image row by row with a GRU and ends in a softmax."""
    import keras

    expect_model(model, (None, *image_shape), (None, num_classes))
    recurrent = layers_of(model, keras.layers.GRU)
    expect(len(recurrent) == 1, f"expected one GRU layer, found {len(recurrent)}.")
    expect(recurrent[0].units == units, f"expected a GRU of {units} units, got {recurrent[0].units}.")
    flattens = len(layers_of(model, keras.layers.Flatten))
    expect(not flattens, f"do not flatten the image: the GRU reads its rows one after the other; your model has "
                         f"{flattens} Flatten layer{'s' * (flattens > 1)}.")
    expect_probabilities(model, image_shape)


def check_windows(make_windows) -> None:
    """``make_windows`` cuts windows in order, with targets ``horizon`` steps after each window."""
    series = np.arange(10, dtype="float32")
    for horizon, first_target in ((1, 3.0), (2, 4.0)):
        call = f"make_windows(series, 3, {horizon}, 4)"
        dataset = returned(make_windows, series, 3, horizon, 4, what=call)
        count = len(series) - 3 - horizon + 1
        expect(next(iter(dataset), None) is not None, f"{call} gave no windows at all, expected {count}.")
        inputs, targets = metrics.stack_batches(dataset)
        expect(inputs.shape == (count, 3, 1),
               f"series of 10 steps, window 3, horizon {horizon}: expected inputs of shape {(count, 3, 1)} "
               f"(windows, time steps, features), got {inputs.shape}.")
        expect(targets.shape == (count,), f"expected {count} targets, got shape {targets.shape}.")
        expect(np.array_equal(inputs[0, :, 0], [0.0, 1.0, 2.0]),
               f"the first window should be the first 3 steps, got {inputs[0, :, 0].tolist()}.")
        expect(targets[0] == first_target,
               f"with horizon {horizon} the window [0, 1, 2] should predict {first_target}, got {targets[0]}.")
        expect(bool(np.all(np.diff(inputs[:, 0, 0]) > 0)),
               f"windows must come in time order (no shuffling); they start at steps {inputs[:, 0, 0].tolist()}.")
    first_batch = next(iter(make_windows(series, 3, 1, 4)))[0]
    expect(first_batch.shape[0] == 4, f"batch_size 4 should give batches of 4 windows, got {first_batch.shape[0]}.")


def check_lstm_forecaster(model, window: int, units: int) -> None:
    """``model`` maps a window of shape (window, 1) through an LSTM to one linear output."""
    import keras

    expect_model(model, (None, window, 1), (None, 1))
    lstm = layers_of(model, keras.layers.LSTM)
    expect(len(lstm) == 1, f"expected one LSTM layer, found {len(lstm)}.")
    expect(lstm[0].units == units, f"expected an LSTM of {units} units, got {lstm[0].units}.")
    dense = layers_of(model, keras.layers.Dense)
    expect(len(dense) == 1 and dense[0].activation is keras.activations.linear,
           "end with one Dense layer without activation: a forecast can be any number; yours has Dense layers "
           f"with the activations {[activation_name(layer) for layer in dense]}.")
    want = 4 * (units * (1 + units) + units) + units + 1
    expect(model.count_params() == want, f"expected {want:,} parameters, got {model.count_params():,}.")


def check_beats_naive(model, dataset, max_ratio: float = 0.9) -> None:
    """``model``'s MAE is at most ``max_ratio`` times the naive last-value forecast's."""
    try:
        errors = metrics.forecast_errors(model, dataset)
    except ValueError as error:
        raise CheckFailed(str(error)) from None
    expect(errors["model_mae"] <= max_ratio * errors["naive_mae"],
           f"your forecast's MAE is {errors['model_mae']:.4f}, the naive last-value forecast's "
           f"{errors['naive_mae']:.4f}; the bar is {max_ratio:.0%} of the naive error. Train longer, "
           "check the learning rate, or check that the inputs are normalised.")

