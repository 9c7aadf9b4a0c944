"""The core every lesson's checks stand on: the failure, the test, and shared helpers.

Each helper takes ``what=``, the words that name the thing under check in a
message ("build_mlp((28, 28), 10) returned None"), as scikit-learn's
validation helpers take ``input_name``.
"""

from __future__ import annotations


class CheckFailed(AssertionError):
    """A self-check found a fault; the message says which."""


def expect(condition: bool, message: str) -> None:
    """Raise :class:`CheckFailed` with ``message`` unless ``condition`` holds."""
    if not condition:
        raise CheckFailed(message)


def returned(function, *args, what: str | None = None, **kwargs):
    """Call a learner's ``function`` and insist that it returned something; return that."""
    result = function(*args, **kwargs)
    expect(result is not None, f"{what or function.__name__} returned None: did you forget `return`?")
    return result


def input_shape_of(model) -> tuple | None:
    """The input shape a Keras model declares (batch axis included), or None if it declares none."""
    try:
        return tuple(model.inputs[0].shape) if model.inputs else None
    except (AttributeError, ValueError, TypeError):  # a Sequential without keras.Input has no .inputs yet
        return None


def expect_model(model, input_shape, output_shape, what: str = "your model") -> None:
    """``model`` is a ``keras.Model`` with these input and output shapes (batch axis included)."""
    import keras

    expect(isinstance(model, keras.Model),
           f"{what}: expected a keras.Model, got {type(model).__name__}: did you return the model?")
    got_in, want_in = input_shape_of(model), tuple(input_shape)
    hint = ": start the model from keras.Input" if got_in is None else ""
    expect(got_in == want_in, f"{what}: expected input shape {want_in}, got {got_in}{hint}.")
    got_out, want_out = tuple(model.outputs[0].shape), tuple(output_shape)
    expect(got_out == want_out, f"{what}: expected output shape {want_out}, got {got_out}.")


def layers_of(model, kind: type = object) -> list:
    """Every layer of type ``kind`` inside ``model``, nested models opened up."""
    found = []
    for layer in getattr(model, "layers", [model]):
        if hasattr(layer, "layers"):
            found.extend(layers_of(layer, kind))
        elif isinstance(layer, kind):
            found.append(layer)
    return found


def activation_name(layer) -> str:
    """The name of a layer's activation function, e.g. ``"relu"``."""
    return getattr(layer.activation, "__name__", str(layer.activation))


def expect_dense_stack(model, units: list[int], activations: list[str]) -> None:
    """The Dense layers of ``model`` have these sizes and activations, in order."""
    import keras

    dense = layers_of(model, keras.layers.Dense)
    got_units = [layer.units for layer in dense]
    expect(got_units == units, f"expected Dense layers of {units} units, got {got_units}.")
    got_activations = [activation_name(layer) for layer in dense]
    expect(got_activations == activations,
           f"expected the activations {activations} on those Dense layers, got {got_activations}.")


def expect_probabilities(model, input_shape) -> None:
    """``model`` turns each of a few random inputs of ``input_shape`` into outputs that sum to 1."""
    import numpy as np

    sample = np.random.default_rng(0).uniform(0, 1, size=(3, *input_shape)).astype("float32")
    sums = np.asarray(model(sample)).sum(axis=1)
    expect(np.allclose(sums, 1.0, atol=1e-4),
           f"the outputs of each image must sum to 1, yours sum to {[round(float(v), 3) for v in sums]}: which "
           "activation turns scores into probabilities over classes?")
