"""starter_lib.checks.lesson02: right answers pass, each typical fault is named."""

from pathlib import Path

import keras
import numpy as np
import pytest
import tensorflow as tf
from check_tools import fails

from starter_lib import checks, data, folders


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


def pipeline(paths, labels, image_size, batch_size, training, augment=None, seed=0, order="mcsbap", pixel_max=1.0):
    """Stages by letter: m map-read, c cache, s shuffle, b batch, a augment, p prefetch."""
    steps = {
        "m": lambda d: d.map(lambda p, y: (read(p, image_size) * pixel_max, y), num_parallel_calls=tf.data.AUTOTUNE),
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
    checks.check_input_pipeline(pipeline, paths, labels, image_size=(12, 12), batch_size=8)
    always_shuffled = lambda p, y, size, b, training, augment=None: pipeline(p, y, size, b, True, augment)  # noqa: E731
    fails(checks.check_input_pipeline, always_shuffled, paths, labels, match="with training=False there is no shuffle")
    fails(checks.check_input_pipeline, pipeline, paths, labels, channels=1, match=r"shape \(None, 32, 32, 1\)")
    fails(checks.check_input_pipeline, lambda *a: pipeline(*a, pixel_max=255.0), paths, labels,
          match=r"expected pixels scaled to \[0, 1\], got pixels from 0 to 255\.")


def test_input_pipeline_of_fewer_files_than_a_batch_expects_one_short_batch(digit_files):
    paths, labels = (part[::7] for part in digit_files)  # six files of different classes
    checks.check_input_pipeline(pipeline, paths, labels, image_size=(12, 12), batch_size=8)
    fails(checks.check_input_pipeline, lambda p, y, size, b, *rest: pipeline(p, y, size, 2, *rest), paths, labels,
          image_size=(12, 12), batch_size=8, match="the first batch holds 2 images, expected 6")


def test_with_augmentation_right_and_wrong():
    def combined(model, augment):
        inputs = keras.Input(model.input_shape[1:])
        return keras.Model(inputs, model(augment(inputs)))

    checks.check_with_augmentation(combined)
    fails(checks.check_with_augmentation, lambda model, augment: keras.Sequential([augment, model]),
          match=r"the new model: expected input shape \(None, 16, 16, 3\), got None: start the model from keras.Input")
    fails(checks.check_with_augmentation, lambda model, augment: keras.models.clone_model(model),
          match="exactly the model's outputs")
    fails(checks.check_with_augmentation, lambda model, augment: model, match="the augmenter should change the inputs")


def test_choice_checks_only_the_form_of_an_answer():
    options = ("a", "b", "c")
    checks.check_choice({"a", "c"}, options)
    fails(checks.check_choice, "a", options, match="expected a set of names, got str")
    fails(checks.check_choice, {"a", "d"}, options, match=r"\['d'\] are not among the options")
    fails(checks.check_choice, set(options), options, match="not none or all")
    fails(checks.check_choice, ["a", "a"], options, match=r"expected each name once, got \[.a.\] more than once")

