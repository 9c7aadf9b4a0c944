"""Public self-checks that the visible test cells of the notebooks call.

Each check raises :class:`CheckFailed` with a message that names what is
wrong ("softmax rows must sum to 1; row 3 sums to 2.0") and never shows the
solution. A check that passes returns ``None`` quietly.
"""

from __future__ import annotations

import math
from pathlib import Path

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
    dense = _layers_of(model, keras.layers.Dense)
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


def check_regularized_mlp(model, image_shape, num_classes: int, units: int, l2: float, dropout_rate: float) -> None:
    """``model`` is Flatten, Dense(units, relu, L2 kernel penalty), Dropout, Dense(softmax)."""
    import keras

    _model_io(model, (None, *image_shape), (None, num_classes))
    dense = _layers_of(model, keras.layers.Dense)
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
    import keras

    widths = [layer.units for layer in _layers_of(model, keras.layers.Dense)]
    base_widths = [layer.units for layer in _layers_of(base_model, keras.layers.Dense)]
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


def _layers_of(model, kind: type = object) -> list:
    """Every layer of type ``kind`` inside ``model``, nested models opened up."""
    found = []
    for layer in getattr(model, "layers", [model]):
        if hasattr(layer, "layers"):
            found.extend(_layers_of(layer, kind))
        elif isinstance(layer, kind):
            found.append(layer)
    return found


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
    dense = _layers_of(model, keras.layers.Dense)
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


# --- Notebooks 04-05: multi-layer perceptron, convolutional networks -----------------

def _expect_model_shapes(model, input_shape, output_shape) -> None:
    """``model`` is a Keras model with these input and output shapes (batch axis included)."""
    import keras

    expect(isinstance(model, keras.Model),
           f"expected a keras.Model, got {type(model).__name__}: did you return the model?")
    got_in = tuple(model.inputs[0].shape) if model.inputs else None
    expect(got_in == tuple(input_shape), f"expected input shape {tuple(input_shape)}, got {got_in}.")
    got_out = tuple(model.outputs[0].shape)
    expect(got_out == tuple(output_shape), f"expected output shape {tuple(output_shape)}, got {got_out}.")


def _activation_name(layer) -> str:
    return getattr(layer.activation, "__name__", str(layer.activation))


def _expect_dense_stack(model, units: list[int], activations: list[str]) -> None:
    """The Dense layers of ``model`` have these sizes and activations, in order."""
    import keras

    dense = _layers_of(model, keras.layers.Dense)
    got_units = [layer.units for layer in dense]
    expect(got_units == units, f"expected Dense layers of {units} units, got {got_units}.")
    got_activations = [_activation_name(layer) for layer in dense]
    expect(got_activations == activations,
           f"expected the activations {activations} on those Dense layers, got {got_activations}.")


def check_xor_mlp(model) -> None:
    """``model`` maps two inputs through Dense(8, relu) and Dense(4, relu) to one sigmoid output."""
    _expect_model_shapes(model, (None, 2), (None, 1))
    _expect_dense_stack(model, [8, 4, 1], ["relu", "relu", "sigmoid"])


def check_xor_solved(model, x, y) -> None:
    """``model`` puts every XOR point on the right side of probability 0.5."""
    probabilities = np.asarray(model.predict(np.asarray(x, dtype="float32"), verbose=0)).reshape(-1)
    wrong = [f"({', '.join(f'{v:.2g}' for v in point)}) -> {p:.2f} (XOR is {int(t)})"
             for point, p, t in zip(np.asarray(x), probabilities, np.asarray(y)) if (p > 0.5) != bool(t)]
    expect(not wrong, "the trained model gets these XOR points wrong: " + "; ".join(wrong)
           + ". Train longer or with a larger learning rate.")


def _dense_array(table) -> np.ndarray:
    return np.asarray(table.toarray() if hasattr(table, "toarray") else table, dtype=float)


def check_preprocessor(preprocessor, x, numeric_columns, categorical_columns) -> None:
    """``preprocessor`` standardises the numeric columns and one-hot encodes the categorical ones."""
    from sklearn.base import clone
    from sklearn.compose import ColumnTransformer

    expect(isinstance(preprocessor, ColumnTransformer),
           f"expected a scikit-learn ColumnTransformer, got {type(preprocessor).__name__}.")
    x = np.asarray(x, dtype=float)
    fitted = clone(preprocessor)
    out = _dense_array(fitted.fit_transform(x))
    levels = sum(len(np.unique(x[:, column])) for column in categorical_columns)
    want_columns = len(numeric_columns) + levels
    expect(out.shape == (len(x), want_columns),
           f"expected {want_columns} output columns ({len(numeric_columns)} numeric + {levels} one-hot "
           f"columns, one per category), got shape {out.shape}.")
    standard = np.abs(out.mean(axis=0)) < 1e-6
    standard &= np.abs(out.std(axis=0) - 1) < 1e-6
    expect(int(standard.sum()) == len(numeric_columns),
           f"each of the {len(numeric_columns)} numeric columns should come out with mean 0 and standard "
           f"deviation 1; {int(standard.sum())} do.")
    binary = np.all((out == 0) | (out == 1), axis=0)
    expect(int(binary.sum()) == levels and np.allclose(out[:, binary].sum(axis=1), len(categorical_columns)),
           f"each categorical column should become one 0/1 column per category, with a single 1 per row; "
           f"found {int(binary.sum())} 0/1 columns for {levels} categories.")
    if categorical_columns:
        unseen = x[:2].copy()
        unseen[:, list(categorical_columns)] = x[:, list(categorical_columns)].max() + 1000
        try:
            encoded = _dense_array(fitted.transform(unseen))
        except ValueError as error:
            raise CheckFailed("a category never seen in training made transform() fail "
                              f"({error}); tell the one-hot encoder to ignore unknown categories.") from None
        expect(np.all(encoded[:, binary] == 0), "an unseen category should give all-zero one-hot columns.")


def _rows_in(rows: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Index in ``x`` of the row nearest to each of ``rows``, and that row's distance."""
    from scipy.spatial import cKDTree

    scale = np.abs(x).max(axis=0) + 1e-12
    distance, nearest = cKDTree(x / scale).query(rows / scale)
    return nearest, distance


def check_split_then_scale(split_then_scale, x, y, test_size: float = 0.2, seed: int = 0) -> None:
    """``split_then_scale`` splits stratified first and fits the scaler on training rows only."""
    from sklearn.preprocessing import StandardScaler

    x, y = np.asarray(x, dtype=float), np.asarray(y)
    scaler = StandardScaler()
    result = split_then_scale(x, y, scaler, test_size, seed)
    expect(isinstance(result, (tuple, list)) and len(result) == 4,
           "split_then_scale should return four things: x_train, x_test, y_train, y_test.")
    x_train, x_test, y_train, y_test = (np.asarray(part) for part in result)
    n_test = math.ceil(test_size * len(x))
    expect(len(x_test) == len(y_test) == n_test and len(x_train) == len(y_train) == len(x) - n_test,
           f"with test_size={test_size} and {len(x)} rows expected {len(x) - n_test} training and {n_test} "
           f"test rows (and as many labels), got {len(x_train)}/{len(y_train)} and {len(x_test)}/{len(y_test)}.")
    expect(hasattr(scaler, "mean_"), "the preprocessor passed in was never fitted: fit it on the training rows.")
    means, stds = x_train.mean(axis=0), x_train.std(axis=0)
    worst = int(np.argmax(np.abs(means)))
    expect(abs(means[worst]) < 1e-6 and np.allclose(stds, 1, atol=1e-6),
           f"the scaler was fitted on other rows than the training split: training column {worst} has mean "
           f"{means[worst]:.4f} instead of exactly 0. Split first, then fit on the training rows only.")
    expect(np.abs(x_test.mean(axis=0)).max() > 1e-3,
           "the test rows come out with mean 0 exactly: was the scaler fitted again on them? "
           "Fit once on the training rows, and only transform the test rows.")
    rows = scaler.inverse_transform(np.vstack([x_train, x_test]))
    nearest, distance = _rows_in(rows, x)
    expect(bool(np.all(distance < 1e-6)) and len(set(nearest.tolist())) == len(x),
           "the training and test rows together should be every row of x exactly once, transformed.")
    expect(np.array_equal(np.concatenate([y_train, y_test]), y[nearest]),
           "the labels no longer belong to their rows: split x and y together, in one call.")
    for label in np.unique(y):
        want = np.mean(y == label) * n_test
        got = int(np.sum(y_test == label))
        expect(abs(got - want) <= 1,
               f"the test split should keep the class proportions of y: class {label} has {got} test rows, "
               f"expected about {want:.0f}. Stratify the split by the labels.")


def check_mlp(model, image_shape, num_classes: int, hidden_units: int = 512) -> None:
    """``model`` flattens an image into one hidden relu layer and a softmax output."""
    _expect_model_shapes(model, (None, *image_shape), (None, num_classes))
    _expect_dense_stack(model, [hidden_units, num_classes], ["relu", "softmax"])
    features = int(np.prod(image_shape))
    want = (features + 1) * hidden_units + (hidden_units + 1) * num_classes
    expect(model.count_params() == want,
           f"a {features}-{hidden_units}-{num_classes} MLP has {want:,} parameters, yours has {model.count_params():,}.")


def check_harris_response(harris_response, image=None, settings=((2, 3, 0.04), (3, 5, 0.06))) -> None:
    """``harris_response(gray, block_size, ksize, k)`` matches ``cv2.cornerHarris`` up to a positive factor.

    ``image`` (RGB or grey) defaults to a crop of scikit-image's cat photo; ``settings``
    lists the ``(block_size, ksize, k)`` to try.
    """
    from starter_lib import corners

    if image is None:
        image = corners.read_bgr(corners.sample_photo_path("chelsea.png"))[60:180, 100:260, ::-1]
    gray = corners.to_gray(image)
    for block_size, ksize, k in settings:
        got = _call(harris_response, gray, block_size, ksize, k)
        expect(got.shape == gray.shape,
               f"the response should have one value per pixel, shape {gray.shape}; got shape {got.shape}.")
        expect(bool(np.all(np.isfinite(got))), "the response contains nan or inf values.")
        margin = block_size + ksize
        got = got[margin:-margin, margin:-margin]
        want = corners.harris_opencv(gray, block_size, ksize, k)[margin:-margin, margin:-margin]
        expect(np.abs(got).max() > 0, "your response is 0 everywhere, yet this photo has corners and edges.")
        expect(float(np.sum(got * want)) > 0,
               "your response is negative where OpenCV's is positive: corners should score high, "
               "edges negative. Check the sign of det(M) - k * trace(M)**2.")
        gap = np.abs(got / np.abs(got).max() - want / np.abs(want).max()).max()
        expect(gap < 1e-3,
               f"with blockSize={block_size}, ksize={ksize}, k={k} your response differs from cv2.cornerHarris "
               f"by up to {gap:.1%} of the largest value (away from the border). Use Sobel gradients of that "
               "ksize and sum their products over a blockSize x blockSize window.")
    flat = _call(harris_response, np.full((20, 20), 0.5, dtype=np.float32), 2, 3, 0.04)
    expect(np.allclose(flat, 0), "a flat grey image has no gradients, so its response should be 0 everywhere.")


def _keras_output_length(length: int, kernel_size: int, stride: int, padding: str) -> int:
    import keras

    layer = keras.layers.Conv2D(1, kernel_size, strides=stride, padding=padding)
    return int(layer.compute_output_shape((None, length, length, 1))[1])


def check_conv_output_length(conv_output_length) -> None:
    """``conv_output_length`` agrees with Keras for valid and same padding and several strides."""
    cases = ((28, 3, 1, "valid"), (26, 2, 2, "valid"), (11, 2, 2, "valid"), (28, 5, 2, "valid"),
             (32, 5, 1, "same"), (7, 3, 2, "same"))
    for length, kernel_size, stride, padding in cases:
        got = conv_output_length(length, kernel_size, stride, padding)
        want = _keras_output_length(length, kernel_size, stride, padding)
        expect(got == want,
               f"conv_output_length(length={length}, kernel_size={kernel_size}, stride={stride}, "
               f"padding={padding!r}) returned {got}; Keras computes {want}.")


def check_conv_params(conv_params) -> None:
    """``conv_params(kernel_size, in_channels, filters)`` agrees with Keras' parameter count."""
    import keras

    for kernel_size, in_channels, filters in ((3, 1, 32), (3, 32, 64), (5, 3, 16), (1, 64, 10)):
        layer = keras.layers.Conv2D(filters, kernel_size)
        layer.build((None, 16, 16, in_channels))
        got = conv_params(kernel_size, in_channels, filters)
        expect(got == layer.count_params(),
               f"conv_params(kernel_size={kernel_size}, in_channels={in_channels}, filters={filters}) returned "
               f"{got}; Keras counts {layer.count_params():,}. Remember one bias per filter.")


def check_cnn(model, image_shape, num_classes: int, expected_params: int) -> None:
    """``model`` is conv32-pool-conv64-pool-conv64-flatten-dense64-dense(K), 3x3 kernels, 2x2 pools."""
    import keras

    _expect_model_shapes(model, (None, *image_shape), (None, num_classes))
    spec = [("Conv2D", 32), ("MaxPooling2D", 2), ("Conv2D", 64), ("MaxPooling2D", 2), ("Conv2D", 64),
            ("Flatten", None), ("Dense", 64), ("Dense", num_classes)]
    layers = [layer for layer in model.layers if not isinstance(layer, keras.layers.Dropout)]
    got = [type(layer).__name__ for layer in layers]
    expect(got == [kind for kind, _ in spec],
           f"expected the layers {', '.join(kind for kind, _ in spec)} (Dropout may go between them), got {', '.join(got)}.")
    for index, (layer, (kind, size)) in enumerate(zip(layers, spec)):
        if kind == "Conv2D":
            expect(layer.filters == size and tuple(layer.kernel_size) == (3, 3) and _activation_name(layer) == "relu",
                   f"layer {index} should be a 3x3 Conv2D with {size} filters and relu, got {layer.filters} "
                   f"filters of {tuple(layer.kernel_size)} with {_activation_name(layer)}.")
        if kind == "MaxPooling2D":
            expect(tuple(layer.pool_size) == (2, 2), f"layer {index} should pool 2x2, got {tuple(layer.pool_size)}.")
    _expect_dense_stack(model, [64, num_classes], ["relu", "softmax"])
    expect(model.count_params() == expected_params,
           f"expected {expected_params:,} parameters, got {model.count_params():,}: check padding (none) and strides.")
# --- Notebooks 01-02: image folders, input pipelines, augmentation --------------------

def _returned(function, *args, **kwargs):
    """Call a learner's function and insist that it returned something."""
    result = function(*args, **kwargs)
    expect(result is not None, f"{function.__name__} returned None: did you forget `return`?")
    return result


def check_scale_pixels(scale_pixels) -> None:
    """``scale_pixels(images, low, high)`` maps 0..255 linearly onto low..high as float32."""
    images = np.array([[0, 51], [204, 255]], dtype=np.uint8)
    kept = images.copy()
    for (low, high), want in (((0.0, 1.0), [[0, 0.2], [0.8, 1]]), ((-1.0, 1.0), [[-1, -0.6], [0.6, 1]])):
        out = np.asarray(_returned(scale_pixels, images, low, high))
        expect(np.array_equal(images, kept) and images.dtype == np.uint8, "scale_pixels changed its input array.")
        expect(out.shape == images.shape, f"images of shape {images.shape} came back with shape {out.shape}.")
        expect(out.dtype == np.float32, f"expected float32 pixels, got {out.dtype}.")
        expect(np.allclose(out, want, atol=1e-6),
               f"scaling to [{low}, {high}] should map 0 to {low}, 255 to {high} and everything between "
               f"on a straight line; pixels 0, 51, 204, 255 became {np.round(out.ravel(), 4).tolist()}.")


def _tree_files(root: Path) -> dict[str, dict[str, set[str]]]:
    """``{split: {class: file names}}`` of a dataset tree, files at any depth."""
    return {split.name: {cls.name: {f.name for f in cls.rglob("*") if f.is_file()}
                         for cls in sorted(split.iterdir()) if cls.is_dir()}
            for split in sorted(root.iterdir()) if split.is_dir()}


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(f.relative_to(folder)): f.read_bytes() for f in sorted(folder.rglob("*")) if f.is_file()}


def check_split_dataset(split_dataset, raw_dir, val_fraction: float = 0.2, test_fraction: float = 0.2) -> None:
    """``split_dataset`` copies every raw image into exactly one split, stratified and seeded."""
    import tempfile

    from starter_lib.folders import SPLITS, is_image_file

    raw_dir = Path(raw_dir)
    before = _snapshot(raw_dir)
    raw = {cls.name: sorted(f.name for f in cls.iterdir() if is_image_file(f))
           for cls in sorted(raw_dir.iterdir()) if cls.is_dir()}
    with tempfile.TemporaryDirectory() as scratch:
        trees = {}
        for run, seed in (("a", 3), ("b", 3), ("c", 4)):
            target = Path(scratch) / run / "dataset"
            result = _returned(split_dataset, raw_dir, target, val_fraction, test_fraction, seed)
            expect(Path(result) == target, f"split_dataset should return the dataset folder {target}, got {result!r}.")
            expect(_snapshot(raw_dir) == before,
                   "the raw folder changed: copy the images into the dataset tree, never move or edit them.")
            trees[run] = _tree_files(target)
        _expect_split_tree(trees["a"], raw, raw_dir, Path(scratch) / "a" / "dataset", SPLITS,
                           {"val": val_fraction, "test": test_fraction})
        expect(trees["a"] == trees["b"], "two runs with seed=3 gave different splits: draw the shuffle from a "
                                         "random generator made from `seed`, and sort the file names first.")
        expect(trees["a"] != trees["c"], "seeds 3 and 4 gave the same split: is the seed used to shuffle?")


def _expect_split_tree(tree, raw, raw_dir, root, splits, fractions) -> None:
    expect(sorted(tree) == sorted(splits), f"expected the split folders {sorted(splits)}, found {sorted(tree)}.")
    for split, classes in tree.items():
        expect(sorted(classes) == sorted(raw),
               f"{split}/ holds class folders {sorted(classes)}, expected one per raw class: {sorted(raw)}.")
    for cls, names in raw.items():
        seen = {}
        for split in splits:
            for name in tree[split][cls]:
                expect(name in names, f"{split}/{cls}/{name} is not one of the images in {raw_dir / cls}.")
                expect(name not in seen, f"{cls}/{name} is in both {seen.get(name)} and {split}: "
                                         "a file in two splits leaks between them.")
                seen[name] = split
                expect((root / split / cls / name).read_bytes() == (raw_dir / cls / name).read_bytes(),
                       f"{split}/{cls}/{name} differs from the raw file: copy files unchanged.")
        missing = sorted(set(names) - set(seen))
        expect(not missing, f"{len(missing)} images of class {cls} are in no split, e.g. {missing[:3]}.")
        for split, fraction in fractions.items():
            got, want = len(tree[split][cls]), len(names) * fraction
            expect(abs(got - want) <= 1,
                   f"class {cls} has {len(names)} images, so {split} should get about {want:.1f} of them, "
                   f"it got {got}: split each class separately (stratify).")


def check_count_per_class(count_per_class, split_dir=None, expected: dict | None = None) -> None:
    """``count_per_class(split_dir)`` counts the image files of each class folder.

    Without arguments it writes a small tree of its own, with an empty class and a stray file.
    """
    import tempfile

    from starter_lib import data, folders

    if split_dir is not None:
        got = _returned(count_per_class, split_dir)
        expect(isinstance(got, dict), f"expected a dict {{class name: count}}, got {type(got).__name__}.")
        expect(sorted(got) == sorted(expected),
               f"expected one entry per class folder, {sorted(expected)}, got {sorted(got)}.")
        for name, want in expected.items():
            expect(got[name] == want, f"class {name!r} holds {want} image files, you counted {got[name]}.")
        return
    with tempfile.TemporaryDirectory() as scratch:
        pictures = data.shape_images((5, 2, 7), size=16, seed=1)
        root = folders.write_class_folders(*pictures, Path(scratch) / "train")
        (root / "star").mkdir()
        (root / "README.txt").write_text("not a class\n")
        (root / "circle" / "notes.txt").write_text("not a picture\n")
        check_count_per_class(count_per_class, root, {"circle": 5, "square": 2, "triangle": 7, "star": 0})


def check_imbalance_ratio(imbalance_ratio) -> None:
    """Largest class count over smallest; infinite with an empty class; ValueError when there is no class."""
    for counts, want in (({"a": 10, "b": 5}, 2.0), ({"a": 3, "b": 3, "c": 3}, 1.0), ({"a": 7}, 1.0),
                         ({"a": 12, "b": 4, "c": 6}, 3.0), ({"a": 0, "b": 4}, math.inf)):
        got = _returned(imbalance_ratio, dict(counts))
        expect(isinstance(got, (float, int, np.floating, np.integer)), f"expected a number, got {type(got).__name__}.")
        expect(got == want or math.isclose(got, want), f"counts {counts} should give a ratio of {want}, got {got}.")
    try:
        imbalance_ratio({})
    except ValueError:
        return
    except Exception as error:
        raise CheckFailed(f"an empty dict should raise ValueError, it raised {type(error).__name__}.") from error
    raise CheckFailed("an empty dict (no classes at all) should raise ValueError, it raised nothing.")


def _write_split_tree(root: Path, shapes: tuple[str, ...]) -> None:
    """Three splits of freshly drawn shape pictures: a tree the learner has never seen."""
    from starter_lib import data, folders

    for seed, (split, count) in enumerate((("train", 12), ("val", 4), ("test", 4))):
        pictures = data.shape_images(count, size=20, shapes=shapes, seed=seed)
        folders.write_class_folders(*pictures, root / split)


def check_load_split(load_split, dataset_dir=None, image_size=(16, 16), batch_size: int = 5) -> None:
    """``load_split`` loads one split with the requested size, batch and label mode; only train is shuffled.

    Without ``dataset_dir`` it writes a three-class and a two-class tree of its own.
    """
    import tempfile

    if dataset_dir is not None:
        for split in ("train", "val", "test"):
            for mode in ("int", "categorical"):
                _expect_loaded(load_split, Path(dataset_dir), split, image_size, batch_size, mode)
        return
    with tempfile.TemporaryDirectory() as scratch:
        three, two = Path(scratch) / "three", Path(scratch) / "two"
        _write_split_tree(three, ("circle", "square", "triangle"))
        _write_split_tree(two, ("square", "star"))
        check_load_split(load_split, three, image_size, batch_size)
        for split in ("train", "test"):
            _expect_loaded(load_split, two, split, image_size, batch_size, "binary")


def _expect_loaded(load_split, root: Path, split: str, image_size, batch_size: int, mode: str) -> None:
    import tensorflow as tf

    dataset = _returned(load_split, root, split, image_size, batch_size, mode)
    where = f"load_split(..., {split!r}, {tuple(image_size)}, {batch_size}, {mode!r})"
    expect(isinstance(dataset, tf.data.Dataset), f"{where} returned a {type(dataset).__name__}, not a tf.data.Dataset.")
    classes = sorted(p.name for p in (root / split).iterdir() if p.is_dir())
    expect(getattr(dataset, "class_names", None) == classes,
           f"{where}: expected class_names {classes}, got {getattr(dataset, 'class_names', None)}.")
    image_spec, label_spec = dataset.element_spec
    want = (None, *image_size, 3)
    expect(tuple(image_spec.shape) == want, f"{where}: expected image batches of shape {want}, got {tuple(image_spec.shape)}.")
    label_shapes = {"int": (None,), "categorical": (None, len(classes)), "binary": (None, 1)}
    expect(tuple(label_spec.shape) == label_shapes[mode],
           f"{where}: label_mode {mode!r} gives labels of shape {label_shapes[mode]}, got {tuple(label_spec.shape)}.")
    passes = [np.concatenate([np.asarray(y).reshape(len(y), -1).argmax(-1) if mode == "categorical"
                              else np.asarray(y).ravel() for _, y in dataset]) for _ in range(2)]
    first = next(iter(dataset))[0]
    expect(len(first) == batch_size, f"{where}: the first batch holds {len(first)} images, expected {batch_size}.")
    in_order = bool(np.all(np.diff(passes[0]) >= 0)) and np.array_equal(*passes)
    if split == "train":
        expect(not in_order, f"{where}: the training images come out in folder order; shuffle the training split.")
    else:
        expect(in_order, f"{where}: the {split} images come out shuffled; keep validation and test in a "
                         "fixed order so predictions line up with files.")


def _bounds(kind: str, factor) -> tuple[float, float]:
    """A layer's factor as the signed range ``(low, high)`` it draws from.

    A number ``f`` means ``(-f, f)``; a pair is the range itself, except for
    ``RandomContrast``, whose pair ``(a, b)`` means contrast factors from ``1 - a`` to ``1 + b``.
    """
    if factor is None:
        return (math.nan, math.nan)
    if np.ndim(factor) == 0:
        return (-abs(float(factor)), abs(float(factor)))
    low, high = (float(value) for value in factor)
    return (-low, high) if kind == "RandomContrast" else (low, high)


def _expect_layer(layers, kind: str, settings: dict, want: float, what: str) -> None:
    """A layer of class ``kind`` whose every factor in ``settings`` spans ``(-want, want)``."""
    matching = [layer for layer in layers if type(layer).__name__ == kind]
    expect(len(matching) == 1, f"expected one {kind} layer ({what}), found {len(matching)}.")
    config = matching[0].get_config()
    for setting, scale in settings.items():
        factor = config.get(setting)
        if setting == "width_factor" and factor is None and kind == "RandomZoom":
            factor = config.get("height_factor")  # RandomZoom keeps the aspect ratio
        low, high = _bounds(kind, factor)
        allows = (f"contrast factors from {1 + low:.3g} to {1 + high:.3g}" if kind == "RandomContrast"
                  else f"{low * scale:.4g} to {high * scale:.4g}{' degrees' if scale == 360 else ''}")
        expect(np.allclose([low, high], [-want, want], atol=1e-6),
               f"expected {kind} to allow {what}; its {setting} {config.get(setting)!r} allows {allows}.")


def check_augmenter(build_augmenter, rotation_degrees: float = 15, zoom: float = 0.1, shift: float = 0.1,
                    contrast: float = 0.2) -> None:
    """``build_augmenter(seed)`` follows the spec: off at inference, random but reproducible in training."""
    import keras

    augmenter = _returned(build_augmenter, seed=1)
    expect(isinstance(augmenter, keras.layers.Layer), f"expected a Keras layer or model, got {type(augmenter).__name__}.")
    layers = _layers_of(augmenter)
    flips = [layer for layer in layers if type(layer).__name__ == "RandomFlip"]
    expect(len(flips) == 1 and flips[0].get_config()["mode"] == "horizontal",
           "expected one RandomFlip that mirrors left to right only.")
    _expect_layer(layers, "RandomRotation", {"factor": 360}, rotation_degrees / 360,
                  f"turns of up to {rotation_degrees} degrees either way (a factor is a share of a full turn)")
    _expect_layer(layers, "RandomZoom", {"height_factor": 1, "width_factor": 1}, zoom, f"zooms of up to {zoom:.0%}")
    _expect_layer(layers, "RandomTranslation", {"height_factor": 1, "width_factor": 1}, shift,
                  f"shifts of up to {shift:.0%} of the height and width")
    _expect_layer(layers, "RandomContrast", {"factor": 1}, contrast, f"contrast changes of up to {contrast:.0%}")
    blocks = np.random.default_rng(0).integers(0, 2, size=(8, 8, 8, 3))  # black and white patches
    images = np.kron(blocks, np.ones((1, 4, 4, 1))).astype("float32")
    expect(np.allclose(np.asarray(augmenter(images, training=False)), images),
           "with training=False the augmenter changed the images; augmentation must be off at inference.")
    first = np.asarray(augmenter(images, training=True))
    expect(first.shape == images.shape, f"augmenting a batch of shape {images.shape} gave shape {first.shape}.")
    expect(first.min() >= -1e-4 and first.max() <= 1 + 1e-4,
           f"augmented pixels range from {first.min():.3f} to {first.max():.3f}, outside [0, 1]: which layer "
           "needs to be told the value range of the images?")
    expect(not np.allclose(first, images), "with training=True the augmenter left every image unchanged.")
    expect(not np.allclose(np.asarray(augmenter(images, training=True)), first),
           "two training calls gave the same result; each call must draw new random transforms.")
    again = np.asarray(_returned(build_augmenter, seed=1)(images, training=True))
    expect(np.allclose(again, first, atol=1e-5),
           "two augmenters built with seed=1 gave different results: pass the seed to every random layer.")


def check_normalizer(build_normalizer, images) -> None:
    """``build_normalizer(images)`` returns a Normalization layer adapted to one mean and variance per channel.

    Besides ``images`` it tries a batch whose colour channels differ in mean and spread.
    """
    import keras

    rng = np.random.default_rng(0)
    uneven = rng.uniform(0, 1, size=(6, 8, 8, 3)) * [1.0, 0.5, 0.1] + [0.0, 0.4, 0.8]
    for batch in (np.asarray(images, dtype="float32"), uneven.astype("float32")):
        layer = _returned(build_normalizer, batch)
        expect(isinstance(layer, keras.layers.Normalization),
               f"expected a keras.layers.Normalization layer, got {type(layer).__name__}.")
        out = np.asarray(layer(batch))
        expect(out.shape == batch.shape, f"normalising images of shape {batch.shape} gave shape {out.shape}.")
        axes = tuple(range(out.ndim - 1))
        for channel, (mean, std) in enumerate(zip(out.mean(axis=axes), out.std(axis=axes))):
            expect(abs(mean) < 1e-3 and abs(std - 1) < 1e-2,
                   f"after normalising a batch of shape {batch.shape}, channel {channel} has mean {mean:.3f} and "
                   f"standard deviation {std:.3f}; expected 0 and 1 for every channel: adapt the layer to "
                   "the images it is given, with one mean and variance per channel.")


def _pipeline_stages(dataset) -> list[str]:
    """The transformations of a ``tf.data`` pipeline, first to last, e.g. ``["source", "map", "batch"]``."""
    names = []
    while dataset is not None:
        name = type(dataset).__name__.strip("_").removesuffix("Dataset").lower()
        if name != "options":
            names.append({"parallelmap": "map", "parallelbatch": "batch", "tensorslice": "source",
                          "tensor": "source"}.get(name, name))
        dataset = getattr(dataset, "_input_dataset", None)
    return names[::-1]


def _expect_order(stages: list[str], training: bool) -> None:
    shown = " -> ".join(stages)
    expect(len(stages) > 1 and stages[0] == "source",
           f"could not read the pipeline's stages ({shown}); start from tf.data.Dataset.from_tensor_slices.")
    expect(stages[-1] == "prefetch", f"your pipeline is {shown}; end it with prefetch so the next batch is "
                                     "prepared while the model trains.")
    expect(stages.count("cache") == 1 and stages.index("cache") > 0 and stages[stages.index("cache") - 1] == "map",
           f"your pipeline is {shown}; cache once, right after the map that reads and decodes the files.")
    cache, batch = stages.index("cache"), stages.index("batch") if "batch" in stages else -1
    expect(batch > cache, f"your pipeline is {shown}; batch after cache.")
    after_batch = stages[batch + 1:-1]
    if training:
        augment_late = (f"your pipeline is {shown}; in training, augment whole batches after batch (once, one "
                        "map), so every epoch sees new random versions.")
        expect("map" not in stages[cache + 1:batch], augment_late)
        expect(stages[cache + 1:batch] == ["shuffle"],
               f"your pipeline is {shown}; in training, shuffle single images between cache and batch.")
        expect(after_batch == ["map"], augment_late)
    else:
        expect("shuffle" not in stages and after_batch == [],
               f"your pipeline is {shown}; with training=False there is no shuffle and no augmentation, "
               "so validation and test give the same batches every time.")


def check_input_pipeline(input_pipeline, paths, labels, image_size=(32, 32), batch_size: int = 8,
                         channels: int = 3) -> None:
    """``input_pipeline`` reads, caches, shuffles, batches, augments and prefetches, in that order."""
    import keras
    import tensorflow as tf

    paths, labels = list(paths)[:24], np.asarray(labels)[:24]
    augmenter = keras.Sequential([keras.layers.RandomFlip("horizontal", seed=5),
                                  keras.layers.RandomTranslation(0.2, 0.2, seed=5)])
    for training in (False, True):
        dataset = _returned(input_pipeline, paths, labels, image_size, batch_size, training,
                            augmenter if training else None)
        expect(isinstance(dataset, tf.data.Dataset), f"expected a tf.data.Dataset, got {type(dataset).__name__}.")
        _expect_order(_pipeline_stages(dataset), training)
        images_spec, _ = dataset.element_spec
        want = (None, *image_size, channels)
        expect(tuple(images_spec.shape) == want and images_spec.dtype == tf.float32,
               f"expected float32 image batches of shape {want}, got {images_spec.dtype.name} {tuple(images_spec.shape)}.")
        passes = [list(dataset.as_numpy_iterator()) for _ in range(2)]
        expect(len(passes[0][0][0]) == min(batch_size, len(paths)),
               f"the first batch holds {len(passes[0][0][0])} images, expected {batch_size}.")
        order = [np.concatenate([y for _, y in run]) for run in passes]
        pixels = [np.concatenate([x for x, _ in run]) for run in passes]
        expect(len(order[0]) == len(paths), f"{len(paths)} files gave {len(order[0])} images.")
        expect(pixels[0].min() >= 0 and pixels[0].max() <= 1, "expected pixels scaled to [0, 1].")
        if training:
            expect(not np.array_equal(*order), "two training epochs came in the same order: reshuffle every epoch.")
        else:
            expect(np.array_equal(order[0], labels) and np.allclose(*pixels),
                   "with training=False the images must come in the order of `paths`, the same every time.")


def check_with_augmentation(with_augmentation) -> None:
    """``with_augmentation(model, augmenter)`` puts the augmenter in front of the unchanged model."""
    import keras

    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((16, 16, 3)), keras.layers.Conv2D(4, 3, activation="relu"),
                              keras.layers.Flatten(), keras.layers.Dense(3)])
    augmenter = keras.Sequential([keras.layers.RandomFlip("horizontal", seed=2),
                                  keras.layers.RandomTranslation(0.25, 0.25, seed=2)])
    combined = _returned(with_augmentation, model, augmenter)
    expect(isinstance(combined, keras.Model), f"expected a keras.Model, got {type(combined).__name__}.")
    try:
        got = tuple(combined.inputs[0].shape)
    except (AttributeError, ValueError, TypeError):  # a model without a declared input has no .inputs yet
        got = None
    expect(got == (None, 16, 16, 3), f"expected input shape (None, 16, 16, 3) like the model's, got {got}: "
                                     "start the new model from keras.Input.")
    expect(combined.count_params() == model.count_params(),
           f"augmentation layers hold no weights, so the new model should have the model's "
           f"{model.count_params():,} parameters; it has {combined.count_params():,}.")
    images = np.random.default_rng(1).uniform(0, 1, size=(4, 16, 16, 3)).astype("float32")
    plain = np.asarray(model(images, training=False))
    expect(np.allclose(np.asarray(combined(images, training=False)), plain, atol=1e-5),
           "at inference the new model must give exactly the model's outputs: augmentation off, same weights.")
    expect(not np.allclose(np.asarray(combined(images, training=True)), plain, atol=1e-5),
           "in training the new model gave the model's own outputs: the augmenter should change the inputs first.")


def check_choice(chosen, options) -> None:
    """``chosen`` is a set of names picked from ``options``: some, but not all of them."""
    expect(isinstance(chosen, (set, frozenset, list, tuple)),
           f"expected a set of names, got {type(chosen).__name__}.")
    unknown = [name for name in chosen if name not in options]
    expect(not unknown, f"{unknown} are not among the options; copy the names exactly.")
    expect(len(set(chosen)) == len(chosen), "a name appears twice.")
    expect(0 < len(chosen) < len(options), f"pick some of the {len(options)} options, not none or all.")
