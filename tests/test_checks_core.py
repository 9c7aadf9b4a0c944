"""starter_lib.checks.core: the call and model helpers name what they check in their messages."""

import keras
import pytest

from starter_lib.checks import core


def test_returned_passes_the_result_through_and_names_a_missing_return():
    assert core.returned(lambda x, scale=1: x * scale, 2, scale=3) == 6

    def build_mlp(shape):
        keras.Input(shape)

    with pytest.raises(core.CheckFailed, match=r"^build_mlp returned None: did you forget `return`\?$"):
        core.returned(build_mlp, (4,))
    with pytest.raises(core.CheckFailed, match=r"^build_mlp\(\(4,\)\) returned None"):
        core.returned(build_mlp, (4,), what="build_mlp((4,))")


def dense(input_shape, units):
    return keras.Sequential([keras.Input(input_shape), keras.layers.Flatten(), keras.layers.Dense(units)])


def test_expect_model_names_the_model_and_both_shapes():
    core.expect_model(dense((8, 8), 10), (None, 8, 8), (None, 10))
    with pytest.raises(core.CheckFailed, match=r"^the MLP: expected output shape \(None, 10\), got \(None, 12\)\.$"):
        core.expect_model(dense((8, 8), 12), (None, 8, 8), (None, 10), what="the MLP")
    with pytest.raises(core.CheckFailed, match=r"^your model: expected input shape \(None, 8, 8\), got \(None, 4\)\.$"):
        core.expect_model(dense((4,), 10), (None, 8, 8), (None, 10))
    with pytest.raises(core.CheckFailed, match=r"got None: start the model from keras.Input"):
        core.expect_model(keras.Sequential([keras.layers.Dense(10)]), (None, 8, 8), (None, 10))
    with pytest.raises(core.CheckFailed, match=r"^your model: expected a keras.Model, got list"):
        core.expect_model([], (None, 8, 8), (None, 10))


def test_layers_of_opens_nested_models():
    inner = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3), keras.layers.Dropout(0.1)])
    outer = keras.Sequential([keras.Input((4,)), inner, keras.layers.Dense(2)])
    assert [layer.units for layer in core.layers_of(outer, keras.layers.Dense)] == [3, 2]


def test_expect_probabilities_shows_the_sums_it_found():
    core.expect_probabilities(keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation="softmax")]), (3,))
    with pytest.raises(core.CheckFailed, match=r"must sum to 1, yours sum to \[.*\]: which activation"):
        core.expect_probabilities(keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation="relu"),
                                                    keras.layers.Dense(4, bias_initializer="ones")]), (3,))
