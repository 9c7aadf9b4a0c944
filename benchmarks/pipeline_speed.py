"""Images per second: the course's tf.data input pipeline against the legacy
``ImageDataGenerator.flow_from_directory`` that the old tutorials used (from the
``tf_keras`` package), on the same image folder with the same transforms, in one run.

    python -m benchmarks.pipeline_speed [--images 1200] [--epochs 3]
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


def course_pipeline(folder: Path):
    """Decode once, cache, shuffle, batch, augment in parallel, prefetch."""
    import keras
    import tensorflow as tf

    augment = keras.Sequential([
        keras.layers.RandomFlip("horizontal"),
        keras.layers.RandomRotation(40 / 360, fill_mode="nearest"),
        keras.layers.RandomTranslation(0.2, 0.2, fill_mode="nearest"),
        keras.layers.RandomShear(x_factor=0.2, y_factor=0.2, fill_mode="nearest"),
        keras.layers.RandomZoom(0.2, fill_mode="nearest"),
    ])
    images = keras.utils.image_dataset_from_directory(
        folder, image_size=SIZE, batch_size=None, shuffle=False, label_mode="binary", verbose=False)
    return (images.map(lambda x, y: (x / 255.0, y), num_parallel_calls=tf.data.AUTOTUNE)
            .cache().shuffle(1000).batch(BATCH)
            .map(lambda x, y: (augment(x, training=True), y), num_parallel_calls=tf.data.AUTOTUNE)
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
    parser.add_argument("--images", type=int, default=1200)
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = write_image_folder(Path(scratch), args.images)
        course = course_pipeline(folder)
        course_rates = images_per_second(course for _ in range(args.epochs))
        legacy = legacy_generator(folder)
        legacy_rates = images_per_second((legacy[i] for i in range(len(legacy))) for _ in range(args.epochs))
    rows = []
    for name, rates in (("course: tf.data + preprocessing layers", course_rates),
                        ("legacy: ImageDataGenerator.flow_from_directory", legacy_rates)):
        rows.append({"pipeline": name, "first epoch (img/s)": f"{rates[0]:.0f}",
                     "later epochs (img/s)": f"{np.mean(rates[1:]):.0f}" if len(rates) > 1 else "",
                     "all epochs (img/s)": f"{len(rates) / sum(1 / r for r in rates):.0f}"})
    speedup = (len(course_rates) / sum(1 / r for r in course_rates)) / (len(legacy_rates) / sum(1 / r for r in legacy_rates))
    rows.append({"pipeline": "speed-up", "all epochs (img/s)": f"{speedup:.1f}x"})
    publish("pipeline_speed", "Input pipeline: images per second",
            rows, ["pipeline", "first epoch (img/s)", "later epochs (img/s)", "all epochs (img/s)"],
            notes=f"{args.images} JPEG images resized to {SIZE[0]}x{SIZE[1]}, batch {BATCH}, "
                  f"{args.epochs} epochs, the same transforms in both.")


if __name__ == "__main__":
    main()
