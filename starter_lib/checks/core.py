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


def loss_name(model) -> str:
    """The name of the loss ``model`` was compiled with, e.g. ``"categorical_crossentropy"``."""
    loss = getattr(model, "loss", None)
    return str(getattr(loss, "name", None) or getattr(loss, "__name__", None) or loss)


def is_stub(function) -> bool:
    """Whether ``function`` is still the learner copy's stub, whose whole body is ``raise NotImplementedError()``."""
    return getattr(getattr(function, "__code__", None), "co_names", None) == ("NotImplementedError",)


def expect_trained(model, labels, history, trained_by) -> None:
    """``model`` was compiled and took training steps, and ``history`` is the History ``fit`` returned.

    ``trained_by`` is the learner's training function; while it is still the stub the
    exercise is not started, and this raises ``NotImplementedError`` as the stub does.
    """
    import numpy as np

    if is_stub(trained_by):
        raise NotImplementedError(f"{trained_by.__name__} is not written yet.")
    what = trained_by.__name__
    expect(getattr(model, "compiled", False), "the model was never compiled: compile it inside your training "
                                              "function, before fitting it.")
    if int(model.optimizer.iterations) == 0:
        sparse = np.ndim(labels) == 1 and np.issubdtype(np.asarray(labels).dtype, np.integer)
        one_hot_loss = "categorical" in loss_name(model) and "sparse" not in loss_name(model)
        labels_hint = (f" If it says the targets' and outputs' shapes differ: the loss {loss_name(model)} expects "
                       "one-hot label rows, and sparse labels (class numbers) need sparse_categorical_crossentropy."
                       if sparse and one_hot_loss else "")
        raise CheckFailed("the model never took a training step: did the training cell stop with an error? "
                          f"Run it again and read its message.{labels_hint}")
    expect(history is not None, f"{what} gave back None: did you forget `return` before model.fit(...), or did "
                                "the training cell stop with an error after the first steps?")
    expect(hasattr(history, "history"), f"{what} returned a {type(history).__name__}; return the History "
                                        "that model.fit(...) gives back.")


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
    extra = ""
    if len(got_out) > len(want_out):
        sequences = [layer for layer in layers_of(model) if getattr(layer, "return_sequences", False)]
        extra = (f": {type(sequences[-1]).__name__} returns one output per time step (return_sequences=True); "
                 "the next layer needs only the last one") if sequences else \
            ": the output still has the input's axes; which layer turns each image into one long vector?"
    expect(got_out == want_out, f"{what}: expected output shape {want_out}, got {got_out}{extra}.")


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
