"""Public self-checks that the visible test cells of the notebooks call.

Each check raises :class:`CheckFailed` with a message that names what is
wrong ("softmax rows must sum to 1; row 3 sums to 2.0") and never shows the
solution. A check that passes returns ``None`` quietly.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np


class CheckFailed(AssertionError):
    """A self-check found a fault; the message says which."""


def expect(condition: bool, message: str) -> None:
    """Raise :class:`CheckFailed` with ``message`` unless ``condition`` holds."""
    if not condition:
        raise CheckFailed(message)


def _call(function, *args):
    """Call a learner's function, naming it if it returns nothing."""
    result = function(*args)
    expect(result is not None, f"{function.__name__} returned None: did you forget `return`?")
    return np.asarray(result, dtype=float)


# --- Notebook 03: logistic regression -------------------------------------------------

def check_sigmoid(sigmoid) -> None:
    """``sigmoid`` works element-wise, maps 0 to 0.5 and stays inside (0, 1)."""
    at_zero = _call(sigmoid, 0.0)
    expect(np.isclose(at_zero, 0.5), f"sigmoid(0) should be 0.5, got {float(at_zero):.4g}.")
    z = np.linspace(-8, 8, 17)
    out = _call(sigmoid, z)
    expect(out.shape == z.shape,
           f"sigmoid must work element-wise: input shape {z.shape}, output shape {out.shape}.")
    expect(bool(np.all((out > 0) & (out < 1))), "sigmoid values must lie strictly between 0 and 1.")
    expect(bool(np.all(np.diff(out) > 0)), "sigmoid must increase with z.")
    expect(np.allclose(out + out[::-1], 1.0),
           "sigmoid(-z) should equal 1 - sigmoid(z); your function is not symmetric that way.")


def check_softmax(softmax) -> None:
    """``softmax`` turns each row of scores into probabilities, stably."""
    scores = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0], [-1.0, 5.0, 2.0], [3.0, 3.0, -2.0]])
    probs = _call(softmax, scores)
    expect(probs.shape == scores.shape,
           f"softmax of an array of shape {scores.shape} returned shape {probs.shape}.")
    expect(bool(np.all(probs >= 0)), "softmax returned negative probabilities.")
    sums = probs.sum(axis=1)
    for row, total in enumerate(sums):
        expect(np.isclose(total, 1.0),
               f"softmax rows must sum to 1; row {row} sums to {total:.4g} "
               "(normalise over the last axis, one row at a time).")
    expect(np.allclose(probs[1], 1 / 3), "equal scores must give equal probabilities.")
    expect(np.all(np.argmax(probs, axis=1) == np.argmax(scores, axis=1)),
           "the largest score must get the largest probability.")
    single = _call(softmax, np.array([2.0, 1.0, 0.1]))
    expect(single.shape == (3,), f"softmax of one vector of 3 scores returned shape {single.shape}.")
    big = _call(softmax, np.array([[1000.0, 1001.0]]))
    expect(bool(np.all(np.isfinite(big))),
           "softmax overflowed on large scores (got nan or inf). Hint: softmax(z) equals "
           "softmax(z - c) for any constant c; pick a c that keeps exp() small.")


def check_cross_entropy(cross_entropy) -> None:
    """``cross_entropy(p, q)`` matches the worked example and handles zeros."""
    p = np.array([0.0, 1.0, 0.0])
    q = np.array([0.228, 0.619, 0.153])
    value = float(_call(cross_entropy, p, q))
    expect(math.isfinite(value), f"cross_entropy of the worked example returned {value}.")
    expect(abs(value - 0.479) < 1e-3,
           f"the worked example p=(0, 1, 0), q=(0.228, 0.619, 0.153) should give H = 0.479 "
           f"(natural log), got {value:.4f}.")
    perfect = float(_call(cross_entropy, p, p))
    expect(math.isfinite(perfect) and abs(perfect) < 1e-6,
           f"a perfect prediction (q equal to p) should cost 0, got {perfect}. "
           "Terms where p is 0 must contribute 0, even where q is 0 too.")
    worse = np.array([0.7, 0.1, 0.2])
    expect(float(_call(cross_entropy, p, worse)) > value,
           "a worse prediction must cost more than a better one.")


def check_logistic_regression(model, image_shape, num_classes: int) -> None:
    """``model`` is a Keras logistic regression for images of ``image_shape``."""
    import keras

    expect(isinstance(model, keras.Model),
           f"expected a keras.Model, got {type(model).__name__}: did you return the model?")
    want_in = (None, *image_shape)
    got_in = tuple(model.inputs[0].shape) if model.inputs else None
    expect(got_in == want_in, f"expected input shape {want_in}, got {got_in}.")
    want_out = (None, num_classes)
    got_out = tuple(model.outputs[0].shape)
    expect(got_out == want_out, f"expected output shape {want_out}, got {got_out}.")
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    expect(len(dense) == 1,
           f"a logistic regression has exactly one Dense layer and no hidden layer; found {len(dense)}.")
    features = int(np.prod(image_shape))
    want_params = features * num_classes + num_classes
    got_params = model.count_params()
    expect(got_params == want_params,
           f"a {features}->{num_classes} logistic regression has {want_params:,} parameters "
           f"(weights plus biases), yours has {got_params:,}.")
    sample = np.random.default_rng(0).uniform(0, 1, size=(4, *image_shape)).astype("float32")
    probs = np.asarray(model(sample))
    expect(np.allclose(probs.sum(axis=1), 1.0, atol=1e-4),
           "the outputs of each image must sum to 1: which activation turns scores into "
           "probabilities over classes?")


def accuracy(model, x, y) -> float:
    """Share of images whose most probable class is the true label."""
    predictions = np.argmax(model.predict(x, verbose=0), axis=-1)
    return float(np.mean(predictions == np.asarray(y).reshape(-1)))


def check_trained_model(model, x, y, min_accuracy: float) -> None:
    """``model`` classifies ``x`` with at least ``min_accuracy`` accuracy."""
    import keras

    expect(isinstance(model, keras.Model), f"expected a trained keras.Model, got {type(model).__name__}.")
    got = accuracy(model, x, y)
    expect(got >= min_accuracy,
           f"accuracy on these {len(y):,} images is {got:.3f}; the bar is {min_accuracy:.2f}. "
           "Train for longer, check the learning rate, or check the inputs are scaled to [0, 1].")


# --- Notebooks 01-02: image folders, input pipelines, augmentation --------------------

def _returned(function, *args, **kwargs):
    """Call a learner's function and insist that it returned something."""
    result = function(*args, **kwargs)
    expect(result is not None, f"{function.__name__} returned None: did you forget `return`?")
    return result


def check_scale_pixels(scale_pixels) -> None:
    """``scale_pixels(images, low, high)`` maps 0..255 linearly onto low..high as float32."""
    images = np.array([[0, 51], [204, 255]], dtype=np.uint8)
    kept = images.copy()
    for (low, high), want in (((0.0, 1.0), [[0, 0.2], [0.8, 1]]), ((-1.0, 1.0), [[-1, -0.6], [0.6, 1]])):
        out = np.asarray(_returned(scale_pixels, images, low, high))
        expect(np.array_equal(images, kept) and images.dtype == np.uint8, "scale_pixels changed its input array.")
        expect(out.shape == images.shape, f"images of shape {images.shape} came back with shape {out.shape}.")
        expect(out.dtype == np.float32, f"expected float32 pixels, got {out.dtype}.")
        expect(np.allclose(out, want, atol=1e-6),
               f"scaling to [{low}, {high}] should map 0 to {low}, 255 to {high} and everything between "
               f"on a straight line; pixels 0, 51, 204, 255 became {np.round(out.ravel(), 4).tolist()}.")


def _tree_files(root: Path) -> dict[str, dict[str, set[str]]]:
    """``{split: {class: file names}}`` of a dataset tree, files at any depth."""
    return {split.name: {cls.name: {f.name for f in cls.rglob("*") if f.is_file()}
                         for cls in sorted(split.iterdir()) if cls.is_dir()}
            for split in sorted(root.iterdir()) if split.is_dir()}


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(f.relative_to(folder)): f.read_bytes() for f in sorted(folder.rglob("*")) if f.is_file()}


def check_split_dataset(split_dataset, raw_dir, val_fraction: float = 0.2, test_fraction: float = 0.2) -> None:
    """``split_dataset`` copies every raw image into exactly one split, stratified and seeded."""
    import tempfile

    from starter_lib.folders import SPLITS, is_image_file

    raw_dir = Path(raw_dir)
    before = _snapshot(raw_dir)
    raw = {cls.name: sorted(f.name for f in cls.iterdir() if is_image_file(f))
           for cls in sorted(raw_dir.iterdir()) if cls.is_dir()}
    with tempfile.TemporaryDirectory() as scratch:
        trees = {}
        for run, seed in (("a", 3), ("b", 3), ("c", 4)):
            target = Path(scratch) / run / "dataset"
            result = _returned(split_dataset, raw_dir, target, val_fraction, test_fraction, seed)
            expect(Path(result) == target, f"split_dataset should return the dataset folder {target}, got {result!r}.")
            expect(_snapshot(raw_dir) == before,
                   "the raw folder changed: copy the images into the dataset tree, never move or edit them.")
            trees[run] = _tree_files(target)
        _expect_split_tree(trees["a"], raw, raw_dir, Path(scratch) / "a" / "dataset", SPLITS,
                           {"val": val_fraction, "test": test_fraction})
        expect(trees["a"] == trees["b"], "two runs with seed=3 gave different splits: draw the shuffle from a "
                                         "random generator made from `seed`, and sort the file names first.")
        expect(trees["a"] != trees["c"], "seeds 3 and 4 gave the same split: is the seed used to shuffle?")


def _expect_split_tree(tree, raw, raw_dir, root, splits, fractions) -> None:
    expect(sorted(tree) == sorted(splits), f"expected the split folders {sorted(splits)}, found {sorted(tree)}.")
    for split, classes in tree.items():
        expect(sorted(classes) == sorted(raw),
               f"{split}/ holds class folders {sorted(classes)}, expected one per raw class: {sorted(raw)}.")
    for cls, names in raw.items():
        seen = {}
        for split in splits:
            for name in tree[split][cls]:
                expect(name in names, f"{split}/{cls}/{name} is not one of the images in {raw_dir / cls}.")
                expect(name not in seen, f"{cls}/{name} is in both {seen.get(name)} and {split}: "
                                         "a file in two splits leaks between them.")
                seen[name] = split
                expect((root / split / cls / name).read_bytes() == (raw_dir / cls / name).read_bytes(),
                       f"{split}/{cls}/{name} differs from the raw file: copy files unchanged.")
        missing = sorted(set(names) - set(seen))
        expect(not missing, f"{len(missing)} images of class {cls} are in no split, e.g. {missing[:3]}.")
        for split, fraction in fractions.items():
            got, want = len(tree[split][cls]), len(names) * fraction
            expect(abs(got - want) <= 1,
                   f"class {cls} has {len(names)} images, so {split} should get about {want:.1f} of them, "
                   f"it got {got}: split each class separately (stratify).")


def check_count_per_class(count_per_class, split_dir=None, expected: dict | None = None) -> None:
    """``count_per_class(split_dir)`` counts the image files of each class folder.

    Without arguments it writes a small tree of its own, with an empty class and a stray file.
    """
    import tempfile

    from starter_lib import data, folders

    if split_dir is not None:
        got = _returned(count_per_class, split_dir)
        expect(isinstance(got, dict), f"expected a dict {{class name: count}}, got {type(got).__name__}.")
        expect(sorted(got) == sorted(expected),
               f"expected one entry per class folder, {sorted(expected)}, got {sorted(got)}.")
        for name, want in expected.items():
            expect(got[name] == want, f"class {name!r} holds {want} image files, you counted {got[name]}.")
        return
    with tempfile.TemporaryDirectory() as scratch:
        pictures = data.shape_images((5, 2, 7), size=16, seed=1)
        root = folders.write_class_folders(*pictures, Path(scratch) / "train")
        (root / "star").mkdir()
        (root / "README.txt").write_text("not a class\n")
        (root / "circle" / "notes.txt").write_text("not a picture\n")
        check_count_per_class(count_per_class, root, {"circle": 5, "square": 2, "triangle": 7, "star": 0})


def check_imbalance_ratio(imbalance_ratio) -> None:
    """Largest class count over smallest; infinite with an empty class; ValueError when there is no class."""
    for counts, want in (({"a": 10, "b": 5}, 2.0), ({"a": 3, "b": 3, "c": 3}, 1.0), ({"a": 7}, 1.0),
                         ({"a": 12, "b": 4, "c": 6}, 3.0), ({"a": 0, "b": 4}, math.inf)):
        got = _returned(imbalance_ratio, dict(counts))
        expect(isinstance(got, (float, int, np.floating, np.integer)), f"expected a number, got {type(got).__name__}.")
        expect(got == want or math.isclose(got, want), f"counts {counts} should give a ratio of {want}, got {got}.")
    try:
        imbalance_ratio({})
    except ValueError:
        return
    except Exception as error:
        raise CheckFailed(f"an empty dict should raise ValueError, it raised {type(error).__name__}.") from error
    raise CheckFailed("an empty dict (no classes at all) should raise ValueError, it raised nothing.")


def _write_split_tree(root: Path, shapes: tuple[str, ...]) -> None:
    """Three splits of freshly drawn shape pictures: a tree the learner has never seen."""
    from starter_lib import data, folders

    for seed, (split, count) in enumerate((("train", 12), ("val", 4), ("test", 4))):
        pictures = data.shape_images(count, size=20, shapes=shapes, seed=seed)
        folders.write_class_folders(*pictures, root / split)


def check_load_split(load_split, dataset_dir=None, image_size=(16, 16), batch_size: int = 5) -> None:
    """``load_split`` loads one split with the requested size, batch and label mode; only train is shuffled.

    Without ``dataset_dir`` it writes a three-class and a two-class tree of its own.
    """
    import tempfile

    if dataset_dir is not None:
        for split in ("train", "val", "test"):
            for mode in ("int", "categorical"):
                _expect_loaded(load_split, Path(dataset_dir), split, image_size, batch_size, mode)
        return
    with tempfile.TemporaryDirectory() as scratch:
        three, two = Path(scratch) / "three", Path(scratch) / "two"
        _write_split_tree(three, ("circle", "square", "triangle"))
        _write_split_tree(two, ("square", "star"))
        check_load_split(load_split, three, image_size, batch_size)
        for split in ("train", "test"):
            _expect_loaded(load_split, two, split, image_size, batch_size, "binary")


def _expect_loaded(load_split, root: Path, split: str, image_size, batch_size: int, mode: str) -> None:
    import tensorflow as tf

    dataset = _returned(load_split, root, split, image_size, batch_size, mode)
    where = f"load_split(..., {split!r}, {tuple(image_size)}, {batch_size}, {mode!r})"
    expect(isinstance(dataset, tf.data.Dataset), f"{where} returned a {type(dataset).__name__}, not a tf.data.Dataset.")
    classes = sorted(p.name for p in (root / split).iterdir() if p.is_dir())
    expect(getattr(dataset, "class_names", None) == classes,
           f"{where}: expected class_names {classes}, got {getattr(dataset, 'class_names', None)}.")
    image_spec, label_spec = dataset.element_spec
    want = (None, *image_size, 3)
    expect(tuple(image_spec.shape) == want, f"{where}: expected image batches of shape {want}, got {tuple(image_spec.shape)}.")
    label_shapes = {"int": (None,), "categorical": (None, len(classes)), "binary": (None, 1)}
    expect(tuple(label_spec.shape) == label_shapes[mode],
           f"{where}: label_mode {mode!r} gives labels of shape {label_shapes[mode]}, got {tuple(label_spec.shape)}.")
    passes = [np.concatenate([np.asarray(y).reshape(len(y), -1).argmax(-1) if mode == "categorical"
                              else np.asarray(y).ravel() for _, y in dataset]) for _ in range(2)]
    first = next(iter(dataset))[0]
    expect(len(first) == batch_size, f"{where}: the first batch holds {len(first)} images, expected {batch_size}.")
    in_order = bool(np.all(np.diff(passes[0]) >= 0)) and np.array_equal(*passes)
    if split == "train":
        expect(not in_order, f"{where}: the training images come out in folder order; shuffle the training split.")
    else:
        expect(in_order, f"{where}: the {split} images come out shuffled; keep validation and test in a "
                         "fixed order so predictions line up with files.")


def _layers_of(model) -> list:
    """Every layer inside ``model``, nested Sequentials opened up."""
    found = []
    for layer in getattr(model, "layers", [model]):
        found.extend(_layers_of(layer) if hasattr(layer, "layers") else [layer])
    return found


def _bounds(kind: str, factor) -> tuple[float, float]:
    """A layer's factor as the signed range ``(low, high)`` it draws from.

    A number ``f`` means ``(-f, f)``; a pair is the range itself, except for
    ``RandomContrast``, whose pair ``(a, b)`` means contrast factors from ``1 - a`` to ``1 + b``.
    """
    if factor is None:
        return (math.nan, math.nan)
    if np.ndim(factor) == 0:
        return (-abs(float(factor)), abs(float(factor)))
    low, high = (float(value) for value in factor)
    return (-low, high) if kind == "RandomContrast" else (low, high)


def _expect_layer(layers, kind: str, settings: dict, want: float, what: str) -> None:
    """A layer of class ``kind`` whose every factor in ``settings`` spans ``(-want, want)``."""
    matching = [layer for layer in layers if type(layer).__name__ == kind]
    expect(len(matching) == 1, f"expected one {kind} layer ({what}), found {len(matching)}.")
    config = matching[0].get_config()
    for setting, scale in settings.items():
        factor = config.get(setting)
        if setting == "width_factor" and factor is None and kind == "RandomZoom":
            factor = config.get("height_factor")  # RandomZoom keeps the aspect ratio
        low, high = _bounds(kind, factor)
        allows = (f"contrast factors from {1 + low:.3g} to {1 + high:.3g}" if kind == "RandomContrast"
                  else f"{low * scale:.4g} to {high * scale:.4g}{' degrees' if scale == 360 else ''}")
        expect(np.allclose([low, high], [-want, want], atol=1e-6),
               f"expected {kind} to allow {what}; its {setting} {config.get(setting)!r} allows {allows}.")


def check_augmenter(build_augmenter, rotation_degrees: float = 15, zoom: float = 0.1, shift: float = 0.1,
                    contrast: float = 0.2) -> None:
    """``build_augmenter(seed)`` follows the spec: off at inference, random but reproducible in training."""
    import keras

    augmenter = _returned(build_augmenter, seed=1)
    expect(isinstance(augmenter, keras.layers.Layer), f"expected a Keras layer or model, got {type(augmenter).__name__}.")
    layers = _layers_of(augmenter)
    flips = [layer for layer in layers if type(layer).__name__ == "RandomFlip"]
    expect(len(flips) == 1 and flips[0].get_config()["mode"] == "horizontal",
           "expected one RandomFlip that mirrors left to right only.")
    _expect_layer(layers, "RandomRotation", {"factor": 360}, rotation_degrees / 360,
                  f"turns of up to {rotation_degrees} degrees either way (a factor is a share of a full turn)")
    _expect_layer(layers, "RandomZoom", {"height_factor": 1, "width_factor": 1}, zoom, f"zooms of up to {zoom:.0%}")
    _expect_layer(layers, "RandomTranslation", {"height_factor": 1, "width_factor": 1}, shift,
                  f"shifts of up to {shift:.0%} of the height and width")
    _expect_layer(layers, "RandomContrast", {"factor": 1}, contrast, f"contrast changes of up to {contrast:.0%}")
    blocks = np.random.default_rng(0).integers(0, 2, size=(8, 8, 8, 3))  # black and white patches
    images = np.kron(blocks, np.ones((1, 4, 4, 1))).astype("float32")
    expect(np.allclose(np.asarray(augmenter(images, training=False)), images),
           "with training=False the augmenter changed the images; augmentation must be off at inference.")
    first = np.asarray(augmenter(images, training=True))
    expect(first.shape == images.shape, f"augmenting a batch of shape {images.shape} gave shape {first.shape}.")
    expect(first.min() >= -1e-4 and first.max() <= 1 + 1e-4,
           f"augmented pixels range from {first.min():.3f} to {first.max():.3f}, outside [0, 1]: which layer "
           "needs to be told the value range of the images?")
    expect(not np.allclose(first, images), "with training=True the augmenter left every image unchanged.")
    expect(not np.allclose(np.asarray(augmenter(images, training=True)), first),
           "two training calls gave the same result; each call must draw new random transforms.")
    again = np.asarray(_returned(build_augmenter, seed=1)(images, training=True))
    expect(np.allclose(again, first, atol=1e-5),
           "two augmenters built with seed=1 gave different results: pass the seed to every random layer.")


def check_normalizer(build_normalizer, images) -> None:
    """``build_normalizer(images)`` returns a Normalization layer adapted to one mean and variance per channel.

    Besides ``images`` it tries a batch whose colour channels differ in mean and spread.
    """
    import keras

    rng = np.random.default_rng(0)
    uneven = rng.uniform(0, 1, size=(6, 8, 8, 3)) * [1.0, 0.5, 0.1] + [0.0, 0.4, 0.8]
    for batch in (np.asarray(images, dtype="float32"), uneven.astype("float32")):
        layer = _returned(build_normalizer, batch)
        expect(isinstance(layer, keras.layers.Normalization),
               f"expected a keras.layers.Normalization layer, got {type(layer).__name__}.")
        out = np.asarray(layer(batch))
        expect(out.shape == batch.shape, f"normalising images of shape {batch.shape} gave shape {out.shape}.")
        axes = tuple(range(out.ndim - 1))
        for channel, (mean, std) in enumerate(zip(out.mean(axis=axes), out.std(axis=axes))):
            expect(abs(mean) < 1e-3 and abs(std - 1) < 1e-2,
                   f"after normalising a batch of shape {batch.shape}, channel {channel} has mean {mean:.3f} and "
                   f"standard deviation {std:.3f}; expected 0 and 1 for every channel: adapt the layer to "
                   "the images it is given, with one mean and variance per channel.")


def _pipeline_stages(dataset) -> list[str]:
    """The transformations of a ``tf.data`` pipeline, first to last, e.g. ``["source", "map", "batch"]``."""
    names = []
    while dataset is not None:
        name = type(dataset).__name__.strip("_").removesuffix("Dataset").lower()
        if name != "options":
            names.append({"parallelmap": "map", "parallelbatch": "batch", "tensorslice": "source",
                          "tensor": "source"}.get(name, name))
        dataset = getattr(dataset, "_input_dataset", None)
    return names[::-1]


def _expect_order(stages: list[str], training: bool) -> None:
    shown = " -> ".join(stages)
    expect(len(stages) > 1 and stages[0] == "source",
           f"could not read the pipeline's stages ({shown}); start from tf.data.Dataset.from_tensor_slices.")
    expect(stages[-1] == "prefetch", f"your pipeline is {shown}; end it with prefetch so the next batch is "
                                     "prepared while the model trains.")
    expect(stages.count("cache") == 1 and stages.index("cache") > 0 and stages[stages.index("cache") - 1] == "map",
           f"your pipeline is {shown}; cache once, right after the map that reads and decodes the files.")
    cache, batch = stages.index("cache"), stages.index("batch") if "batch" in stages else -1
    expect(batch > cache, f"your pipeline is {shown}; batch after cache.")
    after_batch = stages[batch + 1:-1]
    if training:
        augment_late = (f"your pipeline is {shown}; in training, augment whole batches after batch (once, one "
                        "map), so every epoch sees new random versions.")
        expect("map" not in stages[cache + 1:batch], augment_late)
        expect(stages[cache + 1:batch] == ["shuffle"],
               f"your pipeline is {shown}; in training, shuffle single images between cache and batch.")
        expect(after_batch == ["map"], augment_late)
    else:
        expect("shuffle" not in stages and after_batch == [],
               f"your pipeline is {shown}; with training=False there is no shuffle and no augmentation, "
               "so validation and test give the same batches every time.")


def check_input_pipeline(input_pipeline, paths, labels, image_size=(32, 32), batch_size: int = 8,
                         channels: int = 3) -> None:
    """``input_pipeline`` reads, caches, shuffles, batches, augments and prefetches, in that order."""
    import keras
    import tensorflow as tf

    paths, labels = list(paths)[:24], np.asarray(labels)[:24]
    augmenter = keras.Sequential([keras.layers.RandomFlip("horizontal", seed=5),
                                  keras.layers.RandomTranslation(0.2, 0.2, seed=5)])
    for training in (False, True):
        dataset = _returned(input_pipeline, paths, labels, image_size, batch_size, training,
                            augmenter if training else None)
        expect(isinstance(dataset, tf.data.Dataset), f"expected a tf.data.Dataset, got {type(dataset).__name__}.")
        _expect_order(_pipeline_stages(dataset), training)
        images_spec, _ = dataset.element_spec
        want = (None, *image_size, channels)
        expect(tuple(images_spec.shape) == want and images_spec.dtype == tf.float32,
               f"expected float32 image batches of shape {want}, got {images_spec.dtype.name} {tuple(images_spec.shape)}.")
        passes = [list(dataset.as_numpy_iterator()) for _ in range(2)]
        expect(len(passes[0][0][0]) == min(batch_size, len(paths)),
               f"the first batch holds {len(passes[0][0][0])} images, expected {batch_size}.")
        order = [np.concatenate([y for _, y in run]) for run in passes]
        pixels = [np.concatenate([x for x, _ in run]) for run in passes]
        expect(len(order[0]) == len(paths), f"{len(paths)} files gave {len(order[0])} images.")
        expect(pixels[0].min() >= 0 and pixels[0].max() <= 1, "expected pixels scaled to [0, 1].")
        if training:
            expect(not np.array_equal(*order), "two training epochs came in the same order: reshuffle every epoch.")
        else:
            expect(np.array_equal(order[0], labels) and np.allclose(*pixels),
                   "with training=False the images must come in the order of `paths`, the same every time.")


def check_with_augmentation(with_augmentation) -> None:
    """``with_augmentation(model, augmenter)`` puts the augmenter in front of the unchanged model."""
    import keras

    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((16, 16, 3)), keras.layers.Conv2D(4, 3, activation="relu"),
                              keras.layers.Flatten(), keras.layers.Dense(3)])
    augmenter = keras.Sequential([keras.layers.RandomFlip("horizontal", seed=2),
                                  keras.layers.RandomTranslation(0.25, 0.25, seed=2)])
    combined = _returned(with_augmentation, model, augmenter)
    expect(isinstance(combined, keras.Model), f"expected a keras.Model, got {type(combined).__name__}.")
    try:
        got = tuple(combined.inputs[0].shape)
    except (AttributeError, ValueError, TypeError):  # a model without a declared input has no .inputs yet
        got = None
    expect(got == (None, 16, 16, 3), f"expected input shape (None, 16, 16, 3) like the model's, got {got}: "
                                     "start the new model from keras.Input.")
    expect(combined.count_params() == model.count_params(),
           f"augmentation layers hold no weights, so the new model should have the model's "
           f"{model.count_params():,} parameters; it has {combined.count_params():,}.")
    images = np.random.default_rng(1).uniform(0, 1, size=(4, 16, 16, 3)).astype("float32")
    plain = np.asarray(model(images, training=False))
    expect(np.allclose(np.asarray(combined(images, training=False)), plain, atol=1e-5),
           "at inference the new model must give exactly the model's outputs: augmentation off, same weights.")
    expect(not np.allclose(np.asarray(combined(images, training=True)), plain, atol=1e-5),
           "in training the new model gave the model's own outputs: the augmenter should change the inputs first.")


def check_choice(chosen, options) -> None:
    """``chosen`` is a set of names picked from ``options``: some, but not all of them."""
    expect(isinstance(chosen, (set, frozenset, list, tuple)),
           f"expected a set of names, got {type(chosen).__name__}.")
    unknown = [name for name in chosen if name not in options]
    expect(not unknown, f"{unknown} are not among the options; copy the names exactly.")
    expect(len(set(chosen)) == len(chosen), "a name appears twice.")
    expect(0 < len(chosen) < len(options), f"pick some of the {len(options)} options, not none or all.")
