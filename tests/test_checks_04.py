"""starter_lib.checks.lesson04: right answers pass, each typical fault is named."""

import numpy as np
import pytest

from starter_lib import checks


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

