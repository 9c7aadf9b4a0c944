"""starter_lib.augment: one random affine matrix per image, one resampling pass."""

from __future__ import annotations

import numpy as np
import pytest

from starter_lib import env

env.quiet_tensorflow()

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

from starter_lib.augment import RandomAffine  # noqa: E402

HEIGHT, WIDTH = 20, 30


def matrices(layer, batch=256):
    return keras.ops.convert_to_numpy(layer.transforms(batch, float(HEIGHT), float(WIDTH)))


def centre_moves_by(m):
    """Where each matrix sends the image centre, minus the centre."""
    cx, cy = (WIDTH - 1) / 2, (HEIGHT - 1) / 2
    return np.stack([m[:, 0] * cx + m[:, 1] * cy + m[:, 2] - cx, m[:, 3] * cx + m[:, 4] * cy + m[:, 5] - cy], 1)


def test_translation_alone_shifts_within_the_fraction_asked():
    m = matrices(RandomAffine(translation=0.2, seed=1))
    np.testing.assert_allclose(m[:, [0, 1, 3, 4]], np.tile([1, 0, 0, 1], (len(m), 1)), atol=1e-6)
    assert np.all(np.abs(m[:, 2]) <= 0.2 * WIDTH) and np.all(np.abs(m[:, 5]) <= 0.2 * HEIGHT)
    assert np.abs(m[:, 2]).max() > 0.1 * WIDTH, "shifts should use the whole range"


def test_rotation_alone_turns_about_the_centre_without_stretching():
    m = matrices(RandomAffine(rotation=40 / 360, seed=2))
    np.testing.assert_allclose(centre_moves_by(m), 0, atol=1e-4)
    np.testing.assert_allclose(m[:, 0] * m[:, 4] - m[:, 1] * m[:, 3], 1, atol=1e-5)  # determinant
    angles = np.degrees(np.arctan2(m[:, 3], m[:, 0]))
    assert np.abs(angles).max() <= 40 + 1e-3 and np.abs(angles).max() > 30


def test_zoom_and_shear_keep_the_centre_and_stay_in_range():
    zoom = matrices(RandomAffine(zoom=0.2, seed=3))
    assert np.all((zoom[:, 0] >= 0.8 - 1e-6) & (zoom[:, 0] <= 1.2 + 1e-6))
    np.testing.assert_allclose(zoom[:, 0], zoom[:, 4])
    shear = matrices(RandomAffine(shear=0.3, seed=4))
    np.testing.assert_allclose(shear[:, [0, 4]], 1, atol=1e-6)
    assert np.all(np.abs(shear[:, [1, 3]]) <= 0.3 + 1e-6)
    for m in (zoom, shear):
        np.testing.assert_allclose(centre_moves_by(m), 0, atol=1e-4)


def test_flip_mirrors_about_half_of_the_images_exactly():
    image = np.random.default_rng(0).integers(0, 256, (HEIGHT, WIDTH, 3), dtype=np.uint8)
    batch = np.repeat(image[np.newaxis], 64, axis=0)
    out = keras.ops.convert_to_numpy(RandomAffine(horizontal_flip=True, seed=5)(batch, training=True))
    same = [np.array_equal(o, image) for o in out]
    mirrored = [np.array_equal(o, image[:, ::-1]) for o in out]
    assert all(s or m for s, m in zip(same, mirrored))
    assert 16 <= sum(mirrored) <= 48


@pytest.mark.parametrize("dtype", ["uint8", "float32"])
def test_shape_and_dtype_are_kept_and_inference_is_the_identity(dtype):
    batch = np.random.default_rng(1).integers(0, 256, (4, HEIGHT, WIDTH, 3)).astype(dtype)
    layer = RandomAffine(rotation=0.1, translation=0.1, shear=0.1, zoom=0.1, horizontal_flip=True, seed=6)
    out = layer(batch, training=True)
    assert tuple(out.shape) == batch.shape and keras.ops.convert_to_numpy(out).dtype == np.dtype(dtype)
    assert not np.array_equal(keras.ops.convert_to_numpy(out), batch)
    assert np.array_equal(keras.ops.convert_to_numpy(layer(batch, training=False)), batch)
    single = layer(batch[0], training=True)
    assert tuple(single.shape) == batch.shape[1:]


def test_a_seed_makes_it_repeatable_and_it_runs_inside_tf_data():
    batch = np.random.default_rng(2).random((8, HEIGHT, WIDTH, 1)).astype("float32")

    def run():
        layer = RandomAffine(rotation=0.1, zoom=0.1, seed=7)
        dataset = tf.data.Dataset.from_tensors(batch).map(lambda x: layer(x, training=True))
        return next(iter(dataset)).numpy()

    first = run()
    np.testing.assert_array_equal(first, run())
    assert not np.array_equal(first, batch)


def test_factors_outside_zero_to_one_are_refused():
    with pytest.raises(ValueError, match="rotation must be a fraction"):
        RandomAffine(rotation=40)
