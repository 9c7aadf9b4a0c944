# %% [markdown]
# # 06 · Regularization and training control
#
# **You will learn to**
# - tell underfitting from overfitting by reading training and validation curves;
# - hold a network back with L1 and L2 weight penalties, Dropout, BatchNormalization and data
#   augmentation, and compare what each one does on the same model;
# - let callbacks steer training: stop early and keep the best weights, save checkpoints, lower
#   the learning rate on a schedule or when progress stalls, and log to TensorBoard;
# - save a trained model to a `.keras` file and load it back unchanged.
#
# **Time:** about 60 minutes of reading and exercises. In fast mode, the default on a CPU, the code runs in under a minute on a laptop.
#
# **Exercises:** five graded parts worth 14 points, each a code cell marked `YOUR CODE HERE` followed by a check cell.
# Run the check cell after your answer: it says what is wrong, never what the answer is.

# %%
from pathlib import Path

import keras
import matplotlib.pyplot as plt
import numpy as np

from starter_lib import checks, data, env, metrics, plots

# %% [markdown]
# ## 1. A deliberately small training set
#
# A network with over a hundred thousand weights and only a few hundred training images can learn
# those images by heart. That is what we want here: with so little data, overfitting shows up in
# a few seconds, and every remedy in this notebook has something to fix.
#
# We keep a few hundred digits for training and set a larger share aside for validation, so the
# validation numbers are steady enough to compare models on.

# %%
digits = data.load_digit_images(prefer="mnist", max_train=env.pick(fast=1000, full=2000), val_fraction=0.7)
x_train = digits.x_train.astype("float32") / 255.0
x_val = digits.x_val.astype("float32") / 255.0
x_test = digits.x_test.astype("float32") / 255.0
y_train, y_val, y_test = digits.y_train, digits.y_val, digits.y_test
print(f"dataset: {digits.name}, {len(x_train)} training and {len(x_val)} validation images")
EPOCHS = env.pick(fast=8, full=40)

# %% [markdown]
# ## 2. Reading the curves: underfitting and overfitting
#
# One function builds every model of this notebook: two hidden Dense layers, with switches for
# the regularizers of the next sections. Left alone, it gives the **base model**. A second
# function trains any model the same way, so that only the switches differ between runs.

# %%
def build_mlp(image_shape, num_classes, units=128, regularizer=None, dropout_rate=0.0,
              batch_norm=False, augmentation=None):
    """Two hidden Dense layers of `units`; each keyword switches on one regularizer."""
    layers = [keras.Input(shape=image_shape)]
    if augmentation is not None:
        layers.append(augmentation)
    layers.append(keras.layers.Flatten())
    for _ in range(2):
        layers.append(keras.layers.Dense(units, kernel_regularizer=regularizer))
        if batch_norm:
            layers.append(keras.layers.BatchNormalization(momentum=0.9))
        layers.append(keras.layers.Activation("relu"))
        if dropout_rate:
            layers.append(keras.layers.Dropout(dropout_rate))
    layers.append(keras.layers.Dense(num_classes, activation="softmax"))
    return keras.Sequential(layers)


def fit_variant(model, epochs=EPOCHS):
    """Compile `model` with Adam and train it on the small training set; return the History."""
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=epochs,
                     batch_size=32, validation_batch_size=256, verbose=0)

# %% [markdown]
# Two runs: a model far too small for the task (2 units per hidden layer) and the base model
# (128 units per hidden layer).

# %%
tiny = build_mlp(digits.image_shape, digits.num_classes, units=2)
tiny_history = fit_variant(tiny)
base = build_mlp(digits.image_shape, digits.num_classes)
base_history = fit_variant(base)
fig = plots.training_curves({"2 units": tiny_history, "128 units": base_history}, metrics=("loss",))

# %% [markdown]
# How to read them:
#
# - **Underfitting** (2 units): both losses stay high and close together. The model cannot
#   even fit the images it trains on; more epochs help little, a bigger model helps a lot.
# - **Overfitting** (128 units): the training loss falls towards zero while the validation loss
#   levels off far above it, and with more epochs climbs again. The model is learning the
#   training images, not digits. The space between the two curves is the **generalisation gap**.
# - A good fit sits in between: the validation loss is as low as it gets.
#
# One caution before we measure the gap. The curves' *training* loss is averaged over an epoch
# while the weights move, with Dropout and augmentation switched on, and with weight penalties
# added. To compare models fairly we measure both splits again after training, in inference mode,
# with plain cross-entropy: `metrics.gap_report` does that.

# %%
base_report = metrics.gap_report(base, x_train, y_train, x_val, y_val)
print({key: round(value, 3) for key, value in base_report.items()})

# %% [markdown]
# ## 3. Weight penalties: L1 and L2
#
# A **weight penalty** adds a cost for large weights to the loss, so the optimizer trades a
# little training error for smaller, simpler weights:
#
# - **L2** adds $\lambda_2 \sum w^2$: it shrinks every weight towards zero, large ones most
#   ("weight decay");
# - **L1** adds $\lambda_1 \sum |w|$: it pushes many weights to exactly zero, a sparse model.
#
# In Keras a penalty is attached to a layer: `Dense(128, kernel_regularizer=keras.regularizers.L2(1e-3))`.
# Keras sums the penalties of all layers into `model.losses` and adds them to the loss it
# minimises. Note that Keras's L2 has no factor $\frac{1}{2}$ in front.

# %% [markdown]
# ### Exercise 1 (2 points): the penalty by hand
#
# Write `weight_penalty(weights, l1, l2)` that returns, as a Python float, the penalty Keras adds
# for one weight array: $\lambda_1 \sum |w| + \lambda_2 \sum w^2$.

# %% [markdown] tags=["hints"]
# 1. L1 adds up the sizes of the weights, L2 their squares; each sum is weighed by its factor, and
#    the answer is one number.
# 2. `np.abs`, `np.square` and `.sum()` over the whole array.
# 3. Return float(l1 x sum of |w| + l2 x sum of w squared).

# %% nbgrader={"grade": false, "grade_id": "weight_penalty", "locked": false, "schema_version": 3, "solution": true, "task": false}
def weight_penalty(weights, l1, l2):
    """Return l1 * sum(|w|) + l2 * sum(w**2) as a float."""
    ### BEGIN SOLUTION
    weights = np.asarray(weights, dtype=float)
    return float(l1 * np.abs(weights).sum() + l2 * np.square(weights).sum())
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_weight_penalty", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
checks.check_weight_penalty(weight_penalty)
### BEGIN HIDDEN TESTS
_w = np.random.default_rng(6).normal(size=(7, 5)).astype("float32")
for _l1, _l2 in ((1e-3, 0.0), (0.0, 2e-2), (3e-3, 5e-4)):
    _keras_value = float(keras.regularizers.L1L2(l1=_l1, l2=_l2)(_w))
    assert np.isclose(weight_penalty(_w, _l1, _l2), _keras_value, rtol=1e-4), "does not match Keras's L1L2"
assert isinstance(weight_penalty(_w, 0.1, 0.1), float), "return a Python float"
### END HIDDEN TESTS
print("weight_penalty: checks passed.")

# %% [markdown]
# ## 4. Dropout
#
# **Dropout** sets a random share of a layer's outputs to zero at every training step, a new
# random choice each time. No unit can rely on one particular other unit being there, so the
# network spreads what it learns over many units instead of memorising with a few. The surviving
# outputs are scaled up by $1/(1 - \text{rate})$ so their sum stays the same on average.
#
# Dropout only acts during training (`training=True`); at inference it passes everything
# through untouched. Keras switches it for you in `fit` versus `predict` and `evaluate`.

# %%
dropout = keras.layers.Dropout(0.5)
ones = np.ones((1, 10), dtype="float32")
print("training: ", np.asarray(dropout(ones, training=True)))
print("inference:", np.asarray(dropout(ones, training=False)))

# %% [markdown]
# ## 5. Batch normalization
#
# **BatchNormalization** rescales a layer's outputs over each batch to mean 0 and standard
# deviation 1, then lets the network learn a scale and a shift of its own. It was designed to
# make training faster and steadier (larger learning rates work), and the noise of batch
# statistics regularises a little as a side effect. At inference it uses running averages
# gathered during training instead of the batch's own statistics. It usually goes between a
# Dense (or convolution) layer and its activation, which is where `build_mlp` puts it. Those
# averages move slowly with the default `momentum=0.99`; for our runs of a few dozen steps
# `build_mlp` uses 0.9, or inference would still use statistics from the first steps.
#
# ## 6. Data augmentation as a regularizer
#
# More data is the best regularizer. **Augmentation** makes new training images from the old
# ones on the fly: shifted a little, rotated a little. The labels stay the same, and the model
# never sees exactly the same image twice. In Keras 3 augmentation is a stack of preprocessing
# layers placed in the model; like Dropout they act only while training.
#
# > **Coming from older tutorials?** They augmented with `ImageDataGenerator(...).flow(...)`
# > and `fit_generator`. Both are gone: put `RandomTranslation`, `RandomRotation`, `RandomZoom`
# > ... layers in the model (or map them over a `tf.data` pipeline) and call plain `fit`.

# %%
augmentation = keras.Sequential([
    keras.Input(shape=digits.image_shape),
    keras.layers.Reshape((*digits.image_shape, 1)),  # the image layers want a channel axis
    keras.layers.RandomTranslation(0.1, 0.1),
    keras.layers.RandomRotation(0.05),
], name="augmentation")
originals = np.repeat(x_train[:1], 8, axis=0)
fig = plots.image_grid(np.asarray(augmentation(originals, training=True)), ncols=8)

# %% [markdown]
# ### Exercise 2 (3 points): a regularized model to spec
#
# Write `build_regularized_mlp(image_shape, num_classes, units, l2, dropout_rate)` that returns an
# untrained model, in this order: `keras.Input`, `Flatten`, one hidden `Dense` layer of `units`
# relu units whose kernel carries an L2 penalty of `l2`, a `Dropout` of `dropout_rate`, and a
# `Dense` softmax output of `num_classes` without a penalty.

# %% [markdown] tags=["hints"]
# 1. The MLP of notebook 04 with two additions: a penalty on the hidden layer's weights and a Dropout
#    between the hidden and the output layer.
# 2. `kernel_regularizer=keras.regularizers.L2(l2)` on the hidden `Dense`;
#    `keras.layers.Dropout(dropout_rate)`.
# 3. Sequential: input, flatten, Dense(units, relu, L2 penalty), Dropout, Dense(num_classes,
#    softmax).

# %% nbgrader={"grade": false, "grade_id": "build_regularized_mlp", "locked": false, "schema_version": 3, "solution": true, "task": false}
def build_regularized_mlp(image_shape, num_classes, units, l2, dropout_rate):
    """Return Flatten -> Dense(units, relu, L2 penalty) -> Dropout -> Dense(softmax)."""
    ### BEGIN SOLUTION
    return keras.Sequential([
        keras.Input(shape=image_shape),
        keras.layers.Flatten(),
        keras.layers.Dense(units, activation="relu", kernel_regularizer=keras.regularizers.L2(l2)),
        keras.layers.Dropout(dropout_rate),
        keras.layers.Dense(num_classes, activation="softmax"),
    ])
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_build_regularized_mlp", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
checks.check_regularized_mlp(build_regularized_mlp(digits.image_shape, digits.num_classes, 64, 1e-3, 0.3),
                             digits.image_shape, digits.num_classes, 64, 1e-3, 0.3)
### BEGIN HIDDEN TESTS
checks.check_regularized_mlp(build_regularized_mlp((28, 28), 10, 128, 5e-4, 0.5), (28, 28), 10, 128, 5e-4, 0.5)
checks.check_regularized_mlp(build_regularized_mlp((6, 5), 3, 7, 0.02, 0.1), (6, 5), 3, 7, 0.02, 0.1)
_model = build_regularized_mlp((4, 4), 2, 3, 0.5, 0.2)
_model(np.ones((1, 4, 4), dtype="float32"))
_kernel = _model.layers[[isinstance(layer, keras.layers.Dense) for layer in _model.layers].index(True)].kernel
assert np.isclose(float(sum(_model.losses)), 0.5 * float(np.sum(np.square(np.asarray(_kernel))))), "wrong penalty"
### END HIDDEN TESTS
print("build_regularized_mlp: checks passed.")

# %% [markdown]
# ## 7. Side by side: one switch at a time
#
# Now the comparison. Each variant is the base model with one regularizer switched on, trained
# exactly like the base (same data, epochs, optimizer). Every panel shows its training and
# validation loss; the title and the last panel give the gap measured after training.

# %%
variants = {
    "L1 1e-4": dict(regularizer=keras.regularizers.L1(1e-4)),
    "L2 1e-3": dict(regularizer=keras.regularizers.L2(1e-3)),
    "Dropout 0.5": dict(dropout_rate=0.5),
    "BatchNorm": dict(batch_norm=True),
    "augmentation": dict(augmentation=augmentation),
}
histories, reports = {"base": base_history}, {"base": base_report}
for name, switches in variants.items():
    model = build_mlp(digits.image_shape, digits.num_classes, **switches)
    histories[name] = fit_variant(model)
    reports[name] = metrics.gap_report(model, x_train, y_train, x_val, y_val)
gaps = {name: report["loss_gap"] for name, report in reports.items()}
fig = plots.variant_comparison(histories, gaps)

# %%
print(f"{'variant':14s} {'train acc':>9s} {'val acc':>8s} {'train loss':>10s} {'val loss':>9s} {'gap':>6s}")
for name, r in reports.items():
    print(f"{name:14s} {r['train_accuracy']:9.3f} {r['val_accuracy']:8.3f} {r['train_loss']:10.3f} "
          f"{r['val_loss']:9.3f} {r['loss_gap']:6.3f}")

# %% [markdown]
# Things to notice:
#
# - At these strengths and over so few epochs the L1 and L2 penalties barely move the gap: they
#   work slowly, by pulling weights down a little at every step. (Their training curves also
#   include the penalty itself, which is why they start higher.)
# - Dropout shrinks the gap clearly, at the price of a slower fall of both losses.
# - BatchNormalization makes training faster, not the gap smaller: it is not mainly a regularizer.
# - Augmentation gives the model, in effect, more data, and shrinks the gap the most, at the cost
#   of a higher training loss and slower progress per epoch.
#
# ### Exercise 3 (4 points): close the gap
#
# Write `build_low_gap_model(image_shape, num_classes)` that returns an untrained model whose gap
# (validation loss minus training loss, measured with `metrics.gap_report`) is at most **75 %** of
# the base model's when trained with `fit_variant`. Keep the base model's Dense layers (two hidden
# layers of 128 units, then the output): add regularization around them, for instance through
# `build_mlp`'s switches, several at once if you like, each set moderately: every regularizer also
# slows learning, and a short fast-mode run has few epochs to spare. It must keep at least 80 % of the
# base's validation accuracy: a model that learns nothing has no gap either.

# %% [markdown] tags=["hints"]
# 1. Keep the base architecture and add what worked in the comparison above; a little of one
#    regularizer beats a lot of several.
# 2. `build_mlp` takes `regularizer=`, `dropout_rate=`, `batch_norm=` and `augmentation=` (a
#    Sequential of random layers that starts from the image shape).
# 3. Return build_mlp(image_shape, num_classes, one or two of those keywords, set moderately).

# %% nbgrader={"grade": false, "grade_id": "build_low_gap_model", "locked": false, "schema_version": 3, "solution": true, "task": false}
def build_low_gap_model(image_shape, num_classes):
    """Return the base architecture with enough regularization to shrink the gap."""
    ### BEGIN SOLUTION
    shift = keras.Sequential([
        keras.Input(shape=image_shape),
        keras.layers.Reshape((*image_shape, 1)),
        keras.layers.RandomTranslation(0.1, 0.1),
        keras.layers.RandomRotation(0.05),
    ])
    return build_mlp(image_shape, num_classes, dropout_rate=0.2, augmentation=shift)
    ### END SOLUTION


# %%
env.seed_everything()  # the same start whatever earlier cells drew
low_gap = build_low_gap_model(digits.image_shape, digits.num_classes)
low_gap_history = fit_variant(low_gap)
low_gap_report = metrics.gap_report(low_gap, x_train, y_train, x_val, y_val)
print(f"gap: yours {low_gap_report['loss_gap']:.3f}, base {base_report['loss_gap']:.3f}")

# %% nbgrader={"grade": true, "grade_id": "test_low_gap_model", "locked": true, "points": 4, "schema_version": 3, "solution": false, "task": false}
checks.check_gap_reduced(low_gap, base, x_train, y_train, x_val, y_val, max_ratio=0.75)
### BEGIN HIDDEN TESTS
checks.check_gap_reduced(low_gap, base, x_train, y_train, x_test, y_test, max_ratio=0.75)
### END HIDDEN TESTS
print("build_low_gap_model: checks passed.")

# %% [markdown]
# ## 8. Early stopping: keep the best epoch
#
# The curves of section 2 suggest a cheaper remedy: stop training when the validation loss stops
# improving. The `EarlyStopping` callback watches a logged value (`monitor="val_loss"`) and ends
# `fit` once it has not improved for `patience` epochs. With `restore_best_weights=True` it also
# puts back the weights of the best epoch; without it you keep the last, already worse, weights.
#
# A **callback** is an object that `fit` calls at fixed moments (start and end of each epoch or
# batch); you hand a list of them to `fit(..., callbacks=[...])`.
#
# ### Exercise 4 (3 points): train with early stopping
#
# Write `train_with_early_stopping(model, x_train, y_train, x_val, y_val, max_epochs, patience)`
# that compiles `model` (Adam with learning rate 3e-3, integer labels, accuracy reported), trains
# it for at most `max_epochs` epochs while watching the validation loss, stops when that loss
# has not improved for `patience` epochs, leaves the model with the weights of its best epoch,
# and returns the `History`. The learning rate is on the high side on purpose: the model starts
# to overfit within a few epochs, so early stopping has something to do.

# %% [markdown] tags=["hints"]
# 1. Let training watch the validation loss and stop once it has not improved for `patience` epochs,
#    going back to the best epoch's weights.
# 2. `keras.callbacks.EarlyStopping(monitor="val_loss", patience=..., restore_best_weights=True)`,
#    passed to `fit` in `callbacks=[...]`.
# 3. compile as before, make the callback, return model.fit(..., validation_data=(x_val, y_val),
#    epochs=max_epochs, callbacks=[the callback]).

# %% nbgrader={"grade": false, "grade_id": "train_with_early_stopping", "locked": false, "schema_version": 3, "solution": true, "task": false}
def train_with_early_stopping(model, x_train, y_train, x_val, y_val, max_epochs, patience):
    """Fit with EarlyStopping on the validation loss, keeping the best epoch's weights."""
    ### BEGIN SOLUTION
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=3e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience, restore_best_weights=True)
    return model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=max_epochs,
                     batch_size=32, validation_batch_size=256, callbacks=[stop], verbose=0)
    ### END SOLUTION


# %%
env.seed_everything()  # the same start whatever earlier cells drew
MAX_EPOCHS, PATIENCE = 40, 3
stopped = build_mlp(digits.image_shape, digits.num_classes)
stopped_history = train_with_early_stopping(stopped, x_train, y_train, x_val, y_val, MAX_EPOCHS, PATIENCE)
best_epoch = int(np.argmin(stopped_history.history["val_loss"])) + 1
print(f"ran {len(stopped_history.epoch)} of {MAX_EPOCHS} epochs; best validation loss at epoch {best_epoch}")
fig = plots.training_curves(stopped_history, metrics=("loss",))
fig.axes[0].axvline(best_epoch, color="grey", linestyle=":")
plt.show()

# %% nbgrader={"grade": true, "grade_id": "test_train_with_early_stopping", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
checks.check_early_stopping(stopped, stopped_history, x_val, y_val, patience=PATIENCE, max_epochs=MAX_EPOCHS)
### BEGIN HIDDEN TESTS
_noisy = y_train.copy()  # half the labels made random: the model soon starts learning noise
_flip = np.random.default_rng(8).choice(len(_noisy), len(_noisy) // 2, replace=False)
_noisy[_flip] = np.random.default_rng(9).integers(0, digits.num_classes, len(_flip))
_model = build_mlp(digits.image_shape, digits.num_classes)
_history = train_with_early_stopping(_model, x_train, _noisy, x_val, y_val, 40, 2)
checks.check_early_stopping(_model, _history, x_val, y_val, patience=2, max_epochs=40)
### END HIDDEN TESTS
print("train_with_early_stopping: checks passed.")

# %% [markdown]
# ## 9. Learning-rate schedules
#
# A large learning rate makes fast progress early; a smaller one settles into a minimum later.
# A **schedule** lowers the rate as training goes on. Two ways in Keras:
#
# - per epoch, with the `LearningRateScheduler` callback and a function `schedule(epoch, rate)`
#   that returns the rate for that epoch;
# - per step, by giving the optimizer a schedule object instead of a number, such as
#   `keras.optimizers.schedules.ExponentialDecay(...)` or `CosineDecay(...)`.
#
# > **Coming from older tutorials?** `Adam(lr=0.001)` and `decay=` are gone: write
# > `Adam(learning_rate=0.001)` and pass a schedule object as the learning rate.
#
# ### Exercise 5 (2 points): a step schedule
#
# Write `step_decay(epoch, initial_rate, drop, every)` that returns the learning rate for
# `epoch` (counted from 0): `initial_rate` for the first `every` epochs, then `initial_rate * drop`
# for the next `every` epochs, then `initial_rate * drop**2`, and so on.

# %% [markdown] tags=["hints"]
# 1. The rate stays put for `every` epochs, then is multiplied by `drop`, and again after each
#    further `every` epochs.
# 2. How many drops have happened by `epoch`? Whole groups of `every` completed epochs: `//`.
# 3. Return initial_rate times drop raised to that number of drops.

# %% nbgrader={"grade": false, "grade_id": "step_decay", "locked": false, "schema_version": 3, "solution": true, "task": false}
def step_decay(epoch, initial_rate, drop, every):
    """Return initial_rate multiplied by `drop` once per `every` completed epochs."""
    ### BEGIN SOLUTION
    return float(initial_rate * drop ** (epoch // every))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_step_decay", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
checks.check_step_decay(step_decay)
### BEGIN HIDDEN TESTS
assert np.isclose(step_decay(7, 3e-3, 0.1, 3), 3e-5), "wrong after two drops"
assert np.isclose(step_decay(2, 3e-3, 0.1, 3), 3e-3), "no drop before `every` epochs"
_probe = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
_probe.compile(optimizer=keras.optimizers.SGD(learning_rate=1.0), loss="mse")
_logs = _probe.fit(np.zeros((4, 2)), np.zeros(4), epochs=5, verbose=0, callbacks=[
    keras.callbacks.LearningRateScheduler(lambda epoch, rate: step_decay(epoch, 0.4, 0.5, 2))]).history
assert np.allclose(_logs["learning_rate"], [0.4, 0.4, 0.2, 0.2, 0.1]), "does not work as a Keras schedule"
### END HIDDEN TESTS
print("step_decay: checks passed.")

# %%
epochs = np.arange(30)
per_epoch = [step_decay(epoch, 1e-3, 0.5, 10) for epoch in epochs]
smooth = keras.optimizers.schedules.ExponentialDecay(1e-3, decay_steps=10, decay_rate=0.5)
fig, ax = plt.subplots(figsize=(5, 3))
ax.step(epochs, per_epoch, where="post", label="step_decay (per epoch)")
ax.plot(epochs, [float(smooth(epoch)) for epoch in epochs], label="ExponentialDecay")
ax.set_xlabel("epoch")
ax.set_ylabel("learning rate")
ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# ## 10. Checkpoints, ReduceLROnPlateau and TensorBoard
#
# Three more callbacks, used together in one run below:
#
# - `ModelCheckpoint` saves the model to a `.keras` file during training; with
#   `save_best_only=True` only when the watched value improves, so the file always holds the
#   best model so far, even if training crashes.
# - `ReduceLROnPlateau` is a schedule that reacts instead of following a plan: it multiplies
#   the learning rate by `factor` when the validation loss has not improved for `patience` epochs.
# - `TensorBoard` writes logs that the TensorBoard app draws as live, zoomable curves. In
#   Jupyter or Colab run `%load_ext tensorboard` and then `%tensorboard --logdir outputs/logs`
#   in a cell; on the command line, `tensorboard --logdir outputs/logs`.
#
# Our run starts with a learning rate on the high side, so there is a plateau to react to.

# %%
outputs = Path("outputs") / "06-regularization"
outputs.mkdir(parents=True, exist_ok=True)
checkpoint = outputs / "best.keras"
callbacks = [
    keras.callbacks.ModelCheckpoint(checkpoint, monitor="val_loss", save_best_only=True),
    keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=1, min_lr=1e-5),
    keras.callbacks.TensorBoard(log_dir=str(outputs.parent / "logs" / "06-regularization")),
]
controlled = build_mlp(digits.image_shape, digits.num_classes)
controlled.compile(optimizer=keras.optimizers.Adam(learning_rate=3e-3),
                   loss="sparse_categorical_crossentropy", metrics=["accuracy"])
controlled_history = controlled.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=EPOCHS,
                                    batch_size=32, validation_batch_size=256, callbacks=callbacks,
                                    verbose=0)
fig = plots.training_curves(controlled_history, metrics=("loss",))
print("learning rate per epoch:", [f"{rate:.2g}" for rate in controlled_history.history["learning_rate"]])
print("TensorBoard event files:", len(list((outputs.parent / "logs").rglob("*tfevents*"))))

# %% [markdown]
# ## 11. Save, reload, check
#
# `model.save("name.keras")` writes one file with everything: the architecture, the weights, the
# compile settings and the optimizer's state, so training can even resume.
# `keras.models.load_model` reads it back. A quick check that nothing was lost: the reloaded
# model must predict exactly what the original predicts.
#
# > **Coming from older tutorials?** They saved to `.h5` (HDF5) files or to a TensorFlow
# > SavedModel folder. Keras 3 saves full models only to `.keras` files; `model.export(...)`
# > writes a SavedModel for serving.

# %%
final = outputs / "final.keras"
controlled.save(final)
reloaded = keras.models.load_model(final)
same = np.allclose(controlled.predict(x_val, verbose=0), reloaded.predict(x_val, verbose=0), atol=1e-6)
print(f"{final}: {final.stat().st_size / 1e6:.1f} MB, reloaded model predicts the same: {same}")
best = keras.models.load_model(checkpoint)
print("best checkpoint, validation loss and accuracy:", np.round(best.evaluate(x_val, y_val, verbose=0), 3))

# %% [markdown]
# ## Recap
#
# - Underfitting: both losses high. Overfitting: training loss keeps falling while validation
#   loss turns up; the space between is the gap. Measure the gap in inference mode.
# - L1/L2 penalties shrink weights, Dropout removes units at random while training,
#   BatchNormalization steadies training, augmentation adds variety. On a small image set,
#   augmentation shrinks the gap the most.
# - `EarlyStopping(monitor="val_loss", patience=..., restore_best_weights=True)` stops in time
#   and keeps the best epoch; `ModelCheckpoint` saves it to a `.keras` file on the way.
# - Lower the learning rate on a plan (`LearningRateScheduler`, schedule objects) or when
#   progress stalls (`ReduceLROnPlateau`); watch runs in TensorBoard.
# - `model.save("x.keras")` and `keras.models.load_model("x.keras")` round-trip a model exactly.
#
# ## Experiments
#
# 1. Raise the L2 factor of the comparison to `1e-2`, then to `1e-1`. When does the penalty turn
#    an overfitting model into an underfitting one?
# 2. Train every variant for three times as many epochs. Which ones catch up with augmentation?
# 3. Double the training set (`max_train`) without any regularizer. How does the gap compare with
#    the best regularized variant?
# 4. Open the logs in TensorBoard and find the epochs where ReduceLROnPlateau lowered the rate.
#
# **Next:** notebook 07 leaves images for sequences: recurrent networks and a real forecast.
