"""Checks for lesson 02, data augmentation: the augmenter, normalisation, the input pipeline, the model."""

from __future__ import annotations

import math

import numpy as np

from starter_lib.checks.core import expect, expect_model, layers_of, returned


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

    augmenter = returned(build_augmenter, seed=1)
    expect(isinstance(augmenter, keras.layers.Layer), f"expected a Keras layer or model, got {type(augmenter).__name__}.")
    layers = layers_of(augmenter)
    flips = [layer for layer in layers if type(layer).__name__ == "RandomFlip"]
    modes = [flip.get_config()["mode"] for flip in flips]
    expect(modes == ["horizontal"], f"expected one RandomFlip that mirrors left to right only (mode "
                                    f"'horizontal'), found RandomFlip layers with modes {modes}.")
    _expect_layer(layers, "RandomRotation", {"factor": 360}, rotation_degrees / 360,
                  f"turns of up to {rotation_degrees} degrees either way (a factor is a share of a full turn)")
    _expect_layer(layers, "RandomZoom", {"height_factor": 1, "width_factor": 1}, zoom, f"zooms of up to {zoom:.0%}")
    _expect_layer(layers, "RandomTranslation", {"height_factor": 1, "width_factor": 1}, shift,
                  f"shifts of up to {shift:.0%} of the height and width")
    _expect_layer(layers, "RandomContrast", {"factor": 1}, contrast, f"contrast changes of up to {contrast:.0%}")
    blocks = np.random.default_rng(0).integers(0, 2, size=(8, 8, 8, 3))  # black and white patches
    images = np.kron(blocks, np.ones((1, 4, 4, 1))).astype("float32")
    change = float(np.abs(np.asarray(augmenter(images, training=False)) - images).max())
    expect(change < 1e-5, f"with training=False the augmenter changed pixels by up to {change:.3g}; "
                          "augmentation must be off at inference.")
    first = np.asarray(augmenter(images, training=True))
    expect(first.shape == images.shape, f"augmenting a batch of shape {images.shape} gave shape {first.shape}.")
    expect(first.min() >= -1e-4 and first.max() <= 1 + 1e-4,
           f"augmented pixels range from {first.min():.3f} to {first.max():.3f}, outside [0, 1]: which layer "
           "needs to be told the value range of the images?")
    expect(not np.allclose(first, images), "with training=True the augmenter left every image unchanged.")
    expect(not np.allclose(np.asarray(augmenter(images, training=True)), first),
           "two training calls gave the same result; each call must draw new random transforms.")
    again = np.asarray(returned(build_augmenter, seed=1)(images, training=True))
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
        layer = returned(build_normalizer, batch)
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
        dataset = returned(input_pipeline, paths, labels, image_size, batch_size, training,
                            augmenter if training else None)
        expect(isinstance(dataset, tf.data.Dataset), f"expected a tf.data.Dataset, got {type(dataset).__name__}.")
        _expect_order(_pipeline_stages(dataset), training)
        images_spec, _ = dataset.element_spec
        want = (None, *image_size, channels)
        expect(tuple(images_spec.shape) == want and images_spec.dtype == tf.float32,
               f"expected float32 image batches of shape {want}, got {images_spec.dtype.name} {tuple(images_spec.shape)}.")
        passes = [list(dataset.as_numpy_iterator()) for _ in range(2)]
        want_batch = min(batch_size, len(paths))
        expect(len(passes[0][0][0]) == want_batch,
               f"the first batch holds {len(passes[0][0][0])} images, expected {want_batch}.")
        order = [np.concatenate([y for _, y in run]) for run in passes]
        pixels = [np.concatenate([x for x, _ in run]) for run in passes]
        expect(len(order[0]) == len(paths), f"{len(paths)} files gave {len(order[0])} images.")
        expect(pixels[0].min() >= 0 and pixels[0].max() <= 1,
               f"expected pixels scaled to [0, 1], got pixels from {pixels[0].min():.4g} to {pixels[0].max():.4g}.")
        if training:
            expect(not np.array_equal(*order), "two training epochs came in the same order: reshuffle every epoch.")
        else:
            expect(np.array_equal(order[0], labels),
                   f"with training=False the images must come in the order of `paths`: expected the labels "
                   f"{labels[:8].tolist()}..., got {order[0][:8].tolist()}...")
            expect(np.allclose(*pixels), "with training=False two passes gave different pixels; without "
                                         "augmentation each pass must give the same images.")


def check_with_augmentation(with_augmentation) -> None:
    """``with_augmentation(model, augmenter)`` puts the augmenter in front of the unchanged model."""
    import keras

    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((16, 16, 3)), keras.layers.Conv2D(4, 3, activation="relu"),
                              keras.layers.Flatten(), keras.layers.Dense(3)])
    augmenter = keras.Sequential([keras.layers.RandomFlip("horizontal", seed=2),
                                  keras.layers.RandomTranslation(0.25, 0.25, seed=2)])
    combined = returned(with_augmentation, model, augmenter)
    expect_model(combined, (None, 16, 16, 3), (None, 3), what="the new model")
    expect(combined.count_params() == model.count_params(),
           f"augmentation layers hold no weights, so the new model should have the model's "
           f"{model.count_params():,} parameters; it has {combined.count_params():,}.")
    images = np.random.default_rng(1).uniform(0, 1, size=(4, 16, 16, 3)).astype("float32")
    plain = np.asarray(model(images, training=False))
    gap = float(np.abs(np.asarray(combined(images, training=False)) - plain).max())
    expect(gap < 1e-5, f"at inference the new model must give exactly the model's outputs (augmentation off, "
                       f"same weights); yours differ by up to {gap:.3g}.")
    expect(not np.allclose(np.asarray(combined(images, training=True)), plain, atol=1e-5),
           "in training the new model gave the model's own outputs: the augmenter should change the inputs first.")


def check_choice(chosen, options) -> None:
    """``chosen`` is a set of names picked from ``options``: some, but not all of them."""
    expect(isinstance(chosen, (set, frozenset, list, tuple)),
           f"expected a set of names, got {type(chosen).__name__}.")
    unknown = [name for name in chosen if name not in options]
    expect(not unknown, f"{unknown} are not among the options; copy the names exactly.")
    twice = sorted({name for name in chosen if list(chosen).count(name) > 1})
    expect(not twice, f"expected each name once, got {twice} more than once.")
    expect(0 < len(chosen) < len(options), f"pick some of the {len(options)} options, not none or all.")

