"""starter_lib.checks: pass right answers, name the fault in wrong ones, never show code."""

import numpy as np
import pytest

from starter_lib import checks

# Reference answers live here, in the tests, never in the library.


def good_sigmoid(z):
    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))


def good_softmax(s):
    s = np.asarray(s, dtype=float)
    e = np.exp(s - s.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def good_cross_entropy(p, q):
    p, q = np.asarray(p, float), np.clip(np.asarray(q, float), 1e-12, 1)
    return float(-np.sum(p * np.log(q)))


def fails_with(check, answer, pattern):
    with pytest.raises(checks.CheckFailed, match=pattern) as caught:
        check(answer)
    message = str(caught.value)
    assert "np." not in message and "return " not in message  # names the fault, shows no code
    return message


def test_right_numpy_answers_pass():
    checks.check_sigmoid(good_sigmoid)
    checks.check_softmax(good_softmax)
    checks.check_cross_entropy(good_cross_entropy)


def test_sigmoid_faults_are_named():
    fails_with(checks.check_sigmoid, lambda z: np.tanh(z), r"sigmoid\(0\) should be 0.5, got 0")
    fails_with(checks.check_sigmoid, lambda z: None, "returned None: did you forget `return`")
    fails_with(checks.check_sigmoid, lambda z: 0.5 + 0 * np.sum(z), "must work element-wise")


def test_softmax_faults_are_named():
    def not_per_row(s):
        e = np.exp(np.asarray(s, float))
        return e / e.sum()

    message = fails_with(checks.check_softmax, not_per_row, r"softmax rows must sum to 1; row 0 sums to 0\.")
    assert "one row at a time" in message
    fails_with(checks.check_softmax, lambda s: np.exp(s) / np.exp(s).sum(axis=-1, keepdims=True),
               "overflowed on large scores")


def test_cross_entropy_faults_are_named():
    fails_with(checks.check_cross_entropy, lambda p, q: float(-np.sum(np.asarray(p) * np.log10(q))),
               r"should give H = 0.479 \(natural log\), got 0.2083")
    fails_with(checks.check_cross_entropy, lambda p, q: float(-np.sum(np.asarray(p) * np.log(q))),
               "a perfect prediction .* should cost 0, got nan")


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
    (lambda: logistic((28, 28), 10, activation=None), "must sum to 1: which activation"),
    (lambda: "model", "expected a keras.Model, got str"),
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


# --- Notebooks 06-07 ------------------------------------------------------------------

def keras_stack(*layers, shape=(28, 28)):
    import keras

    return keras.Sequential([keras.Input(shape), *layers])


def good_weight_penalty(w, l1, l2):
    w = np.asarray(w, dtype=float)
    return float(l1 * np.abs(w).sum() + l2 * np.square(w).sum())


def test_weight_penalty_right_answer_passes_and_faults_are_named():
    checks.check_weight_penalty(good_weight_penalty)
    fails_with(checks.check_weight_penalty, lambda w, l1, l2: float(l1 * np.sum(w) + l2 * np.sum(np.square(w))),
               r"l1=0.1, l2=0.0\) with w = \[\[1, -2\], \[3, 0\]\] should be 0.6, got 0.2")
    fails_with(checks.check_weight_penalty, lambda w, l1, l2: good_weight_penalty(w, l1, l2 / 2),
               r"l2=0.01\) .* should be 0.14, got 0.07")


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
    fails_with(checks.check_step_decay, lambda epoch, rate, drop, every: rate * drop ** ((epoch + 1) // every),
               r"step_decay\(9, initial_rate=0.1, drop=0.5, every=10\) should be 0.1, got 0.05")


def constant_classifier(probabilities):
    """A model that gives every input the same class probabilities."""
    import keras

    model = keras_stack(keras.layers.Dense(len(probabilities), activation="softmax"), shape=(1,))
    model.set_weights([np.zeros((1, len(probabilities))), np.log(np.asarray(probabilities))])
    return model


def test_gap_report_measures_both_splits_in_inference_mode():
    model = constant_classifier([0.5, 0.25, 0.25])
    x = np.zeros((4, 1), dtype="float32")
    report = checks.gap_report(model, x, np.array([0, 0, 0, 0]), x, np.array([0, 1, 1, 2]))
    assert report["train_accuracy"] == 1.0 and report["val_accuracy"] == 0.25
    assert np.isclose(report["train_loss"], np.log(2)) and np.isclose(report["val_loss"], 0.25 * np.log(2) + 0.75 * np.log(4))
    assert np.isclose(report["loss_gap"], report["val_loss"] - report["train_loss"])


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


def good_simple_rnn_forward(inputs, kernel, recurrent_kernel, bias):
    state = np.zeros((inputs.shape[0], kernel.shape[1]))
    for step in range(inputs.shape[1]):
        state = np.tanh(inputs[:, step] @ kernel + state @ recurrent_kernel + bias)
    return state


def test_simple_rnn_forward_right_answer_passes_and_faults_are_named():
    checks.check_simple_rnn_forward(good_simple_rnn_forward)
    fails_with(checks.check_simple_rnn_forward, lambda x, k, r, b: good_simple_rnn_forward(x, k, r, 0 * b),
               "differs from Keras's SimpleRNN by up to")
    fails_with(checks.check_simple_rnn_forward, lambda x, k, r, b: np.stack(
        [good_simple_rnn_forward(x[:, :t + 1], k, r, b) for t in range(x.shape[1])], axis=1),
        r"final state has shape \(4, 5\), got \(4, 6, 5\)")


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


def good_windows(series, window, horizon, batch_size=32, shuffle=False):
    import keras

    series = np.asarray(series, dtype="float32")
    return keras.utils.timeseries_dataset_from_array(series[:, None], series[window + horizon - 1:], window,
                                                     batch_size=batch_size, shuffle=shuffle)


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


def shifted_last_value(shift):
    """A forecaster that predicts the window's last value plus ``shift``."""
    import keras

    return keras_stack(keras.layers.Lambda(lambda x: x[:, -1, :] + shift), shape=(3, 1))


def test_forecast_errors_compare_the_model_with_the_naive_forecast():
    ramp = good_windows(np.arange(20.0), 3, 1, 4)  # every step adds 1
    assert checks.forecast_errors(shifted_last_value(1.0), ramp) == {"model_mae": 0.0, "naive_mae": 1.0}
    checks.check_beats_naive(shifted_last_value(1.0), ramp)
    with pytest.raises(checks.CheckFailed, match=r"forecast's MAE is 0.9500, the naive .* 1.0000; the bar is 90%"):
        checks.check_beats_naive(shifted_last_value(0.05), ramp)


# --- Notebooks 04-05: multi-layer perceptron, convolutional networks -----------------

def dense_stack(inputs, sizes, activations):
    import keras

    layers = [keras.Input(inputs)]
    if len(inputs) > 1:
        layers.append(keras.layers.Flatten())
    layers += [keras.layers.Dense(size, activation=act) for size, act in zip(sizes, activations)]
    return keras.Sequential(layers)


def solved_xor_model():
    """A 2-8-4-1 relu network with hand-set weights: h1 = x1 + x2, h2 = x1 + x2 - 1, g = h1 - 2 h2."""
    model = dense_stack((2,), [8, 4, 1], ["relu", "relu", "sigmoid"])
    w1, b1 = np.zeros((2, 8)), np.zeros(8)
    w1[:, :2], b1[1] = 1.0, -1.0
    w2, b2 = np.zeros((8, 4)), np.zeros(4)
    w2[0, 0], w2[1, 0] = 1.0, -2.0
    w3, b3 = np.zeros((4, 1)), np.array([-5.0])
    w3[0, 0] = 10.0
    model.set_weights([w1, b1, w2, b2, w3, b3])
    return model


XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype="float32")
XOR_Y = np.array([0, 1, 1, 0])


def test_xor_network_to_spec_passes_and_faults_are_named():
    checks.check_xor_mlp(dense_stack((2,), [8, 4, 1], ["relu", "relu", "sigmoid"]))
    with pytest.raises(checks.CheckFailed, match=r"expected Dense layers of \[8, 4, 1\] units, got \[8, 1\]"):
        checks.check_xor_mlp(dense_stack((2,), [8, 1], ["relu", "sigmoid"]))
    with pytest.raises(checks.CheckFailed, match=r"activations \['relu', 'relu', 'sigmoid'\] .* got \['tanh'"):
        checks.check_xor_mlp(dense_stack((2,), [8, 4, 1], ["tanh", "relu", "sigmoid"]))


def test_xor_solved_names_the_points_a_model_gets_wrong():
    checks.check_xor_solved(solved_xor_model(), XOR_X, XOR_Y)
    with pytest.raises(checks.CheckFailed, match=r"gets these XOR points wrong: \(0, 0\) -> 0\.01 \(XOR is 1\); \(0, 1\)"):
        checks.check_xor_solved(solved_xor_model(), XOR_X, 1 - XOR_Y)


def diabetes_table():
    from sklearn.datasets import load_diabetes

    return load_diabetes(scaled=False).data, [0, 2, 3, 4, 5, 6, 7, 8, 9], [1]


def mixed_columns(numeric_step, categorical_step):
    from sklearn.compose import ColumnTransformer

    _, numeric, categorical = diabetes_table()
    return ColumnTransformer([("numeric", numeric_step, numeric), ("categorical", categorical_step, categorical)])


def test_a_scaling_and_one_hot_preprocessor_passes():
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    x, numeric, categorical = diabetes_table()
    good = mixed_columns(StandardScaler(), OneHotEncoder(handle_unknown="ignore"))
    checks.check_preprocessor(good, x, numeric, categorical)
    assert not hasattr(good, "transformers_"), "the check fits a copy, not the learner's object"


@pytest.mark.parametrize("steps, pattern", [
    (("passthrough", "onehot"), "numeric columns should come out with mean 0 and standard deviation 1; 0 do"),
    (("scale", "passthrough"), r"expected 11 output columns \(9 numeric \+ 2 one-hot"),
    (("scale", "strict onehot"), "never seen in training made transform\\(\\) fail"),
])
def test_preprocessor_faults_are_named(steps, pattern):
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    choices = {"scale": StandardScaler(), "passthrough": "passthrough",
               "onehot": OneHotEncoder(handle_unknown="ignore"), "strict onehot": OneHotEncoder()}
    x, numeric, categorical = diabetes_table()
    with pytest.raises(checks.CheckFailed, match=pattern):
        checks.check_preprocessor(mixed_columns(*(choices[step] for step in steps)), x, numeric, categorical)
    with pytest.raises(checks.CheckFailed, match="expected a scikit-learn ColumnTransformer, got StandardScaler"):
        checks.check_preprocessor(StandardScaler(), x, numeric, categorical)


def cancer():
    from sklearn.datasets import load_breast_cancer

    table = load_breast_cancer()
    return table.data, table.target


def good_split(x, y, preprocessor, test_size, seed):
    from sklearn.model_selection import train_test_split

    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=test_size, stratify=y, random_state=seed)
    return preprocessor.fit_transform(x_train), preprocessor.transform(x_test), y_train, y_test


def leaky_split(x, y, preprocessor, test_size, seed):
    from sklearn.model_selection import train_test_split

    return train_test_split(preprocessor.fit_transform(x), y, test_size=test_size, stratify=y, random_state=seed)


def refit_on_test(x, y, preprocessor, test_size, seed):
    from sklearn.model_selection import train_test_split

    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=test_size, stratify=y, random_state=seed)
    return preprocessor.fit_transform(x_train), preprocessor.fit_transform(x_test), y_train, y_test


def unstratified(x, y, preprocessor, test_size, seed):
    from sklearn.model_selection import train_test_split

    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=test_size, random_state=seed)
    return preprocessor.fit_transform(x_train), preprocessor.transform(x_test), y_train, y_test


def shuffled_labels(x, y, preprocessor, test_size, seed):
    x_train, x_test, y_train, y_test = good_split(x, y, preprocessor, test_size, seed)
    return x_train, x_test, np.sort(y_train), y_test


def test_split_then_scale_passes_when_fitted_on_training_rows_only():
    checks.check_split_then_scale(good_split, *cancer(), test_size=0.2, seed=0)


@pytest.mark.parametrize("answer, seed, pattern", [
    (leaky_split, 0, "fitted on other rows than the training split: training column \\d+ has mean"),
    (refit_on_test, 0, "test rows come out with mean 0 exactly"),
    (unstratified, 0, "should keep the class proportions of y: class \\d has \\d+ test rows"),
    (shuffled_labels, 0, "labels no longer belong to their rows"),
    (lambda x, y, p, t, s: (x, y), 0, "should return four things"),
    (lambda x, y, p, t, s: (x[:455], x[455:], y[:455], y[455:]), 0, "was never fitted"),
])
def test_split_then_scale_faults_are_named(answer, seed, pattern):
    with pytest.raises(checks.CheckFailed, match=pattern):
        checks.check_split_then_scale(answer, *cancer(), test_size=0.2, seed=seed)


def test_mlp_to_spec_passes_and_a_smaller_one_is_named():
    checks.check_mlp(dense_stack((28, 28), [512, 10], ["relu", "softmax"]), (28, 28), 10)
    with pytest.raises(checks.CheckFailed, match=r"Dense layers of \[512, 10\] units, got \[256, 10\]"):
        checks.check_mlp(dense_stack((28, 28), [256, 10], ["relu", "softmax"]), (28, 28), 10)


def good_harris(gray, block_size, ksize, k):
    import cv2

    gx = cv2.Sobel(gray, cv2.CV_64F, 1, 0, ksize=ksize)
    gy = cv2.Sobel(gray, cv2.CV_64F, 0, 1, ksize=ksize)
    window = (block_size, block_size)
    sxx, syy, sxy = (cv2.boxFilter(a, -1, window, normalize=False) for a in (gx * gx, gy * gy, gx * gy))
    return sxx * syy - sxy**2 - k * (sxx + syy) ** 2


def central_difference_harris(gray, block_size, ksize, k):
    import cv2

    gy, gx = np.gradient(np.asarray(gray, dtype=float))
    window = (block_size, block_size)
    sxx, syy, sxy = (cv2.boxFilter(a, -1, window, normalize=False) for a in (gx * gx, gy * gy, gx * gy))
    return sxx * syy - sxy**2 - k * (sxx + syy) ** 2


def test_harris_response_matching_opencv_passes_even_when_scaled():
    import skimage.data

    checks.check_harris_response(good_harris)
    checks.check_harris_response(lambda *args: 1e-3 * good_harris(*args))
    checks.check_harris_response(good_harris, skimage.data.checkerboard(), settings=((4, 7, 0.1),))


@pytest.mark.parametrize("answer, pattern", [
    (central_difference_harris, r"ksize=3, k=0.04 your response differs from cv2.cornerHarris by up to \d"),
    (lambda *args: -good_harris(*args), "negative where OpenCV's is positive"),
    (lambda gray, *args: good_harris(gray, *args)[1:-1, 1:-1], "one value per pixel"),
    (lambda gray, *args: np.zeros_like(gray), "0 everywhere"),
    (lambda gray, b, ks, k: good_harris(gray, b, ks, 0.0), "differs from cv2.cornerHarris"),
])
def test_harris_response_faults_are_named(answer, pattern):
    fails_with(checks.check_harris_response, answer, pattern)


def good_output_length(length, kernel_size, stride=1, padding="valid"):
    if padding == "same":
        return -(-length // stride)
    return (length - kernel_size) // stride + 1


def test_conv_output_length_is_checked_against_keras():
    checks.check_conv_output_length(good_output_length)
    message = fails_with(checks.check_conv_output_length, lambda n, k, s=1, p="valid": n - k + 1,
                         r"kernel_size=2, stride=2, padding='valid'\) returned 25; Keras computes 13")
    assert "//" not in message


def test_conv_params_is_checked_against_keras():
    checks.check_conv_params(lambda k, c, f: (k * k * c + 1) * f)
    fails_with(checks.check_conv_params, lambda k, c, f: k * k * c * f, "returned 288; Keras counts 320. Remember one bias")


def reference_cnn(image_shape=(28, 28, 1), classes=10, padding="valid", kernel=3, pools=2):
    import keras

    layers = [keras.Input(image_shape), keras.layers.Conv2D(32, kernel, activation="relu", padding=padding)]
    layers += [keras.layers.MaxPooling2D(2)] if pools >= 1 else []
    layers += [keras.layers.Conv2D(64, 3, activation="relu", padding=padding)]
    layers += [keras.layers.MaxPooling2D(2)] if pools >= 2 else []
    layers += [keras.layers.Conv2D(64, 3, activation="relu", padding=padding), keras.layers.Flatten(),
               keras.layers.Dropout(0.5), keras.layers.Dense(64, activation="relu"),
               keras.layers.Dense(classes, activation="softmax")]
    return keras.Sequential(layers)


def test_reference_cnn_passes_with_its_93322_parameters():
    checks.check_cnn(reference_cnn(), (28, 28, 1), 10, expected_params=93_322)


@pytest.mark.parametrize("model, pattern", [
    (lambda: reference_cnn(padding="same"), "expected 93,322 parameters, got 257,162"),
    (lambda: reference_cnn(pools=1), "expected the layers Conv2D, MaxPooling2D, Conv2D, MaxPooling2D"),
    (lambda: reference_cnn(kernel=5), r"layer 0 should be a 3x3 Conv2D with 32 filters and relu, got 32 filters of \(5, 5\)"),
    (lambda: reference_cnn(classes=5), r"expected output shape \(None, 10\), got \(None, 5\)"),
])
def test_cnn_faults_are_named(model, pattern):
    with pytest.raises(checks.CheckFailed, match=pattern):
        checks.check_cnn(model(), (28, 28, 1), 10, expected_params=93_322)
