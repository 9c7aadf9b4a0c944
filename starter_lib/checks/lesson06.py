"""Checks for lesson 06, regularization and training control: penalties, dropout, early stopping, schedules."""

from __future__ import annotations

import numpy as np

from starter_lib import metrics
from starter_lib.checks.core import activation_name, expect, expect_model, expect_probabilities, layers_of, returned


def check_weight_penalty(weight_penalty) -> None:
    """``weight_penalty(weights, l1, l2)`` matches hand-computed L1 and L2 penalties."""
    weights = np.array([[1.0, -2.0], [3.0, 0.0]])  # sum |w| = 6, sum w**2 = 14
    for l1, l2, want in ((0.1, 0.0, 0.6), (0.0, 0.01, 0.14), (0.1, 0.01, 0.74)):
        got = returned(weight_penalty, weights, l1, l2)
        expect(np.ndim(got) == 0, f"weight_penalty should return one number, got an array of shape "
                                  f"{np.shape(got)}: the penalty adds up over every weight.")
        got = float(got)
        expect(np.isclose(got, want),
               f"weight_penalty(w, l1={l1}, l2={l2}) with w = [[1, -2], [3, 0]] should be {want}, "
               f"got {got:.4g}.")
    got = float(returned(weight_penalty, np.zeros((3, 2)), 0.5, 0.5))
    expect(got == 0.0, f"zero weights cost nothing, got {got:.4g}.")


def check_regularized_mlp(model, image_shape, num_classes: int, units: int, l2: float, dropout_rate: float) -> None:
    """``model`` is Flatten, Dense(units, relu, L2 kernel penalty), Dropout, Dense(softmax)."""
    import keras

    expect_model(model, (None, *image_shape), (None, num_classes))
    dense = layers_of(model, keras.layers.Dense)
    expect(len(dense) == 2, f"expected two Dense layers (one hidden, one output), found {len(dense)}.")
    hidden, output = dense
    expect(hidden.units == units, f"expected {units} hidden units, got {hidden.units}.")
    expect(_relu_after(model, hidden), f"the hidden layer should use relu, got {activation_name(hidden)}.")
    penalty = hidden.kernel_regularizer
    expect(penalty is not None, f"expected an L2 penalty of {l2} on the hidden kernel, got no kernel_regularizer.")
    expect(np.isclose(float(getattr(penalty, "l2", 0.0)), l2) and not float(getattr(penalty, "l1", 0.0)),
           f"expected an L2 penalty of {l2} on the hidden kernel, got {penalty.get_config()}.")
    expect(output.kernel_regularizer is None, "only the hidden layer should carry a penalty, not the output layer; "
                                              f"it carries {getattr(output.kernel_regularizer, 'get_config', dict)()}.")
    dropout = [layer for layer in model.layers if isinstance(layer, keras.layers.Dropout)]
    expect(len(dropout) == 1, f"expected one Dropout layer, found {len(dropout)}.")
    expect(np.isclose(dropout[0].rate, dropout_rate), f"expected a dropout rate of {dropout_rate}, got {dropout[0].rate}.")
    order = [layer for layer in model.layers if layer in (hidden, dropout[0], output)]
    expect(order == [hidden, dropout[0], output], "Dropout belongs between the hidden layer and the output layer; "
           f"yours come in the order {[type(layer).__name__ for layer in order]}.")
    features = int(np.prod(image_shape))
    want = features * units + units + units * num_classes + num_classes
    expect(model.count_params() == want, f"expected {want:,} parameters, got {model.count_params():,}.")
    expect_probabilities(model, image_shape)


def _relu_after(model, dense) -> bool:
    """Whether ``dense`` applies relu itself, or is linear and followed at once by an ``Activation("relu")`` layer."""
    import keras

    if dense.activation is keras.activations.relu:
        return True
    layers = layers_of(model)
    following = layers[layers.index(dense) + 1:layers.index(dense) + 2]
    return dense.activation is keras.activations.linear and bool(following) and \
        isinstance(following[0], keras.layers.Activation) and activation_name(following[0]) == "relu"


def check_early_stopping(model, history, x_val, y_val, patience: int, max_epochs: int) -> None:
    """Training stopped ``patience`` epochs after the best validation loss and kept that epoch's weights."""
    expect(hasattr(history, "history"), f"expected the History that fit returns, got {type(history).__name__}.")
    losses = history.history.get("val_loss")
    expect(losses is not None, f"the History records {sorted(history.history)} but no val_loss: pass the "
                               "validation data to fit.")
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
        got = float(returned(step_decay, epoch, 0.1, 0.5, 10))
        expect(np.isclose(got, want),
               f"step_decay({epoch}, initial_rate=0.1, drop=0.5, every=10) should be {want}, got {got:.4g}.")


def check_gap_reduced(model, base_model, x_train, y_train, x_val, y_val,
                      max_ratio: float = 0.75, min_accuracy_share: float = 0.8) -> None:
    """``model`` keeps the base model's Dense layers and shrinks its loss gap by a clear margin."""
    import keras

    expect(isinstance(model, keras.Model),
           f"expected your regularized keras.Model, got {type(model).__name__}: did you return the model?")
    widths = [layer.units for layer in layers_of(model, keras.layers.Dense)]
    base_widths = [layer.units for layer in layers_of(base_model, keras.layers.Dense)]
    expect(widths == base_widths,
           f"keep the base model's Dense layers ({base_widths} units) and add regularization around "
           f"them; your model's Dense layers have {widths} units.")
    base = metrics.gap_report(base_model, x_train, y_train, x_val, y_val)
    yours = metrics.gap_report(model, x_train, y_train, x_val, y_val)
    expect(base["loss_gap"] > 0.05,
           f"the base model's gap is only {base['loss_gap']:.3f} here: it does not overfit, so there is "
           "nothing to reduce. Did the base model train on the small training set?")
    expect(yours["loss_gap"] <= max_ratio * base["loss_gap"],
           f"your model's gap (validation loss - training loss) is {yours['loss_gap']:.4f}, the base model's "
           f"{base['loss_gap']:.4f}; the bar is {max_ratio:.0%} of the base's gap, {max_ratio * base['loss_gap']:.4f}.")
    expect(yours["val_accuracy"] >= min_accuracy_share * base["val_accuracy"],
           f"your model's validation accuracy is {yours['val_accuracy']:.3f}, the base model's "
           f"{base['val_accuracy']:.3f}: a model that learns less has a small gap too. Keep at least "
           f"{min_accuracy_share:.0%} of the base's accuracy: regularize less (a lower dropout rate, milder "
           "augmentation, or one regularizer fewer), since each one slows learning in a short run.")

