"""starter_lib.checks.lesson07: right answers pass, each typical fault is named."""

import numpy as np
import pytest
from check_tools import fails, good_windows, keras_stack, shifted_last_value

from starter_lib import checks


def good_simple_rnn_forward(inputs, kernel, recurrent_kernel, bias):
    state = np.zeros((inputs.shape[0], kernel.shape[1]))
    for step in range(inputs.shape[1]):
        state = np.tanh(inputs[:, step] @ kernel + state @ recurrent_kernel + bias)
    return state


def test_simple_rnn_forward_right_answer_passes_and_faults_are_named():
    checks.check_simple_rnn_forward(good_simple_rnn_forward)
    fails(checks.check_simple_rnn_forward, lambda x, k, r, b: good_simple_rnn_forward(x, k, r, 0 * b),
               match="differs from Keras's SimpleRNN by up to")
    fails(checks.check_simple_rnn_forward, lambda x, k, r, b: np.stack(
        [good_simple_rnn_forward(x[:, :t + 1], k, r, b) for t in range(x.shape[1])], axis=1),
        match=r"final state has shape \(4, 5\), got \(4, 6, 5\)")


def row_reader(layer, flatten=False):
    import keras

    layers = [keras.layers.Reshape((1, 784)), layer] if flatten else [layer]
    return keras_stack(*layers, keras.layers.Dense(10, activation="softmax"))


def test_sequence_classifier_reads_rows_with_a_gru():
    import keras

    checks.check_sequence_classifier(row_reader(keras.layers.GRU(16)), (28, 28), 10, 16)
    with pytest.raises(checks.CheckFailed, match="expected one GRU layer, found 0"):
        checks.check_sequence_classifier(row_reader(keras.layers.LSTM(16)), (28, 28), 10, 16)
    with pytest.raises(checks.CheckFailed, match="expected a GRU of 16 units, got 8"):
        checks.check_sequence_classifier(row_reader(keras.layers.GRU(8)), (28, 28), 10, 16)


def test_windows_right_answer_passes():
    checks.check_windows(good_windows)


@pytest.mark.parametrize("answer, pattern", [
    (lambda s, w, h, b: good_windows(s, w, 1, b), r"horizon 2: expected inputs of shape \(6, 3, 1\)"),
    (lambda s, w, h, b: good_windows(s, w, h, b, shuffle=True), "time order|first window"),
    (lambda s, w, h, b: good_windows(s, w, h, b).map(lambda x, y: (x[..., 0], y)),
     r"expected inputs of shape \(7, 3, 1\) \(windows, time steps, features\), got \(7, 3\)"),
    (lambda s, w, h, b: good_windows(s, w, h, 100), "batches of 4 windows, got 7"),
])
def test_windows_faults_are_named(answer, pattern):
    with pytest.raises(checks.CheckFailed, match=pattern):
        checks.check_windows(answer)


def forecaster(units=8, cell="LSTM", activation=None, window=12):
    import keras

    return keras_stack(getattr(keras.layers, cell)(units), keras.layers.Dense(1, activation=activation),
                       shape=(window, 1))


def test_lstm_forecaster_to_spec_passes_and_faults_are_named():
    checks.check_lstm_forecaster(forecaster(), 12, 8)
    for model, pattern in [(forecaster(units=4), "expected an LSTM of 8 units, got 4"),
                           (forecaster(cell="GRU"), "expected one LSTM layer, found 0"),
                           (forecaster(activation="sigmoid"), "without activation"),
                           (forecaster(window=6), r"expected input shape \(None, 12, 1\), got \(None, 6, 1\)")]:
        with pytest.raises(checks.CheckFailed, match=pattern):
            checks.check_lstm_forecaster(model, 12, 8)



def test_beats_naive_reports_both_errors_against_the_bar():
    ramp = good_windows(np.arange(20.0), 3, 1, 4)  # every step adds 1
    checks.check_beats_naive(shifted_last_value(1.0), ramp)
    with pytest.raises(checks.CheckFailed, match=r"forecast's MAE is 0.9500, the naive .* 1.0000; the bar is 90%"):
        checks.check_beats_naive(shifted_last_value(0.05), ramp)
