# %% [markdown]
# # 02 · Data augmentation: more training pictures for free
#
# **You will learn to**
# - explain why random, label-preserving changes to training pictures fight overfitting;
# - use Keras' preprocessing layers (`RandomFlip`, `RandomRotation`, `RandomZoom`,
#   `RandomTranslation`, `RandomShear`, `RandomContrast`, `Rescaling`, `Normalization`);
# - build an augmentation pipeline to a specification, and know which transforms a task allows;
# - put augmentation inside a model or inside a fast `tf.data` input pipeline
#   (`map`, `cache`, `shuffle`, `batch`, `prefetch`);
# - measure what augmentation does to a small model trained on a small set.
#
# **Time:** about 45 minutes of reading and exercises. In fast mode, the default on a CPU, the code runs in under a minute on a laptop.
#
# **Exercises:** five graded parts worth 14 points, each a code cell marked `YOUR CODE HERE` followed by a check cell.
# Run the check cell after your answer: it says what is wrong, never what the answer is.

# %%
import shutil
import time
from pathlib import Path

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from skimage.data import chelsea

from starter_lib import checks, data, env, folders, plots, widgets
from starter_lib.augment import RandomAffine

# %% [markdown]
# ## 1. Why augmentation works
#
# A network with many weights and few training pictures can simply memorise them, up
# to 100 % training accuracy, while accuracy on new pictures stays low (overfitting). One remedy is
# more data. **Data augmentation** manufactures it: every time a training picture is used, it is
# changed a little at random: mirrored, turned a few degrees, zoomed, shifted, its contrast
# changed. The model never sees exactly the same picture twice, so memorising pixels stops
# paying off, and it has to learn what stays the same under those changes: the object itself.
#
# The changes must keep the label true. A cat mirrored left to right is still a cat; a 6 turned
# upside down is a 9. Which changes are allowed depends on the task, and choosing them is part
# of designing the dataset. Augmentation is also for **training only**: validation and test
# pictures are used as they are, so their scores measure the model on real pictures.

# %% [markdown]
# ## 2. The preprocessing layers, one at a time
#
# Our test subject is Chelsea the cat, a photo that ships with scikit-image. The layers expect a
# batch of pictures, so we stack four copies of her; pixels are scaled to $[0, 1]$.

# %%
cat = chelsea()
cat_batch = np.repeat(cat[None].astype("float32") / 255, 4, axis=0)
small_cat = cat_batch[:1, ::2, ::2]  # half the size in each direction: quicker to augment
print("one photo:", cat.shape, cat.dtype, "| batch:", cat_batch.shape, cat_batch.dtype)

# %% [markdown]
# Each random layer draws new settings for every picture and every call, within the range you
# give it. The ranges are fractions, and each layer counts in its own unit:
#
# | layer | `0.2` means |
# |---|---|
# | `RandomFlip("horizontal")` | mirror left to right, half of the time (no number) |
# | `RandomRotation(0.2)` | turn by up to 0.2 of a **full turn** either way: 72 degrees! (15 degrees is `15 / 360`) |
# | `RandomZoom(0.2)` | zoom in or out by up to 20 % |
# | `RandomTranslation(0.2, 0.2)` | shift by up to 20 % of the height and of the width |
# | `RandomShear(0.2, 0.2)` | slant along x and y by up to 20 % of the picture |
# | `RandomContrast((0.2, 0.2))` | multiply the spread of pixel values around their mean by 0.8 to 1.2 |
#
# Check what a layer really does before you trust a number: `RandomContrast` given a single
# number `0.2` draws factors from 1 to 1.2 only (it reads `0.2` as the pair `(0, 0.2)`), so it
# never lowers the contrast. Give the pair to go both ways.
#
# Where a transform uncovers pixels that were outside the picture, `fill_mode` says what to
# show there: `"reflect"` (the default), `"nearest"`, `"wrap"` or `"constant"`.

# %%
layers_to_try = {
    'RandomFlip("horizontal")': keras.layers.RandomFlip("horizontal", seed=1),
    "RandomRotation(0.1)": keras.layers.RandomRotation(0.1, seed=1),
    "RandomZoom(0.3)": keras.layers.RandomZoom(0.3, seed=1),
    "RandomTranslation(0.2, 0.2)": keras.layers.RandomTranslation(0.2, 0.2, seed=1),
    "RandomShear(0.3, 0.3)": keras.layers.RandomShear(0.3, 0.3, seed=1),
    "RandomContrast((0.6, 0.6), value_range=(0, 1))": keras.layers.RandomContrast((0.6, 0.6), value_range=(0, 1),
                                                                                 seed=1),
}
fig, axes = plt.subplots(len(layers_to_try), 4, figsize=(8, 8.6))
for row, (name, layer) in zip(axes, layers_to_try.items()):
    for ax, image in zip(row, np.asarray(layer(np.repeat(small_cat, 4, axis=0), training=True))):
        ax.imshow(np.clip(image, 0, 1))
        ax.axis("off")
    row[0].set_title(name, loc="left", fontsize=9)
fig.tight_layout()

# %% [markdown]
# Two details to remember:
#
# - `RandomContrast` assumes pixels from 0 to 255 unless told otherwise: for pictures in
#   $[0, 1]$ give it `value_range=(0, 1)`, or it lets values escape the range.
# - Every random layer is active only when called with `training=True`. Inside `model.fit` Keras
#   passes that for you; in `predict` and `evaluate` the layers step aside.

# %%
flip = keras.layers.RandomFlip("horizontal", seed=3)
print("training=False leaves the batch alone:", np.array_equal(np.asarray(flip(cat_batch, training=False)), cat_batch))
print("training=True changes it:             ", not np.array_equal(np.asarray(flip(cat_batch, training=True)), cat_batch))

# %% [markdown]
# Two layers are not random at all; they put pixel values on a scale the network likes.
# `Rescaling(scale, offset)` multiplies and adds fixed numbers: `Rescaling(1 / 255)` maps 0..255 to
# $[0, 1]$ and `Rescaling(1 / 127.5, offset=-1)` to $[-1, 1]$. `Normalization` learns a mean and a
# variance from data (section 6).

# %%
pixels = np.array([[0.0, 127.5, 255.0]])
print("Rescaling(1 / 255):              ", np.asarray(keras.layers.Rescaling(1 / 255)(pixels)))
print("Rescaling(1 / 127.5, offset=-1): ", np.asarray(keras.layers.Rescaling(1 / 127.5, offset=-1)(pixels)))

# %% [markdown]
# ## 3. An augmentation pipeline to a specification
#
# Several layers in a `keras.Sequential` make one augmenter: each picture goes through all of
# them, each layer drawing its own random settings. Give each layer a `seed` and two augmenters
# built the same way produce the same sequence of changes, which makes an experiment repeatable.

# %% [markdown]
# ### Exercise 1 (4 points): build an augmenter
#
# Write `build_augmenter(seed=None)` that returns a `keras.Sequential` augmenter for photos with
# pixels in $[0, 1]$, made of these layers, each given `seed=seed`:
#
# - horizontal flips (left to right only);
# - rotations of up to 15 degrees either way;
# - zooms of up to 10 % in or out;
# - shifts of up to 10 % of the height and of the width;
# - contrast changes of up to 20 % up or down.
#
# It must leave pictures untouched when `training=False`, keep their shape and keep every pixel in
# $[0, 1]$ when `training=True`.

# %% [markdown] tags=["hints"]
# 1. One random layer per transform in the spec, each told its own range, all in one
#    `keras.Sequential`.
# 2. `RandomFlip("horizontal")`, `RandomRotation`, `RandomZoom`, `RandomTranslation`,
#    `RandomContrast`; a rotation factor is a share of a full turn, the others shares of the image,
#    and `RandomContrast` needs `value_range=(0, 1)` for these images.
# 3. keras.Sequential([five layers, each given `seed=seed`]); turns of 15 degrees are 15 / 360 of a
#    turn.

# %% nbgrader={"grade": false, "grade_id": "build_augmenter", "locked": false, "schema_version": 3, "solution": true, "task": false}
def build_augmenter(seed=None):
    """Return a keras.Sequential of random layers for photos with pixels in [0, 1]."""
    ### BEGIN SOLUTION
    return keras.Sequential(
        [
            keras.layers.RandomFlip("horizontal", seed=seed),
            keras.layers.RandomRotation(15 / 360, seed=seed),
            keras.layers.RandomZoom(0.1, seed=seed),
            keras.layers.RandomTranslation(0.1, 0.1, seed=seed),
            keras.layers.RandomContrast((0.2, 0.2), value_range=(0, 1), seed=seed),
        ],
        name="augmenter",
    )
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_build_augmenter", "locked": true, "points": 4, "schema_version": 3, "solution": false, "task": false}
checks.check_augmenter(build_augmenter, rotation_degrees=15, zoom=0.1, shift=0.1, contrast=0.2)
### BEGIN HIDDEN TESTS
_photos = cat_batch[:2, ::4, ::4]
_out = np.asarray(build_augmenter(seed=9)(_photos, training=True))
assert _out.shape == _photos.shape and _out.min() >= -1e-4 and _out.max() <= 1 + 1e-4, "wrong on real photos"
assert np.allclose(np.asarray(build_augmenter(seed=9)(_photos, training=True)), _out, atol=1e-5), "seed 9 not reproducible"
_grey = np.random.default_rng(2).uniform(size=(3, 20, 28, 1)).astype("float32")
assert np.allclose(np.asarray(build_augmenter()(_grey, training=False)), _grey), "must be off at inference"
assert np.asarray(build_augmenter()(_grey, training=True)).shape == _grey.shape, "grey pictures must keep their shape"
### END HIDDEN TESTS
print("build_augmenter: checks passed.")

# %% [markdown]
# Sixteen versions of one photo, as the model would see her over sixteen epochs:

# %%
augmenter = build_augmenter(seed=0)
variants = np.asarray(augmenter(np.repeat(small_cat, 16, axis=0), training=True))
fig = plots.image_grid(variants, ncols=8, size=1.5)

# %% [markdown]
# > **Coming from older tutorials?** They augmented with
# > `ImageDataGenerator(rotation_range=40, width_shift_range=0.2, height_shift_range=0.2,
# > shear_range=0.2, zoom_range=0.2, horizontal_flip=True, fill_mode="nearest")` and trained with
# > `fit_generator`. Keras 3 dropped `fit_generator` and left `ImageDataGenerator` out of
# > `keras.preprocessing` (only a deprecated copy remains for old `tf.keras` code). The same
# > settings as layers are in the cell below. Two
# > differences: the old `shear_range` was an angle in degrees (0.2 degrees is invisible), while
# > `RandomShear` takes a share of the picture; and the old zoom stretched height and width
# > independently, while `RandomZoom` keeps the proportions unless you also give `width_factor`.

# %%
old_tutorial_settings = keras.Sequential([
    keras.layers.RandomRotation(40 / 360, fill_mode="nearest", seed=4),
    keras.layers.RandomTranslation(0.2, 0.2, fill_mode="nearest", seed=4),
    keras.layers.RandomShear(0.2, 0.2, fill_mode="nearest", seed=4),
    keras.layers.RandomZoom(0.2, fill_mode="nearest", seed=4),
    keras.layers.RandomFlip("horizontal", seed=4),
])
fig = plots.image_grid(np.asarray(old_tutorial_settings(np.repeat(small_cat, 8, axis=0), training=True)),
                       ncols=8, size=1.5)

# %% [markdown]
# ## 4. Explore each transform yourself
#
# The random layers draw their settings for you. The explorer lets you set each one by hand and
# see the result at once. Drag the sliders (they follow the same conventions as the layers:
# rotation in degrees counter-clockwise, positive zoom zooms out, positive shifts go right and
# down) and try the fill modes with a big shift. How far can you go before the photo stops being
# a plausible photo of a cat?

# %%
widgets.augmentation_explorer(cat)

# %% [markdown]
# ## 5. Which changes keep the label?
#
# The explorer's function, `widgets.transform_image`, applies fixed settings to one picture. Here
# it shows handwritten digits under several transforms. Look at each column and ask: is this
# still a digit someone could have written, with the same label?

# %%
digits = data.rendered_digits(size=24)
examples = [digits.images[np.flatnonzero(digits.labels == digit)[0]] for digit in (2, 6, 7, 9)]
columns = {
    "original": {},
    "horizontal flip": {"flip": True},
    "vertical flip": {"flip": True, "rotation": 180},
    "rotated 180": {"rotation": 180},
    "rotated 10": {"rotation": 10},
    "zoomed in 10 %": {"zoom": -0.1},
    "shifted 10 %": {"shift_x": 0.1, "shift_y": 0.1},
    "contrast 0.8": {"contrast": 0.8},
}
fig, axes = plt.subplots(len(examples), len(columns), figsize=(9, 4.8))
for row, image in enumerate(examples):
    for ax, (title, settings) in zip(axes[row], columns.items()):
        ax.imshow(widgets.transform_image(image, fill_mode="constant", **settings), cmap="gray", vmin=0, vmax=1)
        ax.set_xticks([])
        ax.set_yticks([])
        if row == 0:
            ax.set_title(title, fontsize=8)
fig.tight_layout()

# %% [markdown]
# (A vertical flip is a horizontal flip turned by 180 degrees, which is how the cell draws it.)

# %% [markdown]
# ### Exercise 2 (2 points): label-preserving transforms for digits
#
# From `TRANSFORMS` below, pick the transforms that keep a handwritten digit's label: the changed
# picture must still look like a digit a person could write, and the same digit. Write
# `safe_for_digits()` so that it returns a set of their names, spelled exactly as in `TRANSFORMS`.

# %%
TRANSFORMS = (
    "horizontal flip",
    "vertical flip",
    "rotation up to 10 degrees",
    "rotation up to 180 degrees",
    "zoom up to 10 %",
    "shift up to 10 %",
    "contrast up to 20 %",
)

# %% [markdown] tags=["hints"]
# 1. For each transform ask two questions: could a person have written the changed picture, and is it
#    still the same digit?
# 2. Think of a 2 mirrored left to right, and of a 6 turned upside down; small turns, zooms, shifts
#    and contrast changes are another matter.
# 3. Return a set, `{...}`, of the names that pass both questions, spelled exactly as in
#    `TRANSFORMS`.

# %% nbgrader={"grade": false, "grade_id": "safe_for_digits", "locked": false, "schema_version": 3, "solution": true, "task": false}
def safe_for_digits():
    """Return the set of names from TRANSFORMS that keep a digit's label."""
    ### BEGIN SOLUTION
    return {"rotation up to 10 degrees", "zoom up to 10 %", "shift up to 10 %", "contrast up to 20 %"}
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_safe_for_digits", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
LABEL_BREAKERS = {  # fingerprints of the options to leave out, each with the property it breaks
    "ae55e7853f6f": "a person could not have written the changed picture",
    "c13968b50fa9": "the changed picture can show another digit, or none",
    "ec017a066137": "the changed picture can show another digit, or none",
}
checks.check_choice(safe_for_digits(), TRANSFORMS, breaks=LABEL_BREAKERS)
### BEGIN HIDDEN TESTS
_chosen = set(safe_for_digits())
for _name in ("horizontal flip", "vertical flip", "rotation up to 180 degrees"):
    assert _name not in _chosen, f"{_name} does not keep every digit's label"
for _name in ("rotation up to 10 degrees", "zoom up to 10 %", "shift up to 10 %", "contrast up to 20 %"):
    assert _name in _chosen, f"{_name} keeps the label and adds variety"
### END HIDDEN TESTS
print("safe_for_digits: checks passed.")

# %% [markdown]
# ## 6. Normalisation learned from the training data
#
# `Rescaling` uses numbers you choose. `Normalization` computes them from data: `adapt(images)`
# measures the mean and variance of every colour channel, and afterwards the layer subtracts
# that mean and divides by that standard deviation, so each channel has mean 0 and standard
# deviation 1 on the data it was adapted to. Adapt it to the **training** pictures only:
# statistics taken from validation or test pictures would leak information about them into the
# model, exactly the leakage notebook 01 kept out of the splits.

# %% [markdown]
# ### Exercise 3 (2 points): adapt a normalisation layer
#
# Write `build_normalizer(train_images)` that returns a `keras.layers.Normalization` layer with
# one mean and one variance per channel (the last axis), adapted to `train_images`.

# %% [markdown] tags=["hints"]
# 1. The layer learns a mean and a variance from the training images, one per colour channel, and
#    then subtracts and divides by them.
# 2. `keras.layers.Normalization(axis=-1)` keeps one statistic per channel (the last axis); its
#    `adapt` method learns them from data.
# 3. Make the layer, adapt it to `train_images`, return it.

# %% nbgrader={"grade": false, "grade_id": "build_normalizer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def build_normalizer(train_images):
    """Return a Normalization layer adapted, per channel, to `train_images`."""
    ### BEGIN SOLUTION
    layer = keras.layers.Normalization(axis=-1)
    layer.adapt(train_images)
    return layer
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_build_normalizer", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
checks.check_normalizer(build_normalizer, cat_batch[:1, ::3, ::3])
### BEGIN HIDDEN TESTS
_train = digits.images[:300, :, :, None].astype("float32") / 255
_layer = build_normalizer(_train)
_out = np.asarray(_layer(_train))
assert abs(_out.mean()) < 1e-3 and abs(_out.std() - 1) < 1e-2, "not adapted to the training images"
_other = np.asarray(_layer(digits.images[300:400, :, :, None].astype("float32") / 255))
assert _other.shape == (100, 24, 24, 1), "the layer must keep the shape of new pictures"
### END HIDDEN TESTS
print("build_normalizer: checks passed.")

# %% [markdown]
# ## 7. Where augmentation runs: inside the model, or in the input pipeline
#
# There are two places to put the augmenter, and both are right for different reasons:
#
# - **Inside the model**, as its first layers. The augmentation then runs on the same device as
#   the model (a GPU, if you have one), steps aside automatically in `predict` and `evaluate`, and
#   is saved with the model.
# - **In the `tf.data` input pipeline**, as a `map` over batches. The CPU prepares augmented
#   batches in parallel while the GPU trains on the previous one. The saved model holds no
#   augmentation, which is what you want to ship.

# %% [markdown]
# ### Exercise 4 (2 points): augmentation inside a model
#
# Write `with_augmentation(model, augmenter)` that returns a new `keras.Model` taking the same
# input shape as `model` (its `model.input_shape` without the batch axis), passing the inputs
# through `augmenter` and then through `model` itself, so the weights are shared, not copied.

# %% [markdown] tags=["hints"]
# 1. Build a new model that starts from a fresh input, passes it through the augmenter and then
#    through the very same model object, so the weights are shared.
# 2. The functional API: `keras.Input(shape=...)` makes a symbolic input, calling a layer or a model
#    on it gives its output, and `keras.Model(inputs, outputs)` ties them together.
#    `model.input_shape[1:]` is the shape without the batch axis.
# 3. inputs = an Input of the model's shape; outputs = model(augmenter(inputs)); return
#    keras.Model(inputs, outputs).

# %% nbgrader={"grade": false, "grade_id": "with_augmentation", "locked": false, "schema_version": 3, "solution": true, "task": false}
def with_augmentation(model, augmenter):
    """Return a keras.Model that augments its inputs, then applies `model`."""
    ### BEGIN SOLUTION
    inputs = keras.Input(shape=model.input_shape[1:])
    return keras.Model(inputs, model(augmenter(inputs)), name=f"augmented_{model.name}")
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_with_augmentation", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
checks.check_with_augmentation(with_augmentation)
### BEGIN HIDDEN TESTS
_base = keras.Sequential([keras.Input((10, 12, 1)), keras.layers.Flatten(), keras.layers.Dense(2)])
_combined = with_augmentation(_base, keras.layers.RandomTranslation(0.3, 0.3, seed=1))
assert tuple(_combined.inputs[0].shape) == (None, 10, 12, 1), "the input shape must follow the model's"
_x = np.random.default_rng(4).uniform(size=(2, 10, 12, 1)).astype("float32")
assert np.allclose(np.asarray(_combined.predict(_x, verbose=0)), np.asarray(_base(_x)), atol=1e-5), "predict must not augment"
### END HIDDEN TESTS
print("with_augmentation: checks passed.")

# %% [markdown]
# ## 8. A fast input pipeline with `tf.data`
#
# Training waits for data more often than you would think. A `tf.data` pipeline is a chain of
# steps, and their order matters:
#
# 1. **source**: `tf.data.Dataset.from_tensor_slices((paths, labels))`, one element per file;
# 2. **read and decode** with `map(..., num_parallel_calls=tf.data.AUTOTUNE)`, several files at once;
# 3. **`cache()`**: keep the decoded pictures in memory, so files are read and decoded only in the
#    first epoch;
# 4. **`shuffle(buffer)`** (training only): a new order every epoch. After `cache`, or the cache
#    would freeze the first epoch's order;
# 5. **`batch(batch_size)`**;
# 6. **augment** with a `map` over whole batches (training only), after `cache` so that every
#    epoch gets fresh random changes, and after `batch` because one call per batch is much faster
#    than one per picture;
# 7. **`prefetch(tf.data.AUTOTUNE)`**: prepare the next batch while the model trains on this one.
#
# This is also why augmentation streams instead of writing augmented copies to disk: copies
# would fix a few variants forever, multiply the disk space and the reading time, and go stale
# the moment you change a setting. Streaming draws new variants every epoch, for free.
#
# Our files: a small set of digits written as PNG files, one folder per class, as in notebook 01.
# `read_image` reads one file into a `float32` picture in $[0, 1]$.

# %%
WORK = Path("02-datasets")
shutil.rmtree(WORK, ignore_errors=True)
n_train, n_val = 100, env.pick(fast=200, full=600)
picked = np.random.default_rng(0).permutation(len(digits.labels))[: n_train + n_val]
digit_dir = folders.write_class_folders(digits.images[picked], digits.labels[picked], digits.class_names,
                                        WORK / "digits")
paths = np.array(sorted(str(path) for path in digit_dir.rglob("*.png")))
labels = np.array([digits.class_names.index(Path(path).parent.name) for path in paths])
order = np.random.default_rng(1).permutation(len(paths))
train_paths, train_labels = paths[order[:n_train]], labels[order[:n_train]]
val_paths, val_labels = paths[order[n_train:]], labels[order[n_train:]]
print(f"{len(train_paths)} training and {len(val_paths)} validation files, e.g. {train_paths[0]}")
IMAGE_SIZE = (24, 24)


def read_image(path, image_size):
    """Read one PNG file into a float32 picture of `image_size` with one channel, pixels in [0, 1]."""
    picture = tf.io.decode_png(tf.io.read_file(path), channels=1)
    return tf.image.resize(picture, image_size) / 255.0


print("one picture:", read_image(train_paths[0], IMAGE_SIZE).shape)

# %% [markdown]
# ### Exercise 5 (4 points): an input pipeline in the right order
#
# Write `input_pipeline(paths, labels, image_size, batch_size, training, augmenter=None, seed=0)`
# that returns a `tf.data.Dataset` of `(images, labels)` batches:
#
# - source from `(paths, labels)`; `map` each element to `(read_image(path, image_size), label)`
#   in parallel; `cache()`;
# - only when `training` is true: `shuffle` with a buffer as large as the number of files and
#   the given `seed`;
# - `batch(batch_size)`;
# - only when `training` is true and an `augmenter` is given: `map` each batch to
#   `(augmenter(images, training=True), labels)`, in parallel;
# - end with `prefetch(tf.data.AUTOTUNE)`.

# %% [markdown] tags=["hints"]
# 1. Read and decode each file once and cache the result; every epoch then shuffles, batches and
#    augments afresh, and prefetch keeps the next batch ready.
# 2. `tf.data.Dataset.from_tensor_slices`, `.map(..., num_parallel_calls=tf.data.AUTOTUNE)`,
#    `.cache()`, `.shuffle(n)`, `.batch(size)`, `.prefetch(tf.data.AUTOTUNE)`; `read_image` loads one
#    file.
# 3. source -> map(read) -> cache -> (training only: shuffle) -> batch -> (training only: map(augment
#    whole batches)) -> prefetch.

# %% nbgrader={"grade": false, "grade_id": "input_pipeline", "locked": false, "schema_version": 3, "solution": true, "task": false}
def input_pipeline(paths, labels, image_size, batch_size, training, augmenter=None, seed=0):
    """Return a tf.data.Dataset of (images, labels) batches, augmented only in training."""
    ### BEGIN SOLUTION
    def load(path, label):
        return read_image(path, image_size), label

    def augment(images, batch_labels):
        return augmenter(images, training=True), batch_labels

    dataset = tf.data.Dataset.from_tensor_slices((list(paths), np.asarray(labels)))
    dataset = dataset.map(load, num_parallel_calls=tf.data.AUTOTUNE).cache()
    if training:
        dataset = dataset.shuffle(len(paths), seed=seed)
    dataset = dataset.batch(batch_size)
    if training and augmenter is not None:
        dataset = dataset.map(augment, num_parallel_calls=tf.data.AUTOTUNE)
    return dataset.prefetch(tf.data.AUTOTUNE)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_input_pipeline", "locked": true, "points": 4, "schema_version": 3, "solution": false, "task": false}
checks.check_input_pipeline(input_pipeline, train_paths, train_labels, image_size=IMAGE_SIZE, channels=1)
### BEGIN HIDDEN TESTS
checks.check_input_pipeline(input_pipeline, val_paths[::-1], val_labels[::-1], image_size=(16, 20), batch_size=5,
                            channels=1)
_plain = input_pipeline(val_paths[:7], val_labels[:7], (8, 8), 3, training=True)
assert [len(y) for _, y in _plain] == [3, 3, 1], "training without an augmenter must still batch every file"
### END HIDDEN TESTS
print("input_pipeline: checks passed.")

# %% [markdown]
# The cache at work: the first pass over the validation files reads and decodes every file, the
# second serves them from memory.

# %%
val_ds = input_pipeline(val_paths, val_labels, IMAGE_SIZE, 32, training=False)
for attempt in ("first pass (reads files)", "second pass (from the cache)"):
    start = time.perf_counter()
    batches = sum(1 for _ in val_ds)
    print(f"{attempt}: {batches} batches in {time.perf_counter() - start:.3f} s")

# %% [markdown]
# ### One resampling pass instead of four
#
# The cache made reading cheap; what is left is the augmentation itself. Flip, rotation,
# translation, shear and zoom each move pixels to new places, and each Keras layer computes a
# whole new picture, reading every output pixel from up to four input pixels. Chained, the five
# layers resample every picture four times (a flip only reorders pixels), and each pass blurs it
# a little more.
#
# Each of these moves is a 2x3 **affine matrix**, and two moves in a row are one matrix: their
# product. `RandomAffine` from `starter_lib.augment` draws the five moves per picture, multiplies their
# matrices, and resamples once, with `keras.ops.image.affine_transform`. Same family of changes,
# a fraction of the work:

# %%
chain = keras.Sequential([
    keras.layers.RandomFlip("horizontal", seed=1),
    keras.layers.RandomRotation(0.1, fill_mode="nearest", seed=1),
    keras.layers.RandomTranslation(0.1, 0.1, fill_mode="nearest", seed=1),
    keras.layers.RandomShear(0.1, 0.1, fill_mode="nearest", seed=1),
    keras.layers.RandomZoom(0.2, fill_mode="nearest", seed=1),
])
one_pass = RandomAffine(rotation=0.1, translation=0.1, shear=0.1, zoom=0.2, horizontal_flip=True, seed=1)
cats = np.repeat(small_cat, 32, axis=0)
for name, augmenter in (("five layers", chain), ("RandomAffine", one_pass)):
    augmenter(cats, training=True)  # the first call builds the layers
    start = time.perf_counter()
    for _ in range(5):
        augmenter(cats, training=True)
    print(f"{name:12s}: {(time.perf_counter() - start) / 5 * 1000:5.0f} ms per batch of 32 cats")
fig = plots.image_grid(np.clip(np.asarray(one_pass(cats[:8], training=True)), 0, 1), ncols=8, size=1.5)

# %% [markdown]
# `benchmarks/pipeline_speed.py` compares whole input pipelines on a folder of JPEG files; the
# README quotes its table.
#
# ## 9. Experiment: the same model with and without augmentation
#
# A small convolutional network (notebook 05 explains its layers) learns the digits from only
# 100 training pictures, once as they are and once through an augmenter that uses only
# label-preserving transforms for digits. Same model, same seed, same epochs.
#
# The augmenter sits inside the model here, as its first layer. Its random draws then come one
# batch after another, in order, so running the cell again gives the same numbers. In a parallel
# `tf.data` map (Exercise 5's augment step) several threads take draws in whatever order they
# run: the same seeds give a slightly different run each time.

# %%
def digit_augmenter():
    """A fresh, seeded augmenter for digits: small turns, zooms, shifts and contrast, no flips."""
    return keras.Sequential([
        keras.layers.RandomRotation(10 / 360, fill_mode="constant", seed=0),
        keras.layers.RandomZoom(0.1, fill_mode="constant", seed=0),
        keras.layers.RandomTranslation(0.1, 0.1, fill_mode="constant", seed=0),
        keras.layers.RandomContrast((0.2, 0.2), value_range=(0, 1), seed=0),
    ], name="digit_augmenter")


def small_cnn():
    """A small convolutional classifier for 24x24 grey digits."""
    return keras.Sequential([
        keras.Input((*IMAGE_SIZE, 1)),
        keras.layers.Conv2D(16, 3, activation="relu"),
        keras.layers.MaxPooling2D(),
        keras.layers.Conv2D(32, 3, activation="relu"),
        keras.layers.MaxPooling2D(),
        keras.layers.Flatten(),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])


epochs = env.pick(fast=8, full=30)
histories = {}
train_ds = input_pipeline(train_paths, train_labels, IMAGE_SIZE, 10, training=True)
for name, augmented in (("without augmentation", False), ("with augmentation", True)):
    keras.utils.set_random_seed(0)
    first = [digit_augmenter()] if augmented else []  # active in fit, switched off in evaluate and predict
    model = keras.Sequential([keras.Input((*IMAGE_SIZE, 1)), *first, small_cnn()])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=3e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    histories[name] = model.fit(train_ds, validation_data=val_ds, epochs=epochs, verbose=0)
    final = histories[name].history
    print(f"{name:>21}: training accuracy {final['accuracy'][-1]:.2f}, validation accuracy {final['val_accuracy'][-1]:.2f}")
fig = plots.training_curves(histories)

# %% [markdown]
# Read the curves (solid lines: training, dashed: validation). Without augmentation the training
# accuracy runs ahead of the validation accuracy, and in full mode (30 epochs) it reaches 1.00 while
# validation stalls: the model memorises its 100 pictures. With augmentation the training
# accuracy is measured on the changed pictures, so it stays close to the validation accuracy, or
# even below it: there is little to memorise. Augmentation also makes learning slower, so after a
# short run (fast mode trains for 8 epochs) the augmented model may still be behind.
# In full mode (30 epochs) we measured on a CPU: without augmentation 1.00
# training and 0.87 validation accuracy; with augmentation 0.89 and 0.91.
#
# ## Recap
#
# - Augmentation applies random, label-preserving changes to training pictures, so the model
#   cannot memorise pixels; it is a regulariser, and active only in training.
# - Keras' preprocessing layers do it: `RandomFlip`, `RandomRotation` (a share of a full turn),
#   `RandomZoom`, `RandomTranslation`, `RandomShear`, `RandomContrast` (mind `value_range`, give a pair);
#   `Rescaling` and an adapted `Normalization` put pixels on a good scale.
# - Which transforms are allowed depends on the task: no flips for digits or text.
# - Put augmentation inside the model, or in a `tf.data` pipeline ordered
#   read and decode, `cache`, `shuffle`, `batch`, augment, `prefetch`.
#
# ## Experiments
#
# 1. Use `RandomRotation(0.5)` (any angle) in `digit_augmenter`. What happens to 6s and 9s, and to
#    the validation accuracy?
# 2. Move `cache()` to the very end of your pipeline, after the augmentation, and run the
#    experiment again. Why does the augmented model now overfit like the plain one?
# 3. Train both models with 500 training pictures instead of 100. Does augmentation still help
#    as much?
# 4. In the explorer, find the largest rotation and zoom after which you would no longer call the
#    photo a realistic cat photo. Are those the limits you would give the layers?
#
# **Next:** notebook 03 trains a first classifier, a logistic regression, and measures it properly.
