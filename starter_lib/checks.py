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


# --- Notebook 06: regularization and training control ---------------------------------

def check_weight_penalty(weight_penalty) -> None:
    """``weight_penalty(weights, l1, l2)`` matches hand-computed L1 and L2 penalties."""
    weights = np.array([[1.0, -2.0], [3.0, 0.0]])  # sum |w| = 6, sum w**2 = 14
    for l1, l2, want in ((0.1, 0.0, 0.6), (0.0, 0.01, 0.14), (0.1, 0.01, 0.74)):
        got = float(_call(weight_penalty, weights, l1, l2))
        expect(np.isclose(got, want),
               f"weight_penalty(w, l1={l1}, l2={l2}) with w = [[1, -2], [3, 0]] should be {want}, "
               f"got {got:.4g}.")
    got = float(_call(weight_penalty, np.zeros((3, 2)), 0.5, 0.5))
    expect(got == 0.0, f"zero weights cost nothing, got {got:.4g}.")


def _model_io(model, want_in, want_out) -> None:
    import keras

    expect(isinstance(model, keras.Model),
           f"expected a keras.Model, got {type(model).__name__}: did you return the model?")
    got_in = tuple(model.inputs[0].shape) if model.inputs else None
    expect(got_in == want_in, f"expected input shape {want_in}, got {got_in}.")
    got_out = tuple(model.outputs[0].shape)
    expect(got_out == want_out, f"expected output shape {want_out}, got {got_out}.")


def _dense_layers(model):
    import keras

    return [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]


def check_regularized_mlp(model, image_shape, num_classes: int, units: int, l2: float, dropout_rate: float) -> None:
    """``model`` is Flatten, Dense(units, relu, L2 kernel penalty), Dropout, Dense(softmax)."""
    import keras

    _model_io(model, (None, *image_shape), (None, num_classes))
    dense = _dense_layers(model)
    expect(len(dense) == 2, f"expected two Dense layers (one hidden, one output), found {len(dense)}.")
    hidden, output = dense
    expect(hidden.units == units, f"expected {units} hidden units, got {hidden.units}.")
    expect(hidden.activation is keras.activations.relu,
           f"the hidden layer should use relu, got {hidden.activation.__name__}.")
    penalty = hidden.kernel_regularizer
    expect(penalty is not None, "the hidden Dense layer has no kernel_regularizer.")
    expect(np.isclose(float(getattr(penalty, "l2", 0.0)), l2) and not float(getattr(penalty, "l1", 0.0)),
           f"expected an L2 penalty of {l2} on the hidden kernel, got {penalty.get_config()}.")
    expect(output.kernel_regularizer is None, "only the hidden layer should carry a penalty, not the output layer.")
    dropout = [layer for layer in model.layers if isinstance(layer, keras.layers.Dropout)]
    expect(len(dropout) == 1, f"expected one Dropout layer, found {len(dropout)}.")
    expect(np.isclose(dropout[0].rate, dropout_rate), f"expected a dropout rate of {dropout_rate}, got {dropout[0].rate}.")
    order = [layer for layer in model.layers if layer in (hidden, dropout[0], output)]
    expect(order == [hidden, dropout[0], output], "Dropout belongs between the hidden layer and the output layer.")
    features = int(np.prod(image_shape))
    want = features * units + units + units * num_classes + num_classes
    expect(model.count_params() == want, f"expected {want:,} parameters, got {model.count_params():,}.")
    sample = np.random.default_rng(0).uniform(0, 1, size=(3, *image_shape)).astype("float32")
    expect(np.allclose(np.asarray(model(sample)).sum(axis=1), 1.0, atol=1e-4),
           "each image's outputs must sum to 1 (softmax).")


def check_early_stopping(model, history, x_val, y_val, patience: int, max_epochs: int) -> None:
    """Training stopped ``patience`` epochs after the best validation loss and kept that epoch's weights."""
    expect(hasattr(history, "history"), f"expected the History that fit returns, got {type(history).__name__}.")
    losses = history.history.get("val_loss")
    expect(losses is not None, "the History has no val_loss: pass the validation data to fit.")
    ran, best = len(losses), int(np.argmin(losses))
    expect(ran < max_epochs, f"training ran all {max_epochs} epochs: early stopping never stopped it. "
           "Does it watch the validation loss, with the learning rate the exercise asks for?")
    expect(ran == best + 1 + patience,
           f"the best validation loss came at epoch {best + 1} and training stopped after epoch {ran}; "
           f"with patience {patience} and the validation loss watched, it stops after epoch {best + 1 + patience}.")
    now = float(model.evaluate(x_val, y_val, verbose=0, return_dict=True)["loss"])
    expect(np.isclose(now, losses[best], rtol=2e-4, atol=1e-5),
           f"the returned model's validation loss is {now:.4f}, but the best epoch reached {losses[best]:.4f}: "
           "the model still holds the last epoch's weights, not the best epoch's.")


def check_step_decay(step_decay) -> None:
    """``step_decay(epoch, initial_rate, drop, every)`` keeps the rate, then multiplies it by ``drop``."""
    cases = [(0, 0.1), (9, 0.1), (10, 0.05), (19, 0.05), (25, 0.025)]
    for epoch, want in cases:
        got = _call(step_decay, epoch, 0.1, 0.5, 10)
        expect(np.isclose(got, want),
               f"step_decay({epoch}, initial_rate=0.1, drop=0.5, every=10) should be {want}, got {float(got):.4g}.")


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


def check_gap_reduced(model, base_model, x_train, y_train, x_val, y_val,
                      max_ratio: float = 0.75, min_accuracy_share: float = 0.8) -> None:
    """``model`` keeps the base model's Dense layers and shrinks its loss gap by a clear margin."""
    widths = [layer.units for layer in _dense_layers(model)]
    base_widths = [layer.units for layer in _dense_layers(base_model)]
    expect(widths == base_widths,
           f"keep the base model's Dense layers ({base_widths} units) and add regularization around "
           f"them; your model's Dense layers have {widths} units.")
    base = gap_report(base_model, x_train, y_train, x_val, y_val)
    yours = gap_report(model, x_train, y_train, x_val, y_val)
    expect(base["loss_gap"] > 0.05,
           f"the base model's gap is only {base['loss_gap']:.3f} here: it does not overfit, so there is "
           "nothing to reduce. Did the base model train on the small training set?")
    expect(yours["loss_gap"] <= max_ratio * base["loss_gap"],
           f"your model's gap (validation loss - training loss) is {yours['loss_gap']:.3f}, the base model's "
           f"{base['loss_gap']:.3f}; the bar is {max_ratio:.0%} of the base's gap, {max_ratio * base['loss_gap']:.3f}.")
    expect(yours["val_accuracy"] >= min_accuracy_share * base["val_accuracy"],
           f"your model's validation accuracy is {yours['val_accuracy']:.3f}, the base model's "
           f"{base['val_accuracy']:.3f}: a model that learns less has a small gap too. Keep at least "
           f"{min_accuracy_share:.0%} of the base's accuracy.")


# --- Notebook 07: recurrent networks ----------------------------------------------------

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
    got = _call(simple_rnn_forward, inputs, kernel, recurrent_kernel, bias)
    expect(got.shape == want.shape,
           f"for a batch of 4 sequences and 5 units the final state has shape {want.shape}, got {got.shape}.")
    error = float(np.max(np.abs(got - want)))
    expect(error < 1e-4,
           f"your final state differs from Keras's SimpleRNN by up to {error:.3g}. Each step combines the "
           "input at that step and the previous state, adds the bias and applies tanh; the first state is zeros.")


def _layers_of(model, kind):
    return [layer for layer in model.layers if isinstance(layer, kind)]


def check_sequence_classifier(model, image_shape, num_classes: int, units: int) -> None:
    """``model`` reads an image row by row with a GRU and ends in a softmax."""
    import keras

    _model_io(model, (None, *image_shape), (None, num_classes))
    recurrent = _layers_of(model, keras.layers.GRU)
    expect(len(recurrent) == 1, f"expected one GRU layer, found {len(recurrent)}.")
    expect(recurrent[0].units == units, f"expected a GRU of {units} units, got {recurrent[0].units}.")
    expect(not _layers_of(model, keras.layers.Flatten),
           "do not flatten the image: the GRU reads its rows one after the other.")
    sample = np.random.default_rng(1).uniform(0, 1, size=(3, *image_shape)).astype("float32")
    expect(np.allclose(np.asarray(model(sample)).sum(axis=1), 1.0, atol=1e-4),
           "each image's outputs must sum to 1 (softmax).")


def _collect(dataset):
    """All (inputs, targets) of a batched dataset, concatenated."""
    batches = [(np.asarray(x), np.asarray(y)) for x, y in dataset]
    expect(bool(batches), "the dataset holds no windows at all.")
    return np.concatenate([x for x, _ in batches]), np.concatenate([y for _, y in batches])


def check_windows(make_windows) -> None:
    """``make_windows`` cuts windows in order, with targets ``horizon`` steps after each window."""
    series = np.arange(10, dtype="float32")
    for horizon, first_target in ((1, 3.0), (2, 4.0)):
        dataset = make_windows(series, 3, horizon, 4)
        expect(dataset is not None, "make_windows returned None: did you forget `return`?")
        inputs, targets = _collect(dataset)
        count = len(series) - 3 - horizon + 1
        expect(inputs.shape == (count, 3, 1),
               f"series of 10 steps, window 3, horizon {horizon}: expected inputs of shape {(count, 3, 1)} "
               f"(windows, time steps, features), got {inputs.shape}.")
        expect(targets.shape == (count,), f"expected {count} targets, got shape {targets.shape}.")
        expect(np.array_equal(inputs[0, :, 0], [0.0, 1.0, 2.0]),
               f"the first window should be the first 3 steps, got {inputs[0, :, 0].tolist()}.")
        expect(targets[0] == first_target,
               f"with horizon {horizon} the window [0, 1, 2] should predict {first_target}, got {targets[0]}.")
        expect(bool(np.all(np.diff(inputs[:, 0, 0]) > 0)), "windows must come in time order (no shuffling).")
    first_batch = next(iter(make_windows(series, 3, 1, 4)))[0]
    expect(first_batch.shape[0] == 4, f"batch_size 4 should give batches of 4 windows, got {first_batch.shape[0]}.")


def check_lstm_forecaster(model, window: int, units: int) -> None:
    """``model`` maps a window of shape (window, 1) through an LSTM to one linear output."""
    import keras

    _model_io(model, (None, window, 1), (None, 1))
    lstm = _layers_of(model, keras.layers.LSTM)
    expect(len(lstm) == 1, f"expected one LSTM layer, found {len(lstm)}.")
    expect(lstm[0].units == units, f"expected an LSTM of {units} units, got {lstm[0].units}.")
    dense = _dense_layers(model)
    expect(len(dense) == 1 and dense[0].activation is keras.activations.linear,
           "end with one Dense layer without activation: a forecast can be any number.")
    want = 4 * (units * (1 + units) + units) + units + 1
    expect(model.count_params() == want, f"expected {want:,} parameters, got {model.count_params():,}.")


def forecast_errors(model, dataset) -> dict[str, float]:
    """Mean absolute error of ``model`` and of the naive last-value forecast on ``dataset``."""
    inputs, targets = _collect(dataset)
    predicted = np.asarray(model.predict(inputs, verbose=0)).reshape(-1)
    expect(predicted.shape == targets.shape,
           f"the model made {predicted.size} forecasts for {targets.size} windows: one number per window.")
    return {"model_mae": float(np.mean(np.abs(predicted - targets))),
            "naive_mae": float(np.mean(np.abs(inputs[:, -1, 0] - targets)))}


def check_beats_naive(model, dataset, max_ratio: float = 0.9) -> None:
    """``model``'s MAE is at most ``max_ratio`` times the naive last-value forecast's."""
    errors = forecast_errors(model, dataset)
    expect(errors["model_mae"] <= max_ratio * errors["naive_mae"],
           f"your forecast's MAE is {errors['model_mae']:.4f}, the naive last-value forecast's "
           f"{errors['naive_mae']:.4f}; the bar is {max_ratio:.0%} of the naive error. Train longer, "
           "check the learning rate, or check that the inputs are normalised.")
