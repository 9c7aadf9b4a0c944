# %% [markdown]
# # 01 · Dataset creation: from a pile of pictures to a dataset Keras can load
#
# **You will learn to**
# - say what a supervised dataset is: inputs, their ground-truth labels, and where the labels come from;
# - make raw labelled pictures without any download, or use your own photos;
# - describe image batches as tensors (rank, shape, dtype) and scale their pixels;
# - split pictures into training, validation and test folders, stratified and without leakage;
# - count, check and repair an image folder tree, and see why imbalance and bias matter;
# - load the tree with `keras.utils.image_dataset_from_directory` and read a batch.
#
# **Time:** about 45 minutes of reading and exercises. In fast mode, the default on a CPU, the code runs in under a minute on a laptop.
#
# **Exercises:** five graded parts worth 13 points, each a code cell marked `YOUR CODE HERE` followed by a check cell.
# Run the check cell after your answer: it says what is wrong, never what the answer is.

# %%
import math
import shutil
from pathlib import Path

import keras
import matplotlib.pyplot as plt
import numpy as np

from starter_lib import checks, data, folders, plots

# %% [markdown]
# ## 1. What a supervised dataset is
#
# A classifier learns from **examples with answers**: each input (here a picture) comes with its
# **ground truth**, the label a person gave it. Training adjusts the model until its answers match
# the labels; we then trust it on pictures nobody has labelled.
#
# For pictures the simplest way to store the labels is in the folder names: every picture of a
# face goes in a folder called `face`, every other picture in `non_face`. No spreadsheet of
# labels can get out of step with the files. Keras reads this layout directly, one level per
# split and one per class:
#
# ```
# DATASET/
#     train/   face/ face_0001.png ...    non_face/ ...
#     val/     face/ ...                  non_face/ ...
#     test/    face/ ...                  non_face/ ...
# ```
#
# Everything this notebook writes goes into one working folder, emptied at the start so that
# you can run the notebook again from the top at any time.

# %%
WORK = Path("01-datasets")
shutil.rmtree(WORK, ignore_errors=True)
WORK.mkdir()

# %% [markdown]
# ## 2. Raw pictures that work offline
#
# Three sources ship with the course's Python packages, so nothing is downloaded:
#
# - **Faces** from scikit-image: 100 small grey crops of faces from the "Labeled Faces in the
#   Wild" collection of press photos, and 100 patches cut from the backgrounds of the same photos.
#   A real two-class problem.
# - **Digits** from scikit-learn: 1,797 handwritten digits, ten classes, enlarged to 32x32 pixels.
# - **Shapes** drawn with OpenCV: circles, squares and triangles whose difficulty you choose,
#   from big and centred to small, turned, faint and noisy.

# %%
faces = data.face_images()
print("faces:", faces.images.shape, faces.images.dtype, "classes", faces.class_names,
      "per class", np.bincount(faces.labels))
fig = plots.class_samples(faces.images, faces.labels, faces.class_names, per_class=10)

# %%
digits = data.rendered_digits(size=32)
print("digits:", digits.images.shape, "classes", digits.class_names)
fig = plots.class_samples(digits.images, digits.labels, digits.class_names, per_class=8, size=0.8)

# %% [markdown]
# The `difficulty` of the shapes goes from 0 to 1. Each row below draws the same three classes
# at a higher difficulty.

# %%
fig, axes = plt.subplots(3, 9, figsize=(10, 3.6))
for row, difficulty in zip(axes, (0.0, 0.5, 1.0)):
    sample = data.shape_images(3, size=64, difficulty=difficulty, seed=7)
    for ax, image, label in zip(row, sample.images, sample.labels):
        ax.imshow(image)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(sample.class_names[label], fontsize=8)
    row[0].set_ylabel(f"difficulty {difficulty}", fontsize=8)
fig.tight_layout()

# %% [markdown]
# Raw pictures usually arrive as one folder per class, not yet split. `folders.write_class_folders`
# saves our arrays that way as PNG files, which is exactly where you would start with photos of
# your own (`overwrite=True` replaces what an earlier run wrote). Open the `01-datasets` folder in
# the file browser on the left to see them.

# %%
raw_faces = folders.write_class_folders(*faces, WORK / "raw-faces", overwrite=True)
print(folders.tree_text(raw_faces))

# %% [markdown]
# **Your own photos.** Make one folder per class and put each photo in its class's folder, for
# example `my_photos/cat/*.jpg` and `my_photos/dog/*.jpg` (JPEG, PNG, BMP or GIF; any size). On
# Colab, upload the folder with the file browser on the left or mount Google Drive. Then replace
# the line below with `RAW = Path("my_photos")` and run the notebook from here: everything that
# follows works on any such folder. Only section 7 asks for the faces' picture size and their two
# classes: there, pick an `image_size` such as `(128, 128)`, and `label_mode="int"` for more than
# two classes.

# %%
RAW = raw_faces

# %% [markdown]
# ## 3. Pictures as tensors
#
# A batch of pictures is a **tensor**: an array with a **rank** (how many axes), a **shape** (how
# long each axis is) and a **dtype** (the type of every number in it). The faces are grey, so a
# batch of them has rank 3, `(pictures, height, width)`; colour pictures add a fourth axis for the
# red, green and blue **channels**.

# %%
shapes = data.shape_images(4, size=48, seed=0)
for name, batch in (("faces", faces.images), ("shapes", shapes.images)):
    print(f"{name:>6}: rank {batch.ndim}, shape {batch.shape}, dtype {batch.dtype}, "
          f"values {batch.min()} to {batch.max()}")

# %% [markdown]
# Pixels are stored as `uint8`, whole numbers from 0 to 255. Networks learn best from small
# floating-point numbers, so before training the pixels are scaled: to $[0, 1]$ by dividing by
# 255, or to $[-1, 1]$, which some pretrained models expect.

# %% [markdown]
# ### Exercise 1 (2 points): scale pixels
#
# Write `scale_pixels(images, low, high)` that maps 0 to `low`, 255 to `high` and every value in
# between onto the straight line joining them. Return a new `float32` array of the same shape
# and leave the input unchanged.

# %% [markdown] tags=["hints"]
# 1. The map is a straight line: 0 goes to `low`, 255 to `high`, and every pixel in between keeps its
#    place on the way.
# 2. First turn the pixels into a fraction between 0 and 1 (as float32, so the uint8 input is never
#    changed), then stretch and shift that fraction.
# 3. The shape of it: fraction = pixels / 255; result = low + fraction times (the width of the target
#    range); make sure the result's dtype is float32.

# %% nbgrader={"grade": false, "grade_id": "scale_pixels", "locked": false, "schema_version": 3, "solution": true, "task": false}
def scale_pixels(images, low=0.0, high=1.0):
    """Return `images` (uint8, 0..255) as float32 values from `low` to `high`."""
    ### BEGIN SOLUTION
    fraction = np.asarray(images, dtype=np.float32) / np.float32(255)
    return (np.float32(low) + fraction * np.float32(high - low)).astype(np.float32)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_scale_pixels", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
checks.check_scale_pixels(scale_pixels)
### BEGIN HIDDEN TESTS
_batch = np.random.default_rng(11).integers(0, 256, size=(3, 5, 4, 3), dtype=np.uint8)
for _low, _high in ((0.0, 1.0), (-1.0, 1.0), (0.5, 2.0)):
    _out = scale_pixels(_batch, _low, _high)
    assert _out.dtype == np.float32 and _out.shape == _batch.shape, "a colour batch must keep its shape, as float32"
    assert np.allclose(_out, _low + _batch / 255 * (_high - _low), atol=1e-6), "wrong on a colour batch"
assert np.allclose(scale_pixels(np.full((2, 2), 255, dtype=np.uint8)), 1.0), "defaults must scale to [0, 1]"
### END HIDDEN TESTS
print("scale_pixels: checks passed.")

# %%
scaled = scale_pixels(faces.images)
print("faces after scaling:", scaled.dtype, scaled.min(), "to", scaled.max())

# %% [markdown]
# ## 4. Three splits, stratified, without leakage
#
# - The **training** split is what the model learns from.
# - The **validation** split is what you check it on while you try settings (epochs, layers,
#   learning rate). Because your choices follow its score, it slowly stops being "unseen".
# - The **test** split is kept locked away and used once, at the end, for the honest number.
#
# Two rules keep that number honest:
#
# 1. **Stratify**: split every class separately, so each split has the classes in the same
#    proportions. A purely random split of a small or imbalanced set can leave a split with few
#    or no pictures of a rare class.
# 2. **No leakage**: no picture may sit in two splits. A test picture the model has trained on
#    measures memory, not skill. Leakage also comes in disguise: near-identical frames of one
#    video, or several photos of the same person, should all go to the same split.
#
# Shuffle before you cut, with a fixed **seed**, so the split is random but the same every run.

# %% [markdown]
# ### Exercise 2 (4 points): write a stratified split
#
# Write `split_dataset(raw_dir, dataset_dir, val_fraction, test_fraction, seed)`:
#
# - for each class folder of `raw_dir`, take its image files (those for which
#   `folders.is_image_file` is true; leave anything else behind) in sorted order;
# - shuffle them with a random generator made from `seed`, e.g. `np.random.default_rng(seed)`;
# - give the first `round(n * test_fraction)` to `test`, the next `round(n * val_fraction)` to
#   `val` and the rest to `train`;
# - **copy** each file (keep its name) to `dataset_dir/<split>/<class>/`, creating the folders
#   (every class folder in every split, even if it stays empty; `shutil.copy2` copies a file);
# - return `dataset_dir` as a `Path`.

# %% [markdown] tags=["hints"]
# 1. Split each class on its own (that is what stratified means), and copy files: the raw folder must
#    stay as it is.
# 2. `np.random.default_rng(seed).permutation(n)` shuffles reproducibly; sort each class's file names
#    first so the same seed always gives the same split. `shutil.copy2` copies a file.
# 3. For each class folder: list and sort its images, shuffle them, take round(n x test_fraction) for
#    test and round(n x val_fraction) for val, the rest for train, then copy each group into
#    dataset_dir/<split>/<class>/.

# %% nbgrader={"grade": false, "grade_id": "split_dataset", "locked": false, "schema_version": 3, "solution": true, "task": false}
def split_dataset(raw_dir, dataset_dir, val_fraction, test_fraction, seed):
    """Copy each class's images of `raw_dir` into `dataset_dir/{train,val,test}/<class>/`."""
    ### BEGIN SOLUTION
    raw_dir, dataset_dir = Path(raw_dir), Path(dataset_dir)
    rng = np.random.default_rng(seed)
    for class_dir in sorted(path for path in raw_dir.iterdir() if path.is_dir()):
        files = sorted(path for path in class_dir.iterdir() if folders.is_image_file(path))
        files = [files[index] for index in rng.permutation(len(files))]
        n_test, n_val = round(len(files) * test_fraction), round(len(files) * val_fraction)
        shares = {"test": files[:n_test], "val": files[n_test:n_test + n_val], "train": files[n_test + n_val:]}
        for split, chosen in shares.items():
            target = dataset_dir / split / class_dir.name
            target.mkdir(parents=True, exist_ok=True)
            for file in chosen:
                shutil.copy2(file, target / file.name)
    return dataset_dir
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_split_dataset", "locked": true, "points": 4, "schema_version": 3, "solution": false, "task": false}
checks.check_split_dataset(split_dataset, raw_faces, val_fraction=0.15, test_fraction=0.15)
### BEGIN HIDDEN TESTS
import tempfile

with tempfile.TemporaryDirectory() as _scratch:
    _digits = data.rendered_digits(size=12)
    _raw = folders.write_class_folders(_digits.images[:150], _digits.labels[:150], _digits.class_names,
                                       Path(_scratch) / "digits")
    checks.check_split_dataset(split_dataset, _raw, val_fraction=0.1, test_fraction=0.3)
    _odd = data.shape_images((23, 9, 4), size=16, seed=5)
    _broken = folders.write_class_folders(*_odd, Path(_scratch) / "broken")
    (_broken / "README.md").write_text("a stray file\n")
    (_broken / "circle" / "notes.txt").write_text("not a picture\n")
    (_broken / "square" / ".DS_Store").write_bytes(b"\0\1")
    shutil.copy2(_broken / "square" / "square_0001.png", _broken / "square" / "SHOUTED.PNG")
    checks.check_split_dataset(split_dataset, _broken, val_fraction=0.25, test_fraction=0.25)
### END HIDDEN TESTS
print("split_dataset: checks passed.")

# %%
shutil.rmtree(WORK / "faces", ignore_errors=True)  # start from an empty folder on every run
dataset_dir = split_dataset(RAW, WORK / "faces", val_fraction=0.15, test_fraction=0.15, seed=0)
print(folders.tree_text(dataset_dir))

# %% [markdown]
# ## 5. Analyse: how many pictures of each class?
#
# The first thing to know about a dataset is how many examples each class has. When one class
# has far more pictures than another the set is **imbalanced**: a model can score well by
# mostly answering the big class, and accuracy alone hides it (notebook 03 shows why).

# %% [markdown]
# ### Exercise 3 (2 points): count per class
#
# Write `count_per_class(split_dir)` that returns a dict `{class name: number of image files}`
# with one entry per class folder of `split_dir` (sub-folders of a class count toward it, as they
# do for Keras; empty classes count 0; files lying directly in `split_dir` are not classes).
# Count a file when `folders.is_image_file` says it is an image.

# %% [markdown] tags=["hints"]
# 1. Every folder directly under the split folder is a class, even an empty one; files that are not
#    pictures do not count, and pictures in sub-folders do.
# 2. `Path.iterdir()` lists the class folders (keep those with `is_dir()`); `Path.rglob("*")` walks a
#    class folder at every depth; `folders.is_image_file` tells pictures from other files.
# 3. A dict comprehension over the class folders, each value the number of picture files found
#    anywhere below that folder.

# %% nbgrader={"grade": false, "grade_id": "count_per_class", "locked": false, "schema_version": 3, "solution": true, "task": false}
def count_per_class(split_dir):
    """Return {class name: image files} for the class folders of `split_dir`."""
    ### BEGIN SOLUTION
    return {class_dir.name: sum(folders.is_image_file(path) for path in class_dir.rglob("*"))
            for class_dir in sorted(Path(split_dir).iterdir()) if class_dir.is_dir()}
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_count_per_class", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
checks.check_count_per_class(count_per_class)
### BEGIN HIDDEN TESTS
import tempfile

with tempfile.TemporaryDirectory() as _scratch:
    _tree = folders.write_class_folders(*data.shape_images((6, 3, 9), size=16, seed=8), Path(_scratch) / "train")
    folders.add_faults(_tree)  # corrupt, odd-size and odd-channel images in circle; truncated and nested in triangle
    checks.check_count_per_class(count_per_class, _tree,
                                 {"circle": 9, "square": 3, "triangle": 11, "unused_class": 0})
### END HIDDEN TESTS
print("count_per_class: checks passed.")

# %% [markdown]
# One number summarises imbalance well enough for a first look: the **imbalance ratio**, the
# largest class count divided by the smallest. 1 means balanced; 10 means the big class has ten
# times the pictures of the small one.

# %% [markdown]
# ### Exercise 4 (2 points): the imbalance ratio
#
# Write `imbalance_ratio(counts)` for a dict like the one `count_per_class` returns. A class with
# no pictures at all makes the ratio infinite: return `math.inf`. A dict with no classes has no
# ratio: raise a `ValueError` saying so.

# %% [markdown] tags=["hints"]
# 1. The ratio is the largest class count over the smallest one, and a ratio keeps its fraction.
# 2. `min(...)` and `max(...)` of `counts.values()`; an empty class cannot be divided by, so its
#    ratio is `math.inf`; no class at all is an error, `ValueError`.
# 3. Three cases in order: no counts (raise), a smallest count of 0 (infinite), otherwise true
#    division of largest by smallest.

# %% nbgrader={"grade": false, "grade_id": "imbalance_ratio", "locked": false, "schema_version": 3, "solution": true, "task": false}
def imbalance_ratio(counts):
    """Return the largest count divided by the smallest (math.inf if a class is empty)."""
    ### BEGIN SOLUTION
    if not counts:
        raise ValueError("expected counts for at least one class, got an empty dict")
    smallest, largest = min(counts.values()), max(counts.values())
    return math.inf if smallest == 0 else largest / smallest
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_imbalance_ratio", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
checks.check_imbalance_ratio(imbalance_ratio)
### BEGIN HIDDEN TESTS
assert imbalance_ratio({"x": 1, "y": 1000}) == 1000, "counts 1 and 1000 give a ratio of 1000"
assert imbalance_ratio({"a": 5, "b": 0, "c": 2}) == math.inf, "an empty class makes the ratio infinite"
assert imbalance_ratio({"only": 0}) == math.inf, "a single empty class makes the ratio infinite"
assert math.isclose(imbalance_ratio({"a": 7, "b": 2}), 3.5), "counts 7 and 2 give a ratio of 3.5"
### END HIDDEN TESTS
print("imbalance_ratio: checks passed.")

# %% [markdown]
# Now both on our faces: the bars show every split, so you can see at a glance that each split
# has the classes in the same proportions.

# %%
counts = {split: count_per_class(dataset_dir / split) for split in folders.SPLITS}
print("imbalance ratio of the training split:", imbalance_ratio(counts["train"]))
fig = plots.class_counts(counts)

# %% [markdown]
# An imbalanced set for comparison: many circles, fewer squares, hardly any triangles. What can
# you do about imbalance? Collect more of the small class; give its examples more weight in the
# loss (`fit(..., class_weight=...)`); resample; and always report per-class recall, not only accuracy.

# %%
lopsided = data.shape_images((60, 24, 6), size=32, difficulty=0.3, seed=1)
shutil.rmtree(WORK / "shapes", ignore_errors=True)
lopsided_dir = split_dataset(folders.write_class_folders(*lopsided, WORK / "raw-shapes", overwrite=True),
                             WORK / "shapes", val_fraction=0.2, test_fraction=0.2, seed=0)
shape_counts = {split: count_per_class(lopsided_dir / split) for split in folders.SPLITS}
print("imbalance ratio:", imbalance_ratio(shape_counts["train"]))
fig = plots.class_counts(shape_counts)

# %% [markdown]
# ## 6. Check a tree before you train on it
#
# Folders of real photos are rarely clean. Pictures that cannot be decoded (a broken download, a
# half-copied file) stop a training run halfway through an epoch; other faults train quietly on
# the wrong thing. `folders.validate_tree` looks at every file, reports each fault with its path
# and carries on, so one bad file never hides the others.
#
# To see it at work we copy our tidy tree and plant one of each common fault in its training
# split, then copy one training picture into the test split: leakage.

# %%
broken_dir = WORK / "faces-broken"
for old_run in (broken_dir, WORK / "faces-broken-quarantine"):
    shutil.rmtree(old_run, ignore_errors=True)
shutil.copytree(dataset_dir, broken_dir)
planted = folders.add_faults(broken_dir / "train")
leaked = sorted((broken_dir / "train" / "face").glob("face_*.png"))[0]
shutil.copy2(leaked, broken_dir / "test" / "face" / "leaked_copy.png")
report = folders.validate_tree(broken_dir)
print(report)

# %% [markdown]
# Reading the report:
#
# - **corrupt** and **truncated** images cannot be decoded: they would crash training;
# - a **non-image file** or a **stray file** is ignored by Keras, but may be a sign that
#   something is mislabelled;
# - an **empty class** becomes an output the model can never learn, and here it also makes the
#   splits disagree on their classes (**class mismatch**), so labels would mean different things
#   in different splits;
# - a **nested folder** still counts toward its class: check that is what you want;
# - **odd size** and **odd channels**: the loader resizes every picture to one size and converts
#   it to the requested channels, so these load, but a picture far off the usual size is often a
#   sign of a mistake (a screenshot, a thumbnail);
# - a **duplicate** in another split is leakage.
#
# The fix for files is to move them out of the tree, not to delete them: `folders.quarantine`
# moves the files behind the chosen kinds of problem to a folder beside the tree. Empty folders
# are yours to remove.

# %%
moved = folders.quarantine(report, kinds=("corrupt image", "truncated image", "duplicate"))
print("moved aside:", *[path.relative_to(WORK) for path in moved], sep="\n  ")
planted["empty class"].rmdir()
print(folders.validate_tree(broken_dir))

# %% [markdown]
# What is left are warnings, not blockers. The shapes in the report (height x width x channels)
# also tell you what the loader will meet: most faces are 25x25 grey pictures, one channel. The
# loader can still hand you three channels: `color_mode="rgb"` copies the grey value into red,
# green and blue, so grey pictures and colour photos come out alike, which is what Exercise 5 asks.
#
# ## 7. Load the tree with Keras
#
# `keras.utils.image_dataset_from_directory(directory, ...)` turns one split's folder into a
# `tf.data.Dataset` of `(images, labels)` batches. The class names come from the folder names, in
# alphabetical order, and the label of a picture is the position of its class in that list. The
# arguments you choose:
#
# | argument | what it does |
# |---|---|
# | `image_size=(height, width)` | every picture is resized to this (default 256x256: set it!) |
# | `batch_size` | pictures per batch |
# | `color_mode` | `"rgb"` (3 channels, the default), `"grayscale"` (1) or `"rgba"` (4) |
# | `label_mode` | `"int"`: label 0, 1, 2... for `sparse_categorical_crossentropy`; `"categorical"`: one-hot vectors for `categorical_crossentropy`; `"binary"`: 0.0 or 1.0 for two classes and `binary_crossentropy` |
# | `shuffle`, `seed` | shuffle the order (default yes) with a seed |
#
# The training split should be shuffled so that batches mix the classes. Validation and test
# should not: a fixed order lets you line predictions up with files.
#
# > **Coming from older tutorials?** They loaded folders with `ImageDataGenerator().flow_from_directory(...)`
# > and trained with `fit_generator`. Keras 3 dropped `fit_generator` and deprecated
# > `ImageDataGenerator`: use `keras.utils.image_dataset_from_directory` and plain `fit`.

# %% [markdown]
# ### Exercise 5 (3 points): load one split
#
# Write `load_split(dataset_dir, split, image_size, batch_size, label_mode)` that loads the folder
# `dataset_dir/split` with `keras.utils.image_dataset_from_directory` in colour (RGB) with the
# requested image size, batch size and label mode, shuffling only when `split` is `"train"`
# (use seed 0). Pass `verbose=False` if you would rather it did not print the file count.

# %% [markdown] tags=["hints"]
# 1. One call to Keras's folder loader does it; what matters is what you pass it: which folder, what
#    size, what labels, and whether to shuffle.
# 2. `keras.utils.image_dataset_from_directory`, with `image_size`, `batch_size`, `label_mode`,
#    `color_mode="rgb"` and `shuffle`.
# 3. Point it at dataset_dir / split, pass the arguments through, and shuffle only when the split is
#    "train" (with a fixed seed).

# %% nbgrader={"grade": false, "grade_id": "load_split", "locked": false, "schema_version": 3, "solution": true, "task": false}
def load_split(dataset_dir, split, image_size, batch_size, label_mode):
    """Return a tf.data.Dataset of the folder dataset_dir/split."""
    ### BEGIN SOLUTION
    return keras.utils.image_dataset_from_directory(
        Path(dataset_dir) / split, label_mode=label_mode, color_mode="rgb", image_size=image_size,
        batch_size=batch_size, shuffle=split == "train", seed=0, verbose=False,
    )
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_load_split", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
checks.check_load_split(load_split)
### BEGIN HIDDEN TESTS
checks.check_load_split(load_split, image_size=(12, 20), batch_size=3)
### END HIDDEN TESTS
print("load_split: checks passed.")

# %% [markdown]
# Look at one batch of the training split: a rank-4 `float32` tensor. The loader does **not**
# scale the pixels: they still run from 0 to 255, so the model (or the input pipeline) must scale
# them. Notebook 02 does that with a `Rescaling` layer.

# %%
train_ds = load_split(dataset_dir, "train", (25, 25), 32, "binary")
images, labels = next(iter(train_ds))
print("class names:", train_ds.class_names)
print("images:", images.shape, images.dtype, "values", float(images.numpy().min()), "to", float(images.numpy().max()))
print("labels:", labels.shape, labels.dtype, labels.numpy().ravel()[:10])
fig = plots.image_grid(images.numpy()[:16] / 255, labels.numpy().ravel()[:16].astype(int), train_ds.class_names)

# %% [markdown]
# For the rest of the course, `folders.load_tree` does all of this in one call: it validates the
# tree first (and refuses one with unreadable pictures, naming them), then loads the three
# splits, shuffling only the training split, and gives every split the training split's class
# names so a label means the same class everywhere.

# %%
splits = folders.load_tree(dataset_dir, image_size=(25, 25), color_mode="grayscale", label_mode="binary")
for split, dataset in splits.items():
    print(f"{split:>5}: {dataset.element_spec[0].shape} images, classes {dataset.class_names}")

# %% [markdown]
# ## 8. What a dataset teaches besides its labels
#
# A model learns whatever separates the classes in the pictures it is shown, whether or not it is
# what you meant.
#
# - **Overfitting**: with few pictures a model can memorise them: training accuracy climbs while
#   validation accuracy stalls or drops. More (or augmented, notebook 02) data and regularisation
#   (notebook 06) help. **Underfitting** is the opposite: both scores stay low because the model
#   is too simple or trained too briefly.
# - **Dataset bias**: if every cat photo shows a white kitten on green grass and every dog photo
#   a dark dog indoors, a model may learn "green background means cat" and call a white dog on a
#   lawn a cat. It scores well on a test split drawn from the same photos and fails in the world.
#   Our faces are press photos of well-known people, mostly men, tightly cropped and often lit
#   by flash; the non-faces are cut from the backgrounds of the same photos. A model trained on
#   them learns *these* faces against *these* backgrounds, and may do worse on people, lighting
#   and scenes it has not seen.
#
# Ask of every dataset: who or what is missing, what else differs between the classes besides
# the label, and would the test pictures look like the ones the model will meet?
#
# ## Recap
#
# - A supervised image dataset is pictures plus labels; with image folders, the class is the
#   folder name, and Keras expects `DATASET/{train,val,test}/<class>/`.
# - Images are tensors with a rank, a shape and a dtype; scale `uint8` pixels to $[0, 1]$ or
#   $[-1, 1]$ before training.
# - Split each class separately (stratify), with a seed, copying each file to exactly one split.
# - Count per class and look at the imbalance ratio; validate the tree and quarantine the files
#   that would break training or leak between splits.
# - `keras.utils.image_dataset_from_directory` loads a split: set `image_size`, `batch_size` and
#   the `label_mode` that matches your loss; shuffle only the training split.
#
# ## Experiments
#
# 1. Make the shapes harder (`difficulty=0.9`) and smaller (`size=24`) and look at the samples.
#    Which class would you find hardest to tell apart?
# 2. Split the lopsided shapes with `test_fraction=0.05`. How many triangles reach the test split?
#    What does that do to a test score for triangles?
# 3. Point `RAW` at a folder of your own photos, split it and run `folders.validate_tree` on the
#    result. What did it find?
# 4. Load the faces with `label_mode="categorical"` and then `"int"`, and print a batch's labels.
#    Which loss would you pair with each?
#
# **Next:** notebook 02 multiplies your pictures with data augmentation and feeds them to a model
# through an efficient input pipeline.
