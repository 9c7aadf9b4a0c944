"""Geometric augmentation in one resampling pass.

Keras's RandomFlip, RandomRotation, RandomTranslation, RandomShear and
RandomZoom each resample every image once. Each of these moves is a 2x3
affine matrix, and matrices compose by multiplication, so :class:`RandomAffine`
multiplies one random matrix per image and resamples once: the same family of
transforms for a fifth of the pixel work, and one interpolation blur instead
of four.
"""

from __future__ import annotations

import math

import keras
from keras import ops


class RandomAffine(keras.layers.Layer):
    """Random flip, rotation, translation, shear and zoom, drawn per image, applied in one pass.

    The factors follow Keras's single-transform layers: ``rotation`` is a
    fraction of a full turn (``40 / 360`` for up to 40 degrees either way),
    ``translation`` and ``zoom`` fractions of the image size, ``shear`` the
    largest shear factor (as in ``RandomShear``). ``horizontal_flip`` mirrors
    half of the images. Works on float or uint8 batches (channels last) and
    returns the same dtype; the identity when not training.
    """

    def __init__(self, rotation=0.0, translation=0.0, shear=0.0, zoom=0.0, horizontal_flip=False,
                 fill_mode="nearest", interpolation="bilinear", seed=None, **kwargs):
        super().__init__(**kwargs)
        for name, value in {"rotation": rotation, "translation": translation, "shear": shear, "zoom": zoom}.items():
            if not 0 <= value < 1:
                raise ValueError(f"{name} must be a fraction in [0, 1), got {value!r}")
        self.rotation, self.translation, self.shear, self.zoom = rotation, translation, shear, zoom
        self.horizontal_flip, self.fill_mode, self.interpolation = horizontal_flip, fill_mode, interpolation
        self.seed = seed
        self.generator = keras.random.SeedGenerator(seed)
        self.supports_masking = False

    def transforms(self, batch, height, width):
        """One row ``[a0, a1, a2, b0, b1, b2, 0, 0]`` per image: output pixel (x, y) reads input
        pixel (a0 x + a1 y + a2, b0 x + b1 y + b2), the layout of ``keras.ops.image.affine_transform``."""
        draws = keras.random.uniform((batch, 7), -1.0, 1.0, seed=self.generator)  # one call: cheap in tf.data
        angle = draws[:, 0] * 2 * math.pi * self.rotation
        shear_x, shear_y = draws[:, 1] * self.shear, draws[:, 2] * self.shear
        scale = 1.0 + draws[:, 3] * self.zoom
        shift_x, shift_y = draws[:, 4] * self.translation * width, draws[:, 5] * self.translation * height
        flip = ops.where(draws[:, 6] < 0, -1.0, 1.0) if self.horizontal_flip else ops.ones_like(angle)
        cos, sin = ops.cos(angle), ops.sin(angle)
        # rotation @ shear @ (scale * flip), written out entry by entry
        a0 = (cos - sin * shear_y) * scale * flip
        a1 = (cos * shear_x - sin) * scale
        b0 = (sin + cos * shear_y) * scale * flip
        b1 = (sin * shear_x + cos) * scale
        # turn about the image centre, then shift
        cx, cy = (width - 1) / 2, (height - 1) / 2
        a2 = cx - a0 * cx - a1 * cy + shift_x
        b2 = cy - b0 * cx - b1 * cy + shift_y
        zeros = ops.zeros_like(angle)
        return ops.stack([a0, a1, a2, b0, b1, b2, zeros, zeros], axis=1)

    def call(self, images, training=True):
        if not training:
            return images
        shape = ops.shape(images)
        batched = len(images.shape) == 4
        batch = shape[0] if batched else 1
        height, width = ops.cast(shape[-3], "float32"), ops.cast(shape[-2], "float32")
        matrices = self.transforms(batch, height, width)
        return ops.image.affine_transform(images, matrices if batched else matrices[0],
                                          interpolation=self.interpolation, fill_mode=self.fill_mode)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "rotation": self.rotation, "translation": self.translation,
                "shear": self.shear, "zoom": self.zoom, "horizontal_flip": self.horizontal_flip,
                "fill_mode": self.fill_mode, "interpolation": self.interpolation, "seed": self.seed}
