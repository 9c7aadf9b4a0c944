"""starter_lib.checks for notebooks 01-02: right answers pass, each typical fault is named.

Reference answers live here, in the tests, never in the library.
"""

import math
import random
import shutil
from pathlib import Path

import keras
import numpy as np
import pytest
import tensorflow as tf

from starter_lib import checks, data, folders


def fails(check, *args, match, **kwargs):
    with pytest.raises(checks.CheckFailed, match=match):
        check(*args, **kwargs)


# --- Notebook 01 ------------------------------------------------------------------------

def scale(images, low=0.0, high=1.0):
    return np.interp(np.asarray(images, np.float32), [0, 255], [low, high]).astype(np.float32)


def test_scale_pixels_right_and_wrong():
    checks.check_scale_pixels(scale)
    fails(checks.check_scale_pixels, lambda x, low=0, high=1: np.asarray(x) / 255, match="expected float32")
    fails(checks.check_scale_pixels, lambda x, low=0, high=1: scale(x), match=r"scaling to \[-1.0, 1.0\]")

    def in_place(x, low=0, high=1):
        out = scale(x, low, high)
        x[...] = 0
        return out

    fails(checks.check_scale_pixels, in_place, match="changed its input")


def copy_split(raw_dir, dataset_dir, val_fraction, test_fraction, seed, stratify=True, move=False):
    """A reference split; the flags switch on the faults a learner might make."""
    raw_dir, dataset_dir = Path(raw_dir), Path(dataset_dir)
    chooser = random.Random(seed)
    classes = sorted(d for d in raw_dir.iterdir() if d.is_dir())
    groups = [[f for f in sorted(d.iterdir()) if folders.is_image_file(f)] for d in classes]
    if not stratify:
        groups = [[f for group in groups for f in group]]
    for group in groups:
        chooser.shuffle(group)
        cut_test, cut_val = round(len(group) * test_fraction), round(len(group) * (test_fraction + val_fraction))
        for index, file in enumerate(group):
            split = "test" if index < cut_test else "val" if index < cut_val else "train"
            (shutil.move if move else shutil.copy)(file, dataset_dir / split / file.parent.name / file.name)
    return dataset_dir


def prepared(function):
    """Create every split/class folder first, then call ``function``."""
    def run(raw_dir, dataset_dir, *args):
        for split in folders.SPLITS:
            for cls in (d for d in Path(raw_dir).iterdir() if d.is_dir()):
                (Path(dataset_dir) / split / cls.name).mkdir(parents=True, exist_ok=True)
        return function(raw_dir, dataset_dir, *args)
    return run


@pytest.fixture
def lopsided_raw(tmp_path):
    return folders.write_class_folders(*data.shape_images((30, 12, 5), size=16, seed=3), tmp_path / "raw")


def test_a_stratified_seeded_copy_passes(lopsided_raw):
    checks.check_split_dataset(prepared(copy_split), lopsided_raw, 0.2, 0.2)


def test_split_faults_are_named(lopsided_raw):
    fails(checks.check_split_dataset, prepared(lambda *a: copy_split(*a, stratify=False)), lopsided_raw,
          match="split each class separately")
    fails(checks.check_split_dataset, prepared(lambda r, d, v, t, s: copy_split(r, d, v, t, None)), lopsided_raw,
          match="two runs with seed=3 gave different splits")
    fails(checks.check_split_dataset, prepared(lambda r, d, v, t, s: copy_split(r, d, v, t, 0)), lopsided_raw,
          match="seeds 3 and 4 gave the same split")
    fails(checks.check_split_dataset, prepared(lambda *a: str(copy_split(*a)) + "/train"), lopsided_raw,
          match="should return the dataset folder")
    fails(checks.check_split_dataset, prepared(lambda *a: copy_split(*a, move=True)), lopsided_raw,
          match="the raw folder changed")  # last: it empties the raw folder


def test_a_split_that_copies_stray_files_is_caught(lopsided_raw):
    (lopsided_raw / "circle" / "notes.txt").write_text("not a picture")

    def copies_everything(raw_dir, dataset_dir, *args):
        result = copy_split(raw_dir, dataset_dir, *args)
        shutil.copy(Path(raw_dir) / "circle" / "notes.txt", Path(dataset_dir) / "train" / "circle")
        return result

    fails(checks.check_split_dataset, prepared(copies_everything), lopsided_raw, match="notes.txt is not one of")


def count(split_dir):
    return {d.name: len([f for f in d.rglob("*") if folders.is_image_file(f)])
            for d in Path(split_dir).iterdir() if d.is_dir()}


def test_count_per_class_right_and_wrong(tmp_path):
    checks.check_count_per_class(count)
    fails(checks.check_count_per_class, lambda d: {k: v for k, v in count(d).items() if v}, match="one entry per class")
    fails(checks.check_count_per_class,
          lambda d: {p.name: len(list(p.iterdir())) for p in Path(d).iterdir() if p.is_dir()},
          match="class 'circle' holds 5 image files, you counted 6")
    tree = folders.write_class_folders(*data.shape_images((4, 2, 3), size=16), tmp_path / "t")
    (tree / "circle" / "more").mkdir()
    shutil.copy(tree / "circle" / "circle_0001.png", tree / "circle" / "more" / "x.png")
    checks.check_count_per_class(count, tree, {"circle": 5, "square": 2, "triangle": 3})
    top_level_only = lambda d: {p.name: len([f for f in p.iterdir() if folders.is_image_file(f)])  # noqa: E731
                                for p in Path(d).iterdir() if p.is_dir()}
    fails(checks.check_count_per_class, top_level_only, tree, {"circle": 5, "square": 2, "triangle": 3},
          match="class 'circle' holds 5 image files, you counted 4")


def ratio(counts):
    if not counts:
        raise ValueError("no classes")
    values = sorted(counts.values())
    return values[-1] / values[0] if values[0] else math.inf


def test_imbalance_ratio_right_and_wrong():
    checks.check_imbalance_ratio(ratio)
    fails(checks.check_imbalance_ratio, lambda c: min(c.values()) / max(c.values()), match="should give a ratio of 2.0")
    fails(checks.check_imbalance_ratio, lambda c: max(c.values()) / max(min(c.values()), 1),
          match="should give a ratio of inf")

    def no_error(counts):
        return ratio(counts) if counts else 0.0

    fails(checks.check_imbalance_ratio, no_error, match="should raise ValueError, it raised nothing")


def load(dataset_dir, split, image_size, batch_size, label_mode, shuffle=None):
    return keras.utils.image_dataset_from_directory(
        Path(dataset_dir, split), label_mode=label_mode, image_size=image_size, batch_size=batch_size,
        shuffle=(split == "train") if shuffle is None else shuffle, seed=1, verbose=False)


def test_load_split_right_and_wrong():
    checks.check_load_split(load)
    fails(checks.check_load_split, lambda *a: load(*a, shuffle=True), match="come out shuffled")
    fails(checks.check_load_split, lambda *a: load(*a, shuffle=False), match="come out in folder order")
    fails(checks.check_load_split, lambda d, s, size, b, m: load(d, s, (32, 32), b, m),
          match=r"expected image batches of shape \(None, 16, 16, 3\)")
    fails(checks.check_load_split, lambda d, s, size, b, m: load(d, s, size, b, "int"),
          match="label_mode 'categorical' gives labels of shape")
    fails(checks.check_load_split, lambda d, s, size, b, m: load(d, s, size, 32, m), match="first batch holds")


# --- Notebook 02 ------------------------------------------------------------------------

def augmenter(seed=None, contrast=(0.2, 0.2), value_range=(0, 1), rotation=15 / 360, flip="horizontal"):
    layers = keras.layers
    return keras.Sequential([
        layers.RandomFlip(flip, seed=seed), layers.RandomRotation(rotation, seed=seed),
        layers.RandomZoom(0.1, seed=seed), layers.RandomTranslation(0.1, 0.1, seed=seed),
        layers.RandomContrast(contrast, value_range=value_range, seed=seed),
    ])


def test_augmenter_right_and_wrong():
    checks.check_augmenter(augmenter)
    fails(checks.check_augmenter, lambda seed=None: augmenter(seed, value_range=(0, 255)),
          match="outside \\[0, 1\\]: which layer")
    fails(checks.check_augmenter, lambda seed=None: augmenter(seed, rotation=0.15), match="turns of up to 15 degrees")
    fails(checks.check_augmenter, lambda seed=None: augmenter(seed, contrast=0.2),
          match="contrast factors from 1 to 1.2")
    fails(checks.check_augmenter, lambda seed=None: augmenter(seed, flip="horizontal_and_vertical"),
          match="mirrors left to right only")
    fails(checks.check_augmenter, lambda seed=None: augmenter(None), match="built with seed=1 gave different results")


def test_normalizer_right_and_wrong():
    def adapted(images, axis=-1):
        layer = keras.layers.Normalization(axis=axis)
        layer.adapt(images)
        return layer

    images = np.random.default_rng(0).uniform(size=(4, 6, 6, 3)).astype("float32")
    checks.check_normalizer(adapted, images)
    fails(checks.check_normalizer, lambda x: adapted(x, axis=None), images, match="one mean and variance per channel")
    fails(checks.check_normalizer, lambda x: keras.layers.Normalization(mean=0.0, variance=1.0), images,
          match="has mean")
    fails(checks.check_normalizer, lambda x: keras.layers.Rescaling(1.0), images, match="got Rescaling")


@pytest.fixture(scope="module")
def digit_files(tmp_path_factory):
    digits = data.rendered_digits(size=12)
    root = folders.write_class_folders(digits.images[:40], digits.labels[:40], digits.class_names,
                                       tmp_path_factory.mktemp("digits") / "raw")
    paths = sorted(str(p) for p in root.rglob("*.png"))
    return paths, np.array([int(Path(p).parent.name) for p in paths])


def read(path, image_size):
    return tf.image.resize(tf.io.decode_png(tf.io.read_file(path), channels=3), image_size) / 255.0


def pipeline(paths, labels, image_size, batch_size, training, augment=None, seed=0, order="mcsbap"):
    """Stages by letter: m map-read, c cache, s shuffle, b batch, a augment, p prefetch."""
    steps = {
        "m": lambda d: d.map(lambda p, y: (read(p, image_size), y), num_parallel_calls=tf.data.AUTOTUNE),
        "c": lambda d: d.cache(),
        "s": lambda d: d.shuffle(len(paths), seed=seed) if training else d,
        "b": lambda d: d.batch(batch_size),
        "a": lambda d: d.map(lambda x, y: (augment(x, training=True), y)) if training and augment else d,
        "p": lambda d: d.prefetch(tf.data.AUTOTUNE),
    }
    dataset = tf.data.Dataset.from_tensor_slices((list(paths), np.asarray(labels)))
    for step in order:
        dataset = steps[step](dataset)
    return dataset


@pytest.mark.parametrize("order, message", [
    ("mcsba", "end it with prefetch"),
    ("msbacp", "cache once, right after the map"),
    ("mcbsap", "shuffle single images between cache and batch"),
    ("mcsabp", "augment whole batches after batch"),
    ("msbap", "cache once"),
])
def test_input_pipeline_order_faults_are_named(digit_files, order, message):
    paths, labels = digit_files
    fails(checks.check_input_pipeline, lambda *a: pipeline(*a, order=order), paths, labels, match=message)


def test_input_pipeline_right_and_wrong_behaviour(digit_files):
    paths, labels = digit_files
    checks.check_input_pipeline(pipeline, paths, labels, image_size=(12, 12), batch_size=5)
    always_shuffled = lambda p, y, size, b, training, augment=None: pipeline(p, y, size, b, True, augment)  # noqa: E731
    fails(checks.check_input_pipeline, always_shuffled, paths, labels, match="with training=False there is no shuffle")
    fails(checks.check_input_pipeline, pipeline, paths, labels, channels=1, match=r"shape \(None, 32, 32, 1\)")


def test_with_augmentation_right_and_wrong():
    def combined(model, augment):
        inputs = keras.Input(model.input_shape[1:])
        return keras.Model(inputs, model(augment(inputs)))

    checks.check_with_augmentation(combined)
    fails(checks.check_with_augmentation, lambda model, augment: keras.Sequential([augment, model]),
          match="start the new model from keras.Input")
    fails(checks.check_with_augmentation, lambda model, augment: keras.models.clone_model(model),
          match="exactly the model's outputs")
    fails(checks.check_with_augmentation, lambda model, augment: model, match="the augmenter should change the inputs")


def test_choice_checks_only_the_form_of_an_answer():
    options = ("a", "b", "c")
    checks.check_choice({"a", "c"}, options)
    fails(checks.check_choice, "a", options, match="expected a set of names, got str")
    fails(checks.check_choice, {"a", "d"}, options, match=r"\['d'\] are not among the options")
    fails(checks.check_choice, set(options), options, match="not none or all")
    fails(checks.check_choice, ["a", "a"], options, match="appears twice")
