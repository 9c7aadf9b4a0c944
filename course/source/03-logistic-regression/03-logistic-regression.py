# %% [markdown]
# # 03 · Logistic regression: your first classifier
#
# **You will learn to**
# - turn a linear score into a probability with the sigmoid, and into K class probabilities with softmax;
# - measure how wrong a prediction is with cross-entropy, and compute it by hand;
# - build, check, train and evaluate a logistic regression in Keras;
# - sanity-check a model *before* training it, and read a confusion matrix *after*.
#
# **Time:** about 45 minutes of reading and exercises. In fast mode, the default on a CPU, the code runs in under a minute on a laptop.
#
# **Exercises:** five graded parts worth 15 points, each a code cell marked `YOUR CODE HERE` followed by a check cell.
# Run the check cell after your answer: it says what is wrong, never what the answer is.

# %%
import keras
import matplotlib.pyplot as plt
import numpy as np

from starter_lib import checks, data, env, plots, widgets

# %% [markdown]
# ## 1. From a straight line to a probability
#
# Linear regression predicts a number as a weighted sum of the inputs plus a bias:
# $y = w \cdot x + b$. The weights $w$ and the bias $b$ are **learned parameters**: training
# finds them. The learning rate, the number of epochs and the batch size are **hyperparameters**:
# you choose them before training starts.
#
# For classification we want a probability between 0 and 1, not any real number. The
# **sigmoid** squashes a score $z$ into that range:
#
# $$\sigma(z) = \frac{1}{1 + e^{-z}}$$
#
# Large positive scores give probabilities near 1, large negative ones near 0, and a score of 0
# means "no idea": exactly 0.5.

# %% [markdown]
# ### Exercise 1 (2 points): the sigmoid in NumPy
#
# Write `sigmoid(z)` so it works on a single number and element-wise on NumPy arrays of any shape.

# %% [markdown] tags=["hints"]
# 1. Apply 1 / (1 + e^(-z)) to every number of the input at once.
# 2. NumPy's `np.exp` works element-wise on arrays of any shape; the `math` module's functions take
#    one number only. `np.asarray` turns a plain number into an array too.
# 3. One line: convert z to a float array, then return the formula written with NumPy operations.

# %% nbgrader={"grade": false, "grade_id": "sigmoid", "locked": false, "schema_version": 3, "solution": true, "task": false}
def sigmoid(z):
    """Return 1 / (1 + exp(-z)), element-wise."""
    ### BEGIN SOLUTION
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_sigmoid", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
checks.check_sigmoid(sigmoid)
### BEGIN HIDDEN TESTS
_z = np.random.default_rng(3).normal(scale=6, size=(5, 4))
assert np.allclose(sigmoid(_z), 1 / (1 + np.exp(-_z))), "sigmoid is wrong on a 2-D array"
assert np.allclose(sigmoid(np.array([-40.0, 40.0])), [0.0, 1.0], atol=1e-12), "sigmoid must reach 0 and 1 at the extremes"
### END HIDDEN TESTS
print("sigmoid: checks passed.")

# %% [markdown]
# Here is what your function looks like. The steepest part is around $z = 0$, where a small
# change of score changes the probability the most.

# %%
z = np.linspace(-8, 8, 200)
fig, ax = plt.subplots(figsize=(5, 3))
ax.plot(z, sigmoid(z))
ax.axhline(0.5, color="grey", linestyle=":")
ax.set_xlabel("score z")
ax.set_ylabel("sigmoid(z)")
plt.show()

# %% [markdown]
# ## 2. More than two classes: softmax
#
# With $K$ classes the model computes one score per class, $z_1 \dots z_K$, and **softmax** turns
# the scores into $K$ probabilities that are positive and sum to 1:
#
# $$\mathrm{softmax}(z)_k = \frac{e^{z_k}}{\sum_{j=1}^{K} e^{z_j}}$$
#
# This is *multinomial* logistic regression: one model that weighs all classes against each other.
# The older alternative, *one-vs-rest*, trains $K$ separate sigmoid classifiers ("is it a 3, or
# not?") and picks the most confident; their outputs need not sum to 1.
#
# A practical catch: $e^{1000}$ overflows a float. A good softmax never computes it.

# %% [markdown]
# ### Exercise 2 (3 points): a numerically stable softmax
#
# Write `softmax(scores)` for a 1-D array of scores or a 2-D array with one row of scores per
# example (normalise along the last axis). It must return finite values even for scores like 1000.

# %% [markdown] tags=["hints"]
# 1. Exponentiate the scores and divide each by the sum of its row; subtracting the same number from
#    a row first does not change the result, and keeps exp() small.
# 2. `np.exp`, `.max(axis=-1, keepdims=True)` and `.sum(axis=-1, keepdims=True)` work along the last
#    axis and keep the shape ready for broadcasting.
# 3. shifted = exp(scores minus each row's largest score); return shifted divided by each row's sum
#    of shifted.

# %% nbgrader={"grade": false, "grade_id": "softmax", "locked": false, "schema_version": 3, "solution": true, "task": false}
def softmax(scores):
    """Return the softmax of `scores` along the last axis."""
    ### BEGIN SOLUTION
    scores = np.asarray(scores, dtype=float)
    shifted = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_softmax", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
checks.check_softmax(softmax)
### BEGIN HIDDEN TESTS
_s = np.random.default_rng(4).normal(scale=3, size=(2, 3, 5))
_e = np.exp(_s)
assert np.allclose(softmax(_s), _e / _e.sum(axis=-1, keepdims=True)), "softmax is wrong on a 3-D array"
assert np.allclose(softmax(np.array([[-1000.0, -1000.0]])), 0.5), "softmax underflows on very negative scores"
assert np.allclose(softmax(np.array([5.0])), [1.0]), "softmax of a single score must be 1"
### END HIDDEN TESTS
print("softmax: checks passed.")

# %% [markdown]
# ## 3. How wrong is a prediction? Cross-entropy
#
# Training needs one number that says how far the predicted probabilities $q$ are from the
# truth $p$. For classification that number is the **cross-entropy**:
#
# $$H(p, q) = -\sum_k p_k \log q_k$$
#
# Worked example: the true class is the second of three, so $p = (0, 1, 0)$, and the model
# predicts $q = (0.228, 0.619, 0.153)$. Only the true class's term survives:
# $H = -\log 0.619 = 0.479$. A perfect prediction ($q_2 = 1$) would cost $-\log 1 = 0$, and a
# confident wrong one costs a lot: $-\log 0.01 \approx 4.6$.
#
# The truth $p$ written as a vector with a single 1 is **one-hot encoding**. Keras offers
# `keras.utils.to_categorical` to make it, but you rarely need to: keep integer labels
# ("sparse" labels) and use the `sparse_categorical_crossentropy` loss, which does the same
# sum without building the one-hot vectors.

# %%
labels = np.array([1, 0, 2])
print("sparse labels:", labels)
print("one-hot:\n", keras.utils.to_categorical(labels, num_classes=3))

# %% [markdown]
# ### Exercise 3 (2 points): cross-entropy in NumPy
#
# Write `cross_entropy(p, q)` for two probability vectors, using the natural logarithm. Terms where
# $p_k = 0$ contribute nothing, even when $q_k = 0$ as well (in maths $0 \log 0 = 0$; in NumPy it
# is `nan` unless you take care).

# %% [markdown] tags=["hints"]
# 1. Only the terms where p is not 0 contribute; the sum is negative, because logs of probabilities
#    are.
# 2. `np.log` is the natural logarithm; `np.clip` keeps q away from 0 so that 0 x log(0) never
#    becomes nan.
# 3. Clip q to a tiny positive floor, then return minus the sum of p times log q, as a float.

# %% nbgrader={"grade": false, "grade_id": "cross_entropy", "locked": false, "schema_version": 3, "solution": true, "task": false}
def cross_entropy(p, q):
    """Return H(p, q) = -sum(p * log(q)) with the natural logarithm."""
    ### BEGIN SOLUTION
    p = np.asarray(p, dtype=float)
    q = np.clip(np.asarray(q, dtype=float), 1e-12, 1.0)
    return float(-np.sum(p * np.log(q)))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_cross_entropy", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
checks.check_cross_entropy(cross_entropy)
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(5)
for _ in range(5):
    _p = _rng.dirichlet(np.ones(6))
    _q = _rng.dirichlet(np.ones(6))
    assert np.isclose(cross_entropy(_p, _q), -np.sum(_p * np.log(_q)), rtol=1e-6), "wrong on soft labels"
assert cross_entropy([0, 0, 1], [0.5, 0.5, 1e-300]) > 20, "a confident wrong prediction must cost a lot"
### END HIDDEN TESTS
print("cross_entropy: checks passed.")

# %% [markdown]
# ## 4. The data: handwritten digits as tensors
#
# We classify images of handwritten digits into ten classes. The loader uses **MNIST**
# (70,000 images of 28x28 pixels) when it can get it, from an offline mirror folder or from
# the internet, and otherwise scikit-learn's small **digits** set (1,797 images of 8x8 pixels)
# that ships with scikit-learn. Everything below works with either.
#
# The loader splits the data three ways: **train** (to fit the weights), **validation** (to
# watch for overfitting and compare settings) and **test**, which this notebook never
# touches: the grader uses it to measure your model on images it has never seen.

# %%
max_train = env.pick(fast=10_000, full=None)  # fast mode trains on a sample
digits = data.load_digit_images(prefer="mnist", max_train=max_train)
print(f"dataset: {digits.name}, image shape {digits.image_shape}, {digits.num_classes} classes")
print(f"train {digits.x_train.shape}, validation {digits.x_val.shape}")
fig = plots.image_grid(digits.x_train[:16], digits.y_train[:16], digits.class_names)

# %% [markdown]
# A batch of images is a **tensor**: an array with a *rank* (number of axes), a *shape* (length
# of each axis) and a *dtype* (type of each number). Our training images form a rank-3 tensor
# `(images, height, width)` of `uint8` values from 0 to 255. Networks train best on small
# numbers, so we scale the pixels to $[0, 1]$ as `float32` (dividing by 127.5 and subtracting 1
# would give $[-1, 1]$, which some models prefer).

# %%
x_train = digits.x_train.astype("float32") / 255.0
x_val = digits.x_val.astype("float32") / 255.0
y_train, y_val = digits.y_train, digits.y_val
print("rank:", x_train.ndim, "shape:", x_train.shape, "dtype:", x_train.dtype)
print("pixel range:", x_train.min(), "to", x_train.max())

# %% [markdown]
# ## 5. Logistic regression in Keras
#
# A logistic regression on images is two steps: **flatten** each image into one long vector
# of pixels, then one **Dense** layer that computes $K$ scores $z = W x + b$ and applies softmax.
# There is no hidden layer: that comes in notebook 04.
#
# Counting its parameters by hand: a 28x28 image has 784 pixels, each connected to each of the
# 10 classes, so $W$ holds $784 \times 10 = 7{,}840$ weights, plus one bias per class: **7,850**
# parameters. For 8x8 digits it is $64 \times 10 + 10 = 650$. `model.summary()` shows the same count.
#
# > **Coming from older tutorials?** They wrote `Dense(10, input_dim=784)` or
# > `Flatten(input_shape=...)`. In Keras 3 the input is declared with `keras.Input(shape=...)`
# > as the first thing in the model.

# %% [markdown]
# ### Exercise 4 (3 points): build the model
#
# Write `build_logistic_regression(image_shape, num_classes)` that returns an (untrained) Keras
# model taking images of `image_shape` and returning `num_classes` probabilities per image.
# Start from `keras.Input`. Do not compile it here: that is the next step.

# %% [markdown] tags=["hints"]
# 1. Two steps: make each image one long vector, then one Dense layer computes a score per class and
#    turns the scores into probabilities.
# 2. `keras.Input(shape=image_shape)`, `keras.layers.Flatten()` and `keras.layers.Dense(num_classes,
#    activation=...)`: which activation makes probabilities over several classes?
# 3. A `keras.Sequential` of three items: the input, the flattening, the softmax Dense layer.

# %% nbgrader={"grade": false, "grade_id": "build_logistic_regression", "locked": false, "schema_version": 3, "solution": true, "task": false}
def build_logistic_regression(image_shape, num_classes):
    """Return a Keras model: flatten the image, then one softmax Dense layer."""
    ### BEGIN SOLUTION
    return keras.Sequential(
        [
            keras.Input(shape=image_shape),
            keras.layers.Flatten(),
            keras.layers.Dense(num_classes, activation="softmax"),
        ],
        name="logistic_regression",
    )
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_build_logistic_regression", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
checks.check_logistic_regression(
    build_logistic_regression(digits.image_shape, digits.num_classes), digits.image_shape, digits.num_classes
)
### BEGIN HIDDEN TESTS
checks.check_logistic_regression(build_logistic_regression((28, 28), 10), (28, 28), 10)
checks.check_logistic_regression(build_logistic_regression((8, 8), 3), (8, 8), 3)
assert build_logistic_regression((5, 4), 2).count_params() == 42, "a 20-pixel, 2-class model has 42 parameters"
### END HIDDEN TESTS
print("build_logistic_regression: checks passed.")

# %%
model = build_logistic_regression(digits.image_shape, digits.num_classes)
model.summary()

# %% [markdown]
# ## 6. Sanity checks before training
#
# Before spending minutes on training, check that an untrained model behaves like a model that
# knows nothing. With $K$ classes and small random weights it should guess: accuracy near $1/K$,
# and every class near probability $1/K$, so the cross-entropy near $-\log(1/K) = \ln K$.
# A loss far above $\ln K$ at the start means something is off (unscaled inputs, wrong loss,
# labels that do not match the outputs).

# %%
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
untrained_loss, untrained_accuracy = model.evaluate(x_val, y_val, verbose=0)
K = digits.num_classes
print(f"untrained loss {untrained_loss:.3f}   vs ln K = {np.log(K):.3f}")
print(f"untrained accuracy {untrained_accuracy:.3f} vs 1/K = {1 / K:.3f}")

# %% [markdown]
# ## 7. compile, fit, evaluate
#
# Three calls train any Keras model:
# - `compile(optimizer, loss, metrics)` chooses how to learn (the optimizer and its learning
#   rate), what to minimise (the loss) and what to report (metrics such as accuracy);
# - `fit(x, y, epochs, batch_size, validation_data)` runs the training loop and returns a
#   `History` of the loss and metrics per epoch;
# - `evaluate(x, y)` reports them on other data.
#
# Plain SGD with a small learning rate learns more slowly. In full mode, on all of MNIST, the old
# tutorials' two-layer sigmoid network trained with `SGD(learning_rate=0.01)` is at about 66 % after
# five epochs, this logistic regression with the same optimizer gets into the high 80s, and the Adam
# optimizer with a learning rate around 0.01 gets above 90 % in a few epochs. In fast mode, on
# 10,000 images for five epochs, Adam reaches about 93 % of the validation images.
#
# > **Coming from older tutorials?** `SGD(lr=0.01)` is now `SGD(learning_rate=0.01)`, and
# > `fit_generator(...)` is plain `fit(...)`, which accepts datasets and generators itself.

# %% [markdown]
# ### Explore: what the learning rate does
#
# Every optimizer takes steps downhill on the loss, and the learning rate sets the step size. The
# explorer runs plain gradient descent on the simplest loss there is, $w^2$, starting at $w = 4$.
# Drag the learning-rate slider: below about 0.05 the steps crawl; near 0.5 one step lands at
# the bottom; above 1.0 each step overshoots further than the last and training diverges.

# %%
widgets.learning_rate_explorer()

# %% [markdown]
# ### Exercise 5 (5 points): train above the bar
#
# Write `train_logistic_regression(model, x_train, y_train, x_val, y_val, epochs)` that compiles
# `model` (integer labels, report accuracy), trains it for `epochs` epochs watching the
# validation data, and returns the `History`. The cell after it trains a fresh model; it must
# reach at least 85 % accuracy on the validation images, and the grader also measures it on
# held-out test images you never saw.

# %% [markdown] tags=["hints"]
# 1. Training is three decisions (optimizer, loss, metrics) and one call; the function must hand back
#    what that call returns.
# 2. `model.compile(optimizer=..., loss=..., metrics=["accuracy"])`; integer labels go with
#    `sparse_categorical_crossentropy`; `keras.optimizers.Adam(learning_rate=...)`; `model.fit(...,
#    validation_data=(x_val, y_val), epochs=epochs)`.
# 3. compile with Adam and a learning rate around 0.01, then return model.fit(...) with the training
#    data, the validation data and the epochs given.

# %% nbgrader={"grade": false, "grade_id": "train_logistic_regression", "locked": false, "schema_version": 3, "solution": true, "task": false}
def train_logistic_regression(model, x_train, y_train, x_val, y_val, epochs):
    """Compile and fit `model`; return the History."""
    ### BEGIN SOLUTION
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.01),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model.fit(
        x_train, y_train, validation_data=(x_val, y_val), epochs=epochs, batch_size=64, verbose=2
    )
    ### END SOLUTION


# %%
env.seed_everything()  # the same start whatever earlier cells drew
epochs = env.pick(fast=5, full=15)
model = build_logistic_regression(digits.image_shape, digits.num_classes)
history = None  # stays None if training stops with an error
history = train_logistic_regression(model, x_train, y_train, x_val, y_val, epochs)
fig = plots.training_curves(history)

# %% nbgrader={"grade": true, "grade_id": "test_trained_model", "locked": true, "points": 5, "schema_version": 3, "solution": false, "task": false}
ACCURACY_BAR = 0.85
checks.check_trained_model(model, x_val, y_val, min_accuracy=ACCURACY_BAR, history=history,
                            trained_by=train_logistic_regression)
### BEGIN HIDDEN TESTS
checks.check_trained_model(model, digits.x_test.astype("float32") / 255.0, digits.y_test, min_accuracy=ACCURACY_BAR)
### END HIDDEN TESTS
print("trained model: checks passed.")

# %% [markdown]
# ## 8. Predictions: from probabilities to classes
#
# `model.predict` returns one row of $K$ probabilities per image; each row sums to 1. The
# predicted class is the position of the largest probability, `argmax`.
#
# > **Coming from older tutorials?** `model.predict_classes(x)` no longer exists; write
# > `np.argmax(model.predict(x), axis=-1)`.

# %%
probabilities = model.predict(x_val, verbose=0)
predicted = np.argmax(probabilities, axis=-1)
print("first row:", np.round(probabilities[0], 3), "sums to", round(float(probabilities[0].sum()), 4))
print("predicted:", predicted[:12])
print("true:     ", y_val[:12])

# %% [markdown]
# ## 9. Where does it go wrong? The confusion matrix
#
# One accuracy number hides *which* mistakes the model makes. The confusion matrix counts, for
# every true class (row), how often each class was predicted (column); the diagonal holds the
# correct answers.

# %%
fig = plots.confusion_matrix(y_val, predicted, digits.class_names)

# %% [markdown]
# Per class, **precision** is the share of the images predicted as that class that really are
# it, and **recall** (also called **sensitivity**) is the share of that class's images that were
# found.

# %%
from sklearn.metrics import classification_report

print(classification_report(y_val, predicted, digits=3))

# %% [markdown]
# **Why accuracy can mislead.** Imagine a screening test where 95 of 100 people are healthy. A
# "model" that always answers *healthy* scores 95 % accuracy, yet its recall for the sick class
# is 0: it finds none of the people the test exists for. With imbalanced classes, always look at
# per-class recall and precision too.

# %%
truth = np.array([0] * 95 + [1] * 5)
always_healthy = np.zeros_like(truth)
print(f"accuracy {np.mean(always_healthy == truth):.2f}")
print(classification_report(truth, always_healthy, target_names=["healthy", "sick"], zero_division=0))

# %% [markdown]
# ## Recap
#
# - Sigmoid turns one score into a probability; softmax turns $K$ scores into $K$ probabilities
#   (subtract the largest score first to keep it finite).
# - Cross-entropy $-\sum p \log q$ measures a prediction; it is $\ln K$ for a blind guess.
# - A Keras logistic regression is `Input` → `Flatten` → `Dense(K, softmax)`, with
#   (pixels + 1) x K parameters.
# - Check an untrained model against $1/K$ and $\ln K$ before training; read the confusion
#   matrix and per-class recall after.
#
# ## Experiments
#
# 1. Train with `keras.optimizers.SGD(learning_rate=0.01)` instead of Adam for the same epochs.
#    How far behind is it? What learning rate closes the gap?
# 2. Remove the `/ 255.0` scaling and run the sanity check again. What happens to the
#    untrained loss, and to training?
# 3. Which pair of digits does the confusion matrix confuse most? Plot a few of those images
#    with `plots.image_grid`. Would *you* get them right?
#
# **Next:** notebook 04 adds a hidden layer and beats the 92 % a straight line reaches on all of MNIST
# in full mode.
