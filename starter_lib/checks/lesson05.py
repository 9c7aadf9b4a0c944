"""Checks for lesson 05, convolutional networks: Harris corners, convolution arithmetic, the reference CNN."""

from __future__ import annotations

import numpy as np

from starter_lib.checks.core import activation_name, expect, expect_dense_stack, expect_model, returned


def check_harris_response(harris_response, image=None, settings=((2, 3, 0.04), (3, 5, 0.06))) -> None:
    """``harris_response(gray, block_size, ksize, k)`` matches ``cv2.cornerHarris`` up to a positive factor.

    ``image`` (RGB or grey) defaults to a crop of scikit-image's cat photo; ``settings``
    lists the ``(block_size, ksize, k)`` to try.
    """
    from starter_lib import corners

    if image is None:
        image = corners.read_bgr(corners.sample_photo_path("chelsea.png"))[60:180, 100:260, ::-1]
    gray = corners.to_gray(image)
    for block_size, ksize, k in settings:
        got = np.asarray(returned(harris_response, gray, block_size, ksize, k), dtype=float)
        expect(got.shape == gray.shape,
               f"the response should have one value per pixel, shape {gray.shape}; got shape {got.shape}.")
        bad = int(np.count_nonzero(~np.isfinite(got)))
        expect(not bad, f"expected a finite response at every pixel, got {bad} nan or inf values.")
        margin = block_size + ksize
        got = got[margin:-margin, margin:-margin]
        want = corners.harris_opencv(gray, block_size, ksize, k)[margin:-margin, margin:-margin]
        expect(np.abs(got).max() > 0, "your response is 0 everywhere, yet this photo has corners and edges.")
        expect(float(np.sum(got * want)) > 0,
               "your response is negative where OpenCV's is positive: corners should score high, "
               "edges negative. Check the sign of det(M) - k * trace(M)**2.")
        gap = np.abs(got / np.abs(got).max() - want / np.abs(want).max()).max()
        expect(gap < 1e-3,
               f"with blockSize={block_size}, ksize={ksize}, k={k} your response differs from cv2.cornerHarris "
               f"by up to {gap:.1%} of the largest value (away from the border). Use Sobel gradients of that "
               "ksize and sum their products over a blockSize x blockSize window.")
    flat = np.asarray(returned(harris_response, np.full((20, 20), 0.5, dtype=np.float32), 2, 3, 0.04), dtype=float)
    expect(np.allclose(flat, 0), f"a flat grey image has no gradients, so its response should be 0 everywhere; "
                                 f"yours reaches {np.abs(flat).max():.3g}.")


def _keras_output_length(length: int, kernel_size: int, stride: int, padding: str) -> int:
    import keras

    layer = keras.layers.Conv2D(1, kernel_size, strides=stride, padding=padding)
    return int(layer.compute_output_shape((None, length, length, 1))[1])


def check_conv_output_length(conv_output_length) -> None:
    """``conv_output_length`` agrees with Keras for valid and same padding and several strides."""
    cases = ((28, 3, 1, "valid"), (26, 2, 2, "valid"), (11, 2, 2, "valid"), (28, 5, 2, "valid"),
             (32, 5, 1, "same"), (7, 3, 2, "same"))
    for length, kernel_size, stride, padding in cases:
        got = conv_output_length(length, kernel_size, stride, padding)
        want = _keras_output_length(length, kernel_size, stride, padding)
        expect(got == want,
               f"conv_output_length(length={length}, kernel_size={kernel_size}, stride={stride}, "
               f"padding={padding!r}) returned {got}; Keras computes {want}.")


def check_conv_params(conv_params) -> None:
    """``conv_params(kernel_size, in_channels, filters)`` agrees with Keras' parameter count."""
    import keras

    for kernel_size, in_channels, filters in ((3, 1, 32), (3, 32, 64), (5, 3, 16), (1, 64, 10)):
        layer = keras.layers.Conv2D(filters, kernel_size)
        layer.build((None, 16, 16, in_channels))
        got = conv_params(kernel_size, in_channels, filters)
        expect(got == layer.count_params(),
               f"conv_params(kernel_size={kernel_size}, in_channels={in_channels}, filters={filters}) returned "
               f"{got}; Keras counts {layer.count_params():,}. Remember one bias per filter.")


def check_cnn(model, image_shape, num_classes: int, expected_params: int) -> None:
    """``model`` is conv32-pool-conv64-pool-conv64-flatten-dense64-dense(K), 3x3 kernels, 2x2 pools."""
    import keras

    expect_model(model, (None, *image_shape), (None, num_classes))
    spec = [("Conv2D", 32), ("MaxPooling2D", 2), ("Conv2D", 64), ("MaxPooling2D", 2), ("Conv2D", 64),
            ("Flatten", None), ("Dense", 64), ("Dense", num_classes)]
    layers = [layer for layer in model.layers if not isinstance(layer, keras.layers.Dropout)]
    got = [type(layer).__name__ for layer in layers]
    expect(got == [kind for kind, _ in spec],
           f"expected the layers {', '.join(kind for kind, _ in spec)} (Dropout may go between them), got {', '.join(got)}.")
    for index, (layer, (kind, size)) in enumerate(zip(layers, spec)):
        if kind == "Conv2D":
            expect(layer.filters == size and tuple(layer.kernel_size) == (3, 3) and activation_name(layer) == "relu",
                   f"layer {index} should be a 3x3 Conv2D with {size} filters and relu, got {layer.filters} "
                   f"filters of {tuple(layer.kernel_size)} with {activation_name(layer)}.")
        if kind == "MaxPooling2D":
            expect(tuple(layer.pool_size) == (2, 2), f"layer {index} should pool 2x2, got {tuple(layer.pool_size)}.")
    expect_dense_stack(model, [64, num_classes], ["relu", "softmax"])
    expect(model.count_params() == expected_params,
           f"expected {expected_params:,} parameters, got {model.count_params():,}: check padding (none) and strides.")

