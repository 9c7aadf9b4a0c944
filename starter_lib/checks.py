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

    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
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
