"""Checks for lesson 04, the multi-layer perceptron: XOR, tabular preprocessing without leakage, the MNIST MLP."""

from __future__ import annotations

import math

import numpy as np

from starter_lib.checks.core import CheckFailed, expect, expect_dense_stack, expect_model, returned


def check_xor_mlp(model) -> None:
    """``model`` maps two inputs through Dense(8, relu) and Dense(4, relu) to one sigmoid output."""
    expect_model(model, (None, 2), (None, 1))
    expect_dense_stack(model, [8, 4, 1], ["relu", "relu", "sigmoid"])


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
        ones = int(np.count_nonzero(encoded[:, binary]))
        expect(not ones, f"an unseen category should give all-zero one-hot columns, got {ones} non-zero values "
                         "in two rows of unseen categories.")


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
    result = returned(split_then_scale, x, y, scaler, test_size, seed)
    got = f"a {type(result).__name__} of {len(result)}" if isinstance(result, (tuple, list)) else type(result).__name__
    expect(isinstance(result, (tuple, list)) and len(result) == 4,
           f"split_then_scale should return four things: x_train, x_test, y_train, y_test; it returned {got}.")
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
    found = len(set(nearest[distance < 1e-6].tolist()))
    expect(bool(np.all(distance < 1e-6)) and found == len(x),
           f"the training and test rows together should be every row of x exactly once, transformed; "
           f"they are {found} of its {len(x)} rows.")
    strays = int(np.count_nonzero(np.concatenate([y_train, y_test]) != y[nearest]))
    expect(not strays, f"the labels no longer belong to their rows: {strays} of {len(y)} rows carry another "
                       "row's label. Split x and y together, in one call.")
    for label in np.unique(y):
        want = np.mean(y == label) * n_test
        got = int(np.sum(y_test == label))
        expect(abs(got - want) <= 1,
               f"the test split should keep the class proportions of y: class {label} has {got} test rows, "
               f"expected about {want:.0f}. Stratify the split by the labels.")


def check_mlp(model, image_shape, num_classes: int, hidden_units: int = 512) -> None:
    """``model`` flattens an image into one hidden relu layer and a softmax output."""
    expect_model(model, (None, *image_shape), (None, num_classes))
    expect_dense_stack(model, [hidden_units, num_classes], ["relu", "softmax"])
    features = int(np.prod(image_shape))
    want = (features + 1) * hidden_units + (hidden_units + 1) * num_classes
    expect(model.count_params() == want,
           f"a {features}-{hidden_units}-{num_classes} MLP has {want:,} parameters, yours has {model.count_params():,}.")

