"""Images per second: the course's tf.data input pipeline against the legacy
``ImageDataGenerator.flow_from_directory`` that the old tutorials used (from the
``tf_keras`` package), on the same image folder with the same transforms, in one run.

    python -m benchmarks.pipeline_speed [--images 2000] [--epochs 5]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from starter_lib import env

env.quiet_tensorflow()

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from benchmarks.report import publish  # noqa: E402

SIZE, BATCH = (150, 150), 32
LEGACY = "legacy: ImageDataGenerator.flow_from_directory"
# The old tutorials' augmentation: rotation 40 degrees, shifts 0.2, shear 0.2, zoom 0.2,
# horizontal flip, nearest fill, pixels rescaled by 1/255.


def write_image_folder(root: Path, images: int, seed: int = 0) -> Path:
    """Two classes of 200x200 JPEG crops of scikit-image's sample photos."""
    from skimage import data as photos

    rng = np.random.default_rng(seed)
    sources = {"animals": [photos.chelsea(), photos.coffee()], "scenes": [photos.astronaut(), photos.rocket()]}
    for label, pictures in sources.items():
        (root / label).mkdir(parents=True, exist_ok=True)
        for index in range(images // 2):
            picture = pictures[index % len(pictures)]
            top = rng.integers(0, picture.shape[0] - 200)
            left = rng.integers(0, picture.shape[1] - 200)
            crop = np.ascontiguousarray(picture[top:top + 200, left:left + 200, ::-1])  # RGB -> BGR for OpenCV
            cv2.imwrite(str(root / label / f"{index:05d}.jpg"), crop)
    return root


def five_layers():
    """The old tutorials' transforms as Keras's single-transform layers: four resampling passes."""
    import keras

    return keras.Sequential([
        keras.layers.RandomFlip("horizontal"),
        keras.layers.RandomRotation(40 / 360, fill_mode="nearest"),
        keras.layers.RandomTranslation(0.2, 0.2, fill_mode="nearest"),
        keras.layers.RandomShear(x_factor=0.2, y_factor=0.2, fill_mode="nearest"),
        keras.layers.RandomZoom(0.2, fill_mode="nearest"),
    ])


def one_pass():
    """The same transforms composed into one matrix per image: one resampling pass."""
    from starter_lib.augment import RandomAffine

    return RandomAffine(rotation=40 / 360, translation=0.2, shear=0.2, zoom=0.2, horizontal_flip=True)


def course_pipeline(folder: Path, augment):
    """Decode once, cache as uint8, shuffle, batch, augment in parallel, scale to [0, 1], prefetch."""
    import keras
    import tensorflow as tf

    images = keras.utils.image_dataset_from_directory(
        folder, image_size=SIZE, batch_size=None, shuffle=False, label_mode="binary", verbose=False)
    return (images.map(lambda x, y: (tf.cast(tf.round(x), tf.uint8), y), num_parallel_calls=tf.data.AUTOTUNE)
            .cache().shuffle(1000).batch(BATCH)
            .map(lambda x, y: (tf.cast(augment(x, training=True), tf.float32) / 255.0, y),
                 num_parallel_calls=tf.data.AUTOTUNE)
            .prefetch(tf.data.AUTOTUNE))


def legacy_generator(folder: Path):
    from tf_keras.preprocessing.image import ImageDataGenerator

    generator = ImageDataGenerator(rescale=1 / 255, rotation_range=40, width_shift_range=0.2,
                                   height_shift_range=0.2, shear_range=0.2, zoom_range=0.2,
                                   horizontal_flip=True, fill_mode="nearest")
    return generator.flow_from_directory(folder, target_size=SIZE, batch_size=BATCH, class_mode="binary")


def images_per_second(epochs_of_batches) -> list[float]:
    """Time each epoch; returns images per second per epoch."""
    rates = []
    for batches in epochs_of_batches:
        start, seen = time.perf_counter(), 0
        for x, _ in batches:
            seen += len(x)
        rates.append(seen / (time.perf_counter() - start))
    return rates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--images", type=int, default=2000)
    parser.add_argument("--epochs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = write_image_folder(Path(scratch), args.images)
        rates = {}
        for name, augment in (("course: tf.data + RandomAffine (one pass)", one_pass()),
                              ("course: tf.data + five Keras layers", five_layers())):
            pipeline = course_pipeline(folder, augment)
            rates[name] = images_per_second(pipeline for _ in range(args.epochs))
        legacy = legacy_generator(folder)
        rates[LEGACY] = images_per_second((legacy[i] for i in range(len(legacy))) for _ in range(args.epochs))
    overall = {name: len(r) / sum(1 / rate for rate in r) for name, r in rates.items()}
    rows = [{"pipeline": name, "first epoch (img/s)": f"{r[0]:.0f}",
             "later epochs (img/s)": f"{np.mean(r[1:]):.0f}" if len(r) > 1 else "",
             "all epochs (img/s)": f"{overall[name]:.0f}",
             "vs legacy": f"{overall[name] / overall[LEGACY]:.1f}x"} for name, r in rates.items()]
    publish("pipeline_speed", "Input pipeline: images per second",
            rows, ["pipeline", "first epoch (img/s)", "later epochs (img/s)", "all epochs (img/s)", "vs legacy"],
            notes=f"{args.images} JPEG images resized to {SIZE[0]}x{SIZE[1]}, batch {BATCH}, "
                  f"{args.epochs} epochs, the same transforms in all three (ImageDataGenerator reads "
                  "shear_range in degrees, the layers read shear as a factor).")


if __name__ == "__main__":
    main()
