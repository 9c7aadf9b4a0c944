"""Typical wrong answers: each one, put in the learner copy, fails its visible check with a message naming the fault.

One row per mutant: the lesson, the exercise's solution cell, the edits that
turn the master's answer into the mistake, and a pattern the message must
match. The progress view judges the same way, so none of them shows as done.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pytest
from mutant_tools import Lesson, mutate

from notebook_tools import environment

L01, L02, L03, L04 = "01-dataset-creation", "02-data-augmentation", "03-logistic-regression", "04-multi-layer-perceptron"
L05, L06, L07 = "05-convolutional-networks", "06-regularization", "07-recurrent-networks"

MUTANTS = [  # (lesson, solution cell, edits, what the message must say)
    (L01, "scale_pixels", [("np.float32(255)", "np.float32(256)")], "should map 0 to 0.0, 255 to 1.0"),
    (L01, "scale_pixels", [("(np.float32(low) + fraction * np.float32(high - low)).astype(np.float32)",
                            "low + images / 255 * (high - low)")],
     "expected float32 pixels, got float64"),
    (L01, "scale_pixels", [("np.float32(low) + fraction", "fraction")], r"scaling to \[-1.0, 1.0\] should map 0 to -1.0"),
    (L01, "scale_pixels", [("    return (", "    (")], "did you forget `return`"),
    (L01, "split_dataset", [("rng.permutation(len(files))", "range(len(files))")], "seeds 3 and 4 gave the same split"),
    (L01, "split_dataset", [("np.random.default_rng(seed)", "np.random.default_rng()")],
     "two runs with seed=3 gave different splits"),
    (L01, "split_dataset", [("files[n_test:n_test + n_val]", "files[n_test:]")], "leaks between them"),
    (L01, "split_dataset", [("    return dataset_dir\n", "")], "did you forget `return`"),
    (L01, "count_per_class", [('class_dir.rglob("*")', "class_dir.iterdir()")], "sub-folder"),
    (L01, "count_per_class", [("folders.is_image_file(path)", "path.is_file()")], "you counted"),
    (L01, "count_per_class", [(" if class_dir.is_dir()", "")], "|".join(["README", "class folder"])),
    (L01, "imbalance_ratio", [("largest / smallest", "largest // smallest")], "should give a ratio of 3.5, got 3"),
    (L01, "imbalance_ratio", [("math.inf if smallest == 0 else ", "")], "raised ZeroDivisionError: a class without images"),
    (L01, "imbalance_ratio", [('        raise ValueError("expected counts for at least one class, got an empty dict")',
                               "        return 0.0")], "should raise ValueError, it raised nothing"),
    (L01, "load_split", [('color_mode="rgb"', 'color_mode="grayscale"')], r"expected image batches of shape \(None, 16, 16, 3\)"),
    (L01, "load_split", [('shuffle=split == "train"', "shuffle=True")], "come out shuffled"),
    (L01, "load_split", [("label_mode=label_mode", 'label_mode="int"')], "label_mode 'categorical' gives labels"),

    (L02, "build_augmenter", [('RandomFlip("horizontal"', 'RandomFlip("horizontal_and_vertical"')], "mirrors left to right only"),
    (L02, "build_augmenter", [("RandomRotation(15 / 360", "RandomRotation(15")], "a rotation is a share of a full turn"),
    (L02, "build_augmenter", [(", value_range=(0, 1)", "")], "outside \\[0, 1\\]"),
    (L02, "build_augmenter", [("RandomZoom(0.1, seed=seed)", "RandomZoom(0.1)")], "pass the seed to every random layer"),
    (L02, "safe_for_digits", [('"rotation up to 10 degrees", ', '"horizontal flip", "rotation up to 10 degrees", ')],
     "'horizontal flip' does not keep the label"),
    (L02, "safe_for_digits", [('"rotation up to 10 degrees", ', '"rotation up to 180 degrees", ')],
     "'rotation up to 180 degrees' does not keep the label"),
    (L02, "safe_for_digits", [(', "contrast up to 20 %"', "")], "you left out 1 option"),
    (L02, "safe_for_digits", [('return {"rotation up to 10 degrees", "zoom up to 10 %", "shift up to 10 %", "contrast up to 20 %"}',
                               'return ["rotation up to 10 degrees", "zoom up to 10 %", "shift up to 10 %", "contrast up to 20 %"]')],
     "expected a set of names, got list"),
    (L02, "build_normalizer", [("axis=-1", "axis=None")], "one mean and variance per channel"),
    (L02, "build_normalizer", [("    layer.adapt(train_images)\n", "")], "adapt the layer"),
    (L02, "build_normalizer", [("    return layer\n", "")], "did you forget `return`"),
    (L02, "with_augmentation", [("model(augmenter(inputs))", "keras.models.clone_model(model)(augmenter(inputs))")],
     "same weights"),
    (L02, "with_augmentation", [("model(augmenter(inputs))", "model(inputs)")], "augmenter should change the inputs"),
    (L02, "with_augmentation", [('    inputs = keras.Input(shape=model.input_shape[1:])\n'
                                 '    return keras.Model(inputs, model(augmenter(inputs)), name=f"augmented_{model.name}")',
                                 "    return keras.Sequential([augmenter, model])")],
     "expected input shape|keras.Input"),
    (L02, "input_pipeline", [("    return dataset.prefetch(tf.data.AUTOTUNE)", "    return dataset")], "end it with prefetch"),
    (L02, "input_pipeline", [("    if training:\n        dataset = dataset.shuffle", "    if True:\n        dataset = dataset.shuffle")],
     "with training=False there is no shuffle"),
    (L02, "input_pipeline", [(".cache()", "")], "cache once"),

    (L03, "sigmoid", [("np.exp(-np.asarray(z, dtype=float))", "np.exp(np.asarray(z, dtype=float))")], "must increase with z"),
    (L03, "sigmoid", [("    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))",
                       "    import math\n    return 1.0 / (1.0 + math.exp(-z))")], "element-wise on arrays"),
    (L03, "sigmoid", [("return ", "")], "did you forget `return`"),
    (L03, "softmax", [("scores - scores.max(axis=-1, keepdims=True)", "scores")], "overflowed on large scores"),
    (L03, "softmax", [("shifted.sum(axis=-1, keepdims=True)", "shifted.sum()")], "rows must sum to 1"),
    (L03, "softmax", [("shifted.sum(axis=-1, keepdims=True)", "shifted.sum(axis=0)")], "rows must sum to 1"),
    (L03, "cross_entropy", [("np.log(q)", "np.log10(q)")], "natural log"),
    (L03, "cross_entropy", [("    q = np.clip(np.asarray(q, dtype=float), 1e-12, 1.0)\n", "")], "should cost 0"),
    (L03, "cross_entropy", [("float(-np.sum(", "float(np.sum(")], "should give H = 0.479"),
    (L03, "build_logistic_regression", [('activation="softmax"', 'activation="sigmoid"')], "must sum to 1"),
    (L03, "build_logistic_regression", [("            keras.layers.Flatten(),\n",
                                         "            keras.layers.Flatten(),\n            keras.layers.Dense(32),\n")],
     "exactly one Dense layer"),
    (L03, "build_logistic_regression", [("            keras.Input(shape=image_shape),\n", "")], "start the model from keras.Input"),
    (L03, "train_logistic_regression", [("    return model.fit(", "    model.fit(")], "did you forget `return`"),
    (L03, "train_logistic_regression", [('loss="sparse_categorical_crossentropy"', 'loss="categorical_crossentropy"')],
     "never took a training step.* sparse labels .* need sparse_categorical_crossentropy"),
    (L03, "train_logistic_regression", [("learning_rate=0.01", "learning_rate=1e-5")], "learning rate"),
    (L04, "build_xor_mlp", [('Dense(1, activation="sigmoid")', "Dense(1)")], r"got \['relu', 'relu', 'linear'\]"),
    (L04, "build_xor_mlp", [("Dense(8,", "Dense(16,")], r"expected Dense layers of \[8, 4, 1\] units"),
    (L04, "build_xor_mlp", [("            keras.Input(shape=(2,)),\n", "")], "start the model from keras.Input"),
    (L04, "train_xor", [('loss="binary_crossentropy"', 'loss="categorical_crossentropy"')],
     "trained with binary cross-entropy, yours with categorical_crossentropy"),
    (L04, "train_xor", [("    model.compile(", "    dict(")], "never compiled"),
    (L04, "train_xor", [("    return model.fit(", "    model.fit(")], "did you forget `return`"),
    (L04, "make_preprocessor", [('list(numeric_columns)', "numeric_columns")], "Were the columns handed on as a list"),
    (L04, "make_preprocessor", [('handle_unknown="ignore", ', "")], "ignore unknown categories"),
    (L04, "make_preprocessor", [("StandardScaler()", '"passthrough"')], "mean 0 and standard deviation 1"),
    (L04, "split_then_scale", [("stratify=y, ", "")], "Stratify the split"),
    (L04, "split_then_scale", [("preprocessor.transform(x_test)", "preprocessor.fit_transform(x_test)")], "fitted again"),
    (L04, "split_then_scale", [("    return preprocessor.fit_transform(x_train), preprocessor.transform(x_test)",
                                "    preprocessor.fit(x)\n    return preprocessor.transform(x_train), preprocessor.transform(x_test)")],
     "Split first, then fit on the training rows only"),
    (L04, "build_mlp", [("            keras.layers.Flatten(),\n", "")], "which layer turns each image into one long vector"),
    (L04, "build_mlp", [("Dense(512, activation", "Dense(256, activation")], r"expected Dense layers of \[512, 10\] units"),
    (L04, "build_mlp", [('Dense(num_classes, activation="softmax")', 'Dense(num_classes, activation="relu")')],
     r"got \['relu', 'relu'\]"),
    (L04, "train_mlp", [('metrics=["accuracy"]', 'metrics=["acuracy"]')], "never took a training step"),
    (L04, "train_mlp", [("    y_train, y_val = keras.utils.to_categorical(y_train, num_classes), "
                         "keras.utils.to_categorical(y_val, num_classes)\n", "")],
     "never took a training step.* sparse labels .* need sparse_categorical_crossentropy"),
    (L04, "train_mlp", [("    model.compile(", "    dict(")], "never compiled"),

    (L05, "harris_response", [("cv2.Sobel(gray, cv2.CV_64F, 0, 1, ksize=ksize)", "cv2.Sobel(gray, cv2.CV_64F, 1, 0, ksize=ksize)")],
     "Take one along x and one along y"),
    (L05, "harris_response", [("k * (sxx + syy) ** 2", "k * (sxx + syy)")], "Check that the trace is squared"),
    (L05, "harris_response", [("return sxx * syy - sxy**2 - k * (sxx + syy) ** 2", "return k * (sxx + syy) ** 2 - sxx * syy + sxy**2")],
     "Check the sign"),
    (L05, "conv_output_length", [("(length - kernel_size) // stride + 1", "(length - kernel_size) / stride + 1")],
     "returned 5.5; Keras computes 5"),
    (L05, "conv_output_length", [("-(-length // stride)", "length // stride")], "padding='same'"),
    (L05, "conv_output_length", [("(length - kernel_size) // stride + 1", "(length - kernel_size) // stride")],
     "returned 25; Keras computes 26"),
    (L05, "conv_params", [("in_channels + 1) * filters", "in_channels) * filters")], "Remember one bias per filter"),
    (L05, "conv_params", [("kernel_size * kernel_size * in_channels + 1", "kernel_size * kernel_size + 1")],
     "kernel covers every input channel"),
    (L05, "conv_params", [("kernel_size * kernel_size * in_channels + 1", "kernel_size * in_channels + 1")],
     "Keras counts 320"),
    (L05, "build_cnn", [('Conv2D(32, 3, activation="relu")', 'Conv2D(32, 3, activation="relu", padding="same")')],
     "check padding"),
    (L05, "build_cnn", [("            keras.layers.Flatten(),\n", "")], "which layer turns each image into one long vector"),
    (L05, "build_cnn", [("Dense(64,", "Dense(128,")], r"expected Dense layers of \[64, 10\] units"),
    (L05, "train_cnn", [("batch_size=32, epochs", 'batch_size="32", epochs')], "never took a training step"),
    (L05, "train_cnn", [("keras.utils.to_categorical(y_train, num_classes)", "y_train"),
                        ("keras.utils.to_categorical(y_val, num_classes)", "y_val")],
     "never took a training step.* sparse labels .* need sparse_categorical_crossentropy"),
    (L05, "train_cnn", [("    model.compile(", "    dict(")], "never compiled"),

    (L06, "weight_penalty", [("float(l1 * np.abs(weights).sum() + l2 * np.square(weights).sum())",
                              "l1 * np.abs(weights) + l2 * np.square(weights)")], "should return one number"),
    (L06, "weight_penalty", [("np.square(weights).sum()", "weights.sum()")], r"l1=0.0, l2=0.01\) .* should be 0.14"),
    (L06, "weight_penalty", [("np.abs(weights).sum()", "weights.sum()")], r"l1=0.1, l2=0.0\) .* should be 0.6"),
    (L06, "build_regularized_mlp", [("keras.regularizers.L2(l2)", "keras.regularizers.L1(l2)")], "expected an L2 penalty"),
    (L06, "build_regularized_mlp", [("        keras.layers.Dropout(dropout_rate),\n", "")], "expected one Dropout layer"),
    (L06, "build_regularized_mlp", [('Dense(num_classes, activation="softmax")',
                                     'Dense(num_classes, activation="softmax", kernel_regularizer=keras.regularizers.L2(l2))')],
     "only the hidden layer should carry a penalty"),
    (L06, "build_low_gap_model", [("    return build_mlp(", "    build_mlp(")], "did you return the model"),
    (L06, "build_low_gap_model", [("build_mlp(image_shape, num_classes, dropout_rate=0.2",
                                   "build_mlp(image_shape, num_classes, units=64, dropout_rate=0.2")],
     r"keep the base model's Dense layers"),
    (L06, "build_low_gap_model", [("dropout_rate=0.2, augmentation=shift", "")], "the bar is 75 % of the base's gap|bar is 75%"),
    (L06, "build_low_gap_model", [("dropout_rate=0.2", "dropout_rate=0.7")], "regularize less"),
    (L06, "train_with_early_stopping", [(", restore_best_weights=True", "")], "still holds the last epoch's weights"),
    (L06, "train_with_early_stopping", [("    return model.fit(", "    model.fit(")], "expected the History that fit returns"),
    (L06, "train_with_early_stopping", [("patience=patience", "patience=patience + 1")], "it stops after epoch"),
    (L06, "step_decay", [("epoch // every", "epoch / every")], r"step_decay\(9, .* should be 0.1, got"),
    (L06, "step_decay", [("drop ** (epoch // every)", "drop * (epoch // every)")], r"step_decay\(0, .* should be 0.1, got 0"),
    (L06, "step_decay", [("epoch // every", "(epoch + 1) // every")], r"step_decay\(9, .* should be 0.1, got 0.05"),

    (L07, "simple_rnn_forward", [(" + state @ recurrent_kernel", "")], "differs from Keras's SimpleRNN"),
    (L07, "simple_rnn_forward", [("np.tanh(inputs[:, step, :] @ kernel + state @ recurrent_kernel + bias)",
                                  "inputs[:, step, :] @ kernel + state @ recurrent_kernel + bias")], "applies tanh"),
    (L07, "simple_rnn_forward", [("    return state\n", "")], "did you forget `return`"),
    (L07, "build_row_reader", [("keras.layers.GRU(units)", "keras.layers.LSTM(units)")], "expected one GRU layer, found 0"),
    (L07, "build_row_reader", [("keras.layers.GRU(units)", "keras.layers.GRU(units, return_sequences=True)")],
     "return_sequences=True"),
    (L07, "build_row_reader", [('Dense(num_classes, activation="softmax")', "Dense(num_classes)")], "must sum to 1"),
    (L07, "make_windows", [("    if len(series) < window + horizon:\n", "    if False:\n")], "raise ValueError"),
    (L07, "make_windows", [("shuffle=shuffle", "shuffle=True")], "time order"),
    (L07, "make_windows", [("series[window + horizon - 1:]", "series[window + horizon:]")], r"expected inputs of shape \(7, 3, 1\)"),
    (L07, "build_lstm_forecaster", [("keras.layers.Dense(1)", 'keras.layers.Dense(1, activation="relu")')],
     "without activation"),
    (L07, "build_lstm_forecaster", [("keras.layers.LSTM(units)", "keras.layers.LSTM(units, return_sequences=True)")],
     "return_sequences=True"),
    (L07, "build_lstm_forecaster", [("keras.layers.LSTM(units)", "keras.layers.LSTM(2 * units)")], "expected an LSTM of 16 units"),
    (L07, "train_forecaster", [("    model.fit(train_ds, validation_data=val_ds, epochs=epochs, verbose=2)\n    return model",
                                "    return model.fit(train_ds, validation_data=val_ds, epochs=epochs, verbose=2)")],
     "return the model itself, not what fit gives back"),
    (L07, "train_forecaster", [("    return model\n", "")], "got a NoneType"),
    (L07, "train_forecaster", [("learning_rate=1e-2", "learning_rate=1e-7")], r"the naive last-value forecast's \d.*°C|naive"),
]


@lru_cache(maxsize=None)
def lesson(name: str) -> Lesson:
    return Lesson.load(name)


@pytest.fixture(scope="module", autouse=True)
def workdir(tmp_path_factory):
    """Run the lessons' cells in a scratch folder: they write their datasets next to the notebook."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path_factory.mktemp("mutants"))
        yield


@pytest.mark.parametrize("name, exercise, edits, pattern", MUTANTS,
                         ids=[f"{name[:2]}-{exercise}-{index}" for index, (name, exercise, _, _) in enumerate(MUTANTS)])
def test_a_typical_mistake_fails_its_check_naming_the_fault(name, exercise, edits, pattern, mnist_settings):
    with environment(**mnist_settings, KERAS_STARTER_BUDGET="fast"):
        found = lesson(name)
        status, message = found.judge(exercise, mutate(found.answer(exercise), edits))
    assert status == "failing", f"the mistake shows as {status!r} ({message})"
    assert message.split(":")[0] in ("CheckFailed", "AssertionError"), f"a raw error, not a named fault: {message}"
    assert re.search(pattern, message), f"the message does not name the fault: {message}"


def test_every_exercise_has_at_least_three_mutants():
    from collections import Counter

    counts = Counter((name, exercise) for name, exercise, _, _ in MUTANTS)
    from autograder.course import COURSE_DIR, assignments

    for name in assignments(COURSE_DIR):
        for exercise in lesson(name).exercises():
            assert counts[(name, exercise)] >= 3, f"{name} {exercise}: {counts[(name, exercise)]} mutants"
