# %% [markdown]
# # 07 · Recurrent networks: sequences and forecasting
#
# **You will learn to**
# - explain why order matters in a sequence, and how a recurrent layer carries a state from
#   step to step;
# - compute a SimpleRNN by hand, and see why its gradients vanish over long sequences and how
#   the gates of LSTM and GRU cells keep them alive;
# - classify images with a recurrent network that reads them row by row;
# - forecast a real time series: cut it into windows with `keras.utils.timeseries_dataset_from_array`,
#   split it in time order, normalise it with training statistics only, and beat a naive baseline.
#
# **Time:** about 60 minutes of reading and exercises. In fast mode, the default on a CPU, the code runs in under a minute on a laptop.
#
# **Exercises:** five graded parts worth 14 points, each a code cell marked `YOUR CODE HERE` followed by a check cell.
# Run the check cell after your answer: it says what is wrong, never what the answer is.

# %%
import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

from starter_lib import checks, data, env, metrics, plots

# %% [markdown]
# ## 1. Sequences: the order is the information
#
# Our series for the second half of this notebook is the monthly sea surface temperature off the
# coast of Peru and Ecuador (the "Niño 1+2" region) from 1950 to 2010, measured by NOAA and shipped
# with statsmodels. Every year it warms and cools with the seasons; every few years an **El Niño**
# warms it far more (look for 1983 and 1998).
#
# Shuffle the same 732 numbers and nothing is left to forecast: the mean and spread are the same,
# but the seasons and the El Niño years are gone. A model for sequences must read values *in order*.

# %%
sst = data.load_time_series("elnino")
print(sst.description, f"- {len(sst.values)} values")
shuffled = np.random.default_rng(0).permutation(sst.values)
fig, axes = plt.subplots(2, 1, figsize=(10, 4.5), sharex=True, sharey=True)
axes[0].plot(sst.times, sst.values)
axes[0].set_title("in time order")
axes[1].plot(sst.times, shuffled, color="grey")
axes[1].set_title("the same values shuffled")
axes[1].set_xlabel("year")
for ax in axes:
    ax.set_ylabel(sst.unit)
fig.tight_layout()
plt.show()

# %% [markdown]
# ## 2. A recurrent layer, one step at a time
#
# A recurrent layer reads a sequence $x_1, x_2, \dots, x_T$ one step at a time and keeps a
# **state** $h_t$, a vector of `units` numbers that summarises what it has read so far. The
# simplest one, `SimpleRNN`, updates its state with the same weights at every step:
#
# $$h_t = \tanh(x_t W + h_{t-1} U + b), \qquad h_0 = 0$$
#
# $W$ (the `kernel`) weighs the new input, $U$ (the `recurrent_kernel`) weighs the previous state,
# and $b$ is the bias. Because the weights are shared across steps, the layer works on sequences of
# any length. By default it returns only the last state $h_T$; with `return_sequences=True` it
# returns the state after every step, which is what you feed to a second recurrent layer.
#
# Inputs have the shape `(batch, time steps, features)`.

# %%
batch = np.random.default_rng(1).normal(size=(2, 5, 3)).astype("float32")
rnn = keras.layers.SimpleRNN(4)
print("last state only:      ", tuple(rnn(batch).shape))
print("return_sequences=True:", tuple(keras.layers.SimpleRNN(4, return_sequences=True)(batch).shape))
print("weights:", [tuple(w.shape) for w in rnn.get_weights()], "(kernel W, recurrent kernel U, bias b)")

# %% [markdown]
# ### Exercise 1 (3 points): a SimpleRNN in NumPy
#
# Write `simple_rnn_forward(inputs, kernel, recurrent_kernel, bias)` that runs the recurrence above
# on a batch `inputs` of shape `(batch, time steps, features)`, starting from a zero state, and
# returns the final state, of shape `(batch, units)`. The check compares it with Keras's own layer.

# %% [markdown] tags=["hints"]
# 1. Start from a zero state; at each step, mix the step's input and the previous state, add the
#    bias, squash with tanh.
# 2. `inputs[:, step, :] @ kernel` and `state @ recurrent_kernel` are the two mixes; `np.tanh`
#    squashes; the state has one column per unit, `kernel.shape[1]`.
# 3. state = zeros(batch, units); for each step: state = tanh(input at step @ kernel + state @
#    recurrent_kernel + bias); return state.

# %% nbgrader={"grade": false, "grade_id": "simple_rnn_forward", "locked": false, "schema_version": 3, "solution": true, "task": false}
def simple_rnn_forward(inputs, kernel, recurrent_kernel, bias):
    """Return the last state of a SimpleRNN run over `inputs` from a zero state."""
    ### BEGIN SOLUTION
    inputs = np.asarray(inputs, dtype=float)
    state = np.zeros((inputs.shape[0], kernel.shape[1]))
    for step in range(inputs.shape[1]):
        state = np.tanh(inputs[:, step, :] @ kernel + state @ recurrent_kernel + bias)
    return state
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_simple_rnn_forward", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
checks.check_simple_rnn_forward(simple_rnn_forward)
### BEGIN HIDDEN TESTS
_layer = keras.layers.SimpleRNN(3)
_x = np.random.default_rng(11).normal(size=(2, 9, 1)).astype("float32")
_layer.build(_x.shape)
assert np.allclose(simple_rnn_forward(_x, *_layer.get_weights()), np.asarray(_layer(_x)), atol=1e-4), \
    "wrong on one feature and nine steps"
_one_step = np.ones((1, 1, 2))
assert np.allclose(simple_rnn_forward(_one_step, np.eye(2), 5 * np.eye(2), np.zeros(2)), np.tanh(1.0)), \
    "the first state must be zeros"
### END HIDDEN TESTS
print("simple_rnn_forward: checks passed.")

# %% [markdown]
# ## 3. Vanishing gradients, and what the gates do
#
# Training a recurrent layer uses **backpropagation through time**: unroll the loop into one long
# chain, one copy of the layer per time step, and backpropagate through the whole chain. The
# gradient that reaches a step far back has been multiplied, once per step in between, by the
# recurrent weights and the slope of tanh. Numbers below 1 multiplied many times shrink towards
# zero: the gradient **vanishes**, and the layer cannot learn that an early step mattered.
# (Above 1 they **explode** instead; clipping the gradient, `clipnorm=` in the optimizer, tames that.)
#
# The **LSTM** (long short-term memory) cell adds a second state, the **cell state** $c_t$, and
# three **gates**, each a sigmoid between 0 and 1 computed from $x_t$ and $h_{t-1}$:
#
# - the **forget gate** $f_t$ decides how much of the old cell state to keep: $c_t = f_t \cdot c_{t-1} + i_t \cdot \tilde{c}_t$;
# - the **input gate** $i_t$ decides how much of the new candidate $\tilde{c}_t$ to write;
# - the **output gate** $o_t$ decides how much of the cell to show: $h_t = o_t \cdot \tanh(c_t)$.
#
# Along the cell state the gradient is multiplied only by the forget gate. When the network learns
# to hold that gate near 1, the gradient passes many steps back almost untouched. The **GRU**
# (gated recurrent unit) does the same with two gates (update and reset) and no separate cell
# state: fewer weights, often just as good.
#
# The plot measures how much each input step still moves the final state of an untrained layer.
# The third curve is an LSTM whose forget gates we hold open by hand (a large forget-gate bias),
# which is what training does when a task needs a long memory. Untrained, the default LSTM can fade
# even faster than the SimpleRNN: its forget-gate bias starts at 1, so each gate sits near
# sigmoid(1), about 0.73, and the cell state keeps less than three quarters of itself per step
# until training opens the gates.

# %%
STEPS = 60
sequence = tf.constant(np.random.default_rng(2).normal(size=(16, STEPS, 1)).astype("float32"))


def influence_per_step(layer):
    """Mean |d(sum of final state) / d(input at step t)|, ordered from the last step backwards."""
    with tf.GradientTape() as tape:
        tape.watch(sequence)
        total = tf.reduce_sum(layer(sequence))
    return np.abs(tape.gradient(total, sequence).numpy()[..., 0]).mean(axis=0)[::-1]


open_lstm = keras.layers.LSTM(16)
open_lstm.build(sequence.shape)
kernel, recurrent_kernel, bias = open_lstm.get_weights()
bias[16:32] = 5.0  # Keras orders the LSTM's biases as input, forget, candidate, output gates
open_lstm.set_weights([kernel, recurrent_kernel, bias])
fig, ax = plt.subplots(figsize=(6, 3.5))
for name, layer in (("SimpleRNN", keras.layers.SimpleRNN(16)), ("LSTM as initialised", keras.layers.LSTM(16)),
                    ("LSTM, forget gates open", open_lstm)):
    ax.semilogy(influence_per_step(layer), label=name)
ax.set_xlabel("steps back from the end of the sequence")
ax.set_ylabel("gradient size (log scale)")
ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# The gates cost weights: an LSTM layer has four sets of $W$, $U$ and $b$ (three gates and the
# candidate), a GRU three, a SimpleRNN one. Keras's GRU keeps two bias vectors per set, one for
# the input and one for the recurrent part (`reset_after=True`), so 32 units on 28 features make
# $3 \times (28 \times 32 + 32 \times 32 + 2 \times 32) = 5{,}952$ parameters.

# %%
for layer in (keras.layers.SimpleRNN(32), keras.layers.GRU(32), keras.layers.LSTM(32)):
    model = keras.Sequential([keras.Input((None, 28)), layer])
    print(f"{type(layer).__name__:10s} 32 units on 28 features: {model.count_params():6,} parameters")

# %% [markdown]
# > **Coming from older tutorials?** `CuDNNLSTM` and `CuDNNGRU` are gone: plain `LSTM` and `GRU` use
# > the fast cuDNN kernels on a GPU by themselves (with the default activations). And
# > `LSTM(32, input_shape=(28, 28))` is now `keras.Input(shape=(28, 28))` followed by `LSTM(32)`.
#
# ## 4. Reading a digit row by row
#
# A recurrent network can classify too. Read a digit image from top to bottom, one row per time
# step: an MNIST digit becomes a sequence of 28 steps with 28 features each (8 of 8 for the small
# digits set). The last state has seen the whole image and goes to a softmax layer.
#
# ### Exercise 2 (2 points): a row-reading classifier
#
# Write `build_row_reader(image_shape, num_classes, units)` that returns an untrained model:
# `keras.Input` of `image_shape` (rows, columns), a `GRU` of `units` reading the rows in order,
# and a `Dense` softmax layer of `num_classes`. No `Flatten`: the image is already a sequence.

# %% [markdown] tags=["hints"]
# 1. Each image row is one time step: the recurrent layer reads the rows in order and keeps only its
#    last state; a softmax layer classifies it.
# 2. `keras.layers.GRU(units)` (its default returns only the last state) and
#    `keras.layers.Dense(num_classes, activation="softmax")`; no Flatten.
# 3. Sequential: input of image_shape, GRU, Dense softmax.

# %% nbgrader={"grade": false, "grade_id": "build_row_reader", "locked": false, "schema_version": 3, "solution": true, "task": false}
def build_row_reader(image_shape, num_classes, units):
    """Return Input(rows, columns) -> GRU(units) -> Dense(num_classes, softmax)."""
    ### BEGIN SOLUTION
    return keras.Sequential([
        keras.Input(shape=image_shape),
        keras.layers.GRU(units),
        keras.layers.Dense(num_classes, activation="softmax"),
    ])
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_build_row_reader", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
checks.check_sequence_classifier(build_row_reader((28, 28), 10, 32), (28, 28), 10, 32)
### BEGIN HIDDEN TESTS
checks.check_sequence_classifier(build_row_reader((8, 8), 10, 16), (8, 8), 10, 16)
checks.check_sequence_classifier(build_row_reader((5, 3), 4, 7), (5, 3), 4, 7)
assert build_row_reader((5, 3), 4, 7).count_params() == 3 * 7 * (3 + 7 + 2) + 7 * 4 + 4, \
    "wrong parameter count for 5x3 images, 4 classes and 7 units"
### END HIDDEN TESTS
print("build_row_reader: checks passed.")

# %% [markdown]
# Training it: in fast mode on a few thousand images for two epochs it reaches about 80 %; in full
# mode, on all of MNIST for eight epochs, about 96 %. The titles below are the digits it predicts.

# %%
digits = data.load_digit_images(prefer="mnist", max_train=env.pick(fast=3000, full=None))
x_train = digits.x_train.astype("float32") / 255.0
x_val = digits.x_val.astype("float32") / 255.0
reader = build_row_reader(digits.image_shape, digits.num_classes, units=32)
reader.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-2),
               loss="sparse_categorical_crossentropy", metrics=["accuracy"])
reader.fit(x_train, digits.y_train, validation_data=(x_val, digits.y_val),
           epochs=env.pick(fast=2, full=8), batch_size=32, validation_batch_size=512, verbose=2)
predicted = np.argmax(reader.predict(x_val[:16], verbose=0), axis=-1)
fig = plots.image_grid(digits.x_val[:16], predicted, digits.class_names)

# %% [markdown]
# ## 5. Forecasting: split in time order, normalise with the past
#
# Back to the sea temperatures. The task: from the last `WINDOW` months, forecast the temperature
# `HORIZON` months after the window ends.
#
# Two rules that random splits and whole-dataset statistics would break:
#
# 1. **Split in time order.** Train on the first 70 % of the months, validate on the next 15 %,
#    test on the last 15 %. A random split would let the model peek at months that come after
#    the ones it is asked to forecast.
# 2. **Normalise with the training part only.** Subtract the training mean and divide by the
#    training standard deviation, everywhere. Statistics from the whole series would leak a little
#    of the future into the past.

# %%
WINDOW, HORIZON = 24, 1
n = len(sst.values)
train_end, val_end = int(0.7 * n), int(0.85 * n)
mean, std = sst.values[:train_end].mean(), sst.values[:train_end].std()
scaled = (sst.values - mean) / std
print(f"train: {int(sst.times[0])}-{int(sst.times[train_end - 1])}, validation: up to "
      f"{int(sst.times[val_end - 1])}, test: up to {int(sst.times[-1])}")
print(f"training mean {mean:.2f} {sst.unit}, standard deviation {std:.2f} {sst.unit}")

# %% [markdown]
# ## 6. Windows with `timeseries_dataset_from_array`
#
# A forecaster learns from **windows**: a stretch of `WINDOW` consecutive values as input and the
# value `HORIZON` steps after its end as target. `keras.utils.timeseries_dataset_from_array(data,
# targets, sequence_length, batch_size=..., shuffle=...)` cuts every window of `sequence_length`
# steps out of `data` into a batched `tf.data.Dataset`. When you pass `targets`, `targets[i]`
# becomes the target of the window that *starts* at position `i`, and it stops when either runs
# out. Without targets it yields the windows alone:

# %%
toy = np.arange(8)
for window_batch in keras.utils.timeseries_dataset_from_array(toy, None, sequence_length=3, batch_size=4):
    print(window_batch.numpy().tolist())

# %% [markdown]
# > **Coming from older tutorials?** `keras.preprocessing.sequence.TimeseriesGenerator` is gone;
# > `keras.utils.timeseries_dataset_from_array` replaces it and returns a `tf.data.Dataset`.
#
# ### Exercise 3 (3 points): make the windows
#
# Write `make_windows(series, window, horizon, batch_size=32, shuffle=False)` for a 1-D array
# `series`. It returns a dataset of `(inputs, targets)` batches: `inputs` of shape
# `(batch, window, 1)` (recurrent layers want a feature axis), and for the window that starts at
# position `i`, the target `series[i + window + horizon - 1]`. Every window that has a target is
# included, in time order unless `shuffle` is true. When `series` is too short for even one
# window and its target, raise a `ValueError` that says so.

# %% [markdown] tags=["hints"]
# 1. Each window is `window` consecutive steps; its target is the value `horizon` steps after the
#    window's last step; a series too short for one window is an error.
# 2. `keras.utils.timeseries_dataset_from_array(data, targets, sequence_length=..., batch_size=...,
#    shuffle=...)`; `series[:, None]` adds the feature axis.
# 3. Raise ValueError when len(series) < window + horizon; the targets start at series[window +
#    horizon - 1]; pass shuffle through.

# %% nbgrader={"grade": false, "grade_id": "make_windows", "locked": false, "schema_version": 3, "solution": true, "task": false}
def make_windows(series, window, horizon, batch_size=32, shuffle=False):
    """Return a dataset of (window of inputs, value `horizon` steps after the window) batches."""
    ### BEGIN SOLUTION
    series = np.asarray(series, dtype="float32")
    if len(series) < window + horizon:
        raise ValueError(f"a series of {len(series)} steps is too short for a window of {window} "
                         f"steps and a target {horizon} steps after it.")
    return keras.utils.timeseries_dataset_from_array(
        series[:, None], series[window + horizon - 1:], sequence_length=window,
        batch_size=batch_size, shuffle=shuffle, seed=0)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_make_windows", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
checks.check_windows(make_windows)
### BEGIN HIDDEN TESTS
def _pairs(dataset):
    inputs, targets = zip(*[(x.numpy(), y.numpy()) for x, y in dataset])
    return np.concatenate(inputs), np.concatenate(targets)


_walk = np.cumsum(np.random.default_rng(12).normal(size=50)).astype("float32")
for _window, _horizon in ((7, 3), (1, 1), (10, 40 - 10)):
    _x, _y = _pairs(make_windows(_walk, _window, _horizon, batch_size=5))
    _count = len(_walk) - _window - _horizon + 1
    assert _x.shape == (_count, _window, 1), f"wrong inputs for window {_window}, horizon {_horizon}"
    assert np.allclose(_x[:, :, 0], [_walk[i:i + _window] for i in range(_count)]), f"wrong windows for window {_window}"
    assert np.allclose(_y, _walk[_window + _horizon - 1:]), f"wrong targets for horizon {_horizon}"
_x, _y = _pairs(make_windows(_walk[:9], 6, 3, batch_size=4))
assert _x.shape == (1, 6, 1) and np.isclose(_y[0], _walk[8]), "a series just long enough has one window"
for _short, _window, _horizon in ((_walk[:5], 8, 1), (_walk[:9], 6, 4), (_walk[:3], 3, 1)):
    try:
        make_windows(_short, _window, _horizon)
    except ValueError:
        pass
    else:
        raise AssertionError(f"{len(_short)} steps, window {_window}, horizon {_horizon}: expected ValueError")
_x, _y = _pairs(make_windows(_walk, 4, 2, batch_size=8, shuffle=True))
_xs, _ys = _pairs(make_windows(_walk, 4, 2, batch_size=8))
assert sorted(map(tuple, np.c_[_x[:, :, 0], _y])) == sorted(map(tuple, np.c_[_xs[:, :, 0], _ys])), \
    "shuffling must keep every (window, target) pair together"
### END HIDDEN TESTS
print("make_windows: checks passed.")

# %% [markdown]
# The three datasets. The first validation and test windows reach back `WINDOW` months into the
# previous part for their *inputs*; their *targets* all lie in their own part. Only the training
# windows are shuffled: the order of windows within an epoch does not matter, the order of months
# inside a window does.

# %%
train_ds = make_windows(scaled[:train_end], WINDOW, HORIZON, shuffle=True)
val_ds = make_windows(scaled[train_end - WINDOW - HORIZON + 1:val_end], WINDOW, HORIZON)
test_ds = make_windows(scaled[val_end - WINDOW - HORIZON + 1:], WINDOW, HORIZON)
inputs, targets = next(iter(train_ds))
print("one training batch:", tuple(inputs.shape), "->", tuple(targets.shape))

# %% [markdown]
# ## 7. The baseline to beat: next month looks like this month
#
# Before any network, a **naive forecast**: predict that the value `HORIZON` steps ahead equals the
# last value of the window. It costs nothing and is surprisingly hard to beat on many series, so
# it is the least a model must do. It is not the only yardstick: on a series that keeps swinging
# back to its mean, even a flat forecast of that mean can beat it. We score forecasts with the **mean
# absolute error** (MAE), the average size of the miss, which is in the series' own unit once
# multiplied back by the training standard deviation.

# %%
val_inputs, val_targets = map(np.concatenate, zip(*[(x.numpy(), y.numpy()) for x, y in val_ds]))
naive = val_inputs[:, -1, 0]
print(f"naive forecast, validation MAE: {np.mean(np.abs(naive - val_targets)) * std:.3f} {sst.unit}")

# %% [markdown]
# ## 8. An LSTM forecaster
#
# ### Exercise 4 (2 points): the model to spec
#
# Write `build_lstm_forecaster(window, units)` that returns an untrained model: `keras.Input` of
# shape `(window, 1)`, an `LSTM` of `units`, and a `Dense` layer with a single output and no
# activation (a forecast can be any number).

# %% [markdown] tags=["hints"]
# 1. A window of values in, one number out: an LSTM reads the window, one Dense unit without
#    activation forecasts.
# 2. `keras.Input(shape=(window, 1))`, `keras.layers.LSTM(units)`, `keras.layers.Dense(1)`.
# 3. Sequential of those three.

# %% nbgrader={"grade": false, "grade_id": "build_lstm_forecaster", "locked": false, "schema_version": 3, "solution": true, "task": false}
def build_lstm_forecaster(window, units):
    """Return Input(window, 1) -> LSTM(units) -> Dense(1)."""
    ### BEGIN SOLUTION
    return keras.Sequential([
        keras.Input(shape=(window, 1)),
        keras.layers.LSTM(units),
        keras.layers.Dense(1),
    ])
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_build_lstm_forecaster", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
checks.check_lstm_forecaster(build_lstm_forecaster(WINDOW, 16), WINDOW, 16)
### BEGIN HIDDEN TESTS
checks.check_lstm_forecaster(build_lstm_forecaster(5, 3), 5, 3)
checks.check_lstm_forecaster(build_lstm_forecaster(48, 32), 48, 32)
assert build_lstm_forecaster(5, 3).count_params() == 4 * (3 * (1 + 3) + 3) + 3 + 1, "wrong parameter count for 3 units"
### END HIDDEN TESTS
print("build_lstm_forecaster: checks passed.")

# %% [markdown]
# ### Exercise 5 (4 points): beat the naive forecast
#
# Write `train_forecaster(train_ds, val_ds, window, epochs)` that builds a forecaster for windows
# of `window` steps (your `build_lstm_forecaster`, or any other model with one output per window),
# compiles it (a regression loss such as `"mse"` or `"mae"`; report `"mae"`), trains it for
# `epochs` epochs on `train_ds` watching `val_ds`, and returns the trained model. Its validation
# MAE must be at most 90 % of the naive forecast's; the grader also checks it on the test months.
# Hint: these datasets are small, so a learning rate around 1e-2 is not too large.

# %% [markdown] tags=["hints"]
# 1. Build, compile and fit a forecaster as in the exercise above, and hand back the trained model
#    itself.
# 2. A mean squared or absolute error loss, `keras.optimizers.Adam` with a learning rate around 1e-2
#    for this small series; `model.fit(train_ds, validation_data=val_ds, epochs=epochs)`.
# 3. model = an LSTM forecaster; model.compile(...); model.fit(...); return model.

# %% nbgrader={"grade": false, "grade_id": "train_forecaster", "locked": false, "schema_version": 3, "solution": true, "task": false}
def train_forecaster(train_ds, val_ds, window, epochs):
    """Build, compile and fit a forecaster; return the trained model."""
    ### BEGIN SOLUTION
    model = keras.Sequential([keras.Input(shape=(window, 1)), keras.layers.LSTM(16), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-2), loss="mse", metrics=["mae"])
    model.fit(train_ds, validation_data=val_ds, epochs=epochs, verbose=2)
    return model
    ### END SOLUTION


# %%
env.seed_everything()  # the same start whatever earlier cells drew
forecaster = train_forecaster(train_ds, val_ds, WINDOW, epochs=env.pick(fast=4, full=30))
errors = metrics.forecast_errors(forecaster, val_ds)
print(f"validation MAE: LSTM {errors['model_mae'] * std:.3f} {sst.unit}, naive {errors['naive_mae'] * std:.3f} {sst.unit}")

# %% nbgrader={"grade": true, "grade_id": "test_train_forecaster", "locked": true, "points": 4, "schema_version": 3, "solution": false, "task": false}
checks.check_beats_naive(forecaster, val_ds, max_ratio=0.9, scale=std, unit=sst.unit)
### BEGIN HIDDEN TESTS
_tail = scaled[val_end - WINDOW - HORIZON + 1:]
_held_out = keras.utils.timeseries_dataset_from_array(_tail[:, None], _tail[WINDOW + HORIZON - 1:], WINDOW,
                                                      batch_size=64)
checks.check_beats_naive(forecaster, _held_out, max_ratio=0.9)
### END HIDDEN TESTS
print("train_forecaster: checks passed.")

# %% [markdown]
# ## 9. The forecast against the truth
#
# The test months, never used for training or choosing settings: the truth, the LSTM's forecast and
# the naive one, back in the series' unit. The naive forecast is the truth shifted one month to the
# right; the LSTM has learned the seasonal swing and anticipates it.

# %%
test_inputs, test_targets = map(np.concatenate, zip(*[(x.numpy(), y.numpy()) for x, y in test_ds]))
lstm_forecast = forecaster.predict(test_inputs, verbose=0)[:, 0]
target_times = sst.times[val_end:]
fig = plots.forecast(target_times, test_targets * std + mean,
                     {"LSTM": lstm_forecast * std + mean, "naive (last value)": test_inputs[:, -1, 0] * std + mean},
                     unit=sst.unit, title="Niño 1+2 sea surface temperature, test months")
for name, forecast in (("LSTM", lstm_forecast), ("naive", test_inputs[:, -1, 0])):
    print(f"test MAE {name:6s} {np.mean(np.abs(forecast - test_targets)) * std:.3f} {sst.unit}")

# %% [markdown]
# ## Recap
#
# - Order carries the information in a sequence; recurrent layers read it step by step with
#   shared weights and a state: $h_t = \tanh(x_t W + h_{t-1} U + b)$ for a SimpleRNN.
# - Backpropagation through time multiplies gradients once per step, so they vanish (or explode)
#   over long sequences. LSTM and GRU gates, a forget gate near 1 above all, keep them alive.
# - A recurrent network can classify: an image read row by row is a sequence.
# - Forecasting: windows from `timeseries_dataset_from_array`, a split in time order, statistics
#   from the training part only, a naive baseline first, MAE in the series' unit.
#
# ## Experiments
#
# 1. Forecast further ahead: set `HORIZON = 3`, then `12`. How do the naive and the LSTM errors grow?
# 2. Replace the LSTM in `train_forecaster` with a GRU, then with a `SimpleRNN`. Compare the
#    validation MAE and the time per epoch.
# 3. Load `data.load_time_series("sunspots")` (yearly, an 11-year cycle) and rerun sections 5-9
#    with `WINDOW = 12`. Then try `"co2"`: its upward trend leaves the range of the training
#    values. What happens to the forecast, and would forecasting the *change* from the last
#    value help?
# 4. Read the digits column by column instead of row by row (`np.transpose(x, (0, 2, 1))`).
#    Does the accuracy change?
#
# **Next:** you have met every main kind of layer in this course. Go back to any notebook, switch
# to full mode on a GPU, and push its results further.
