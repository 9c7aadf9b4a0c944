"""starter_lib.checks.lesson05: right answers pass, each typical fault is named."""

import numpy as np
import pytest
from check_tools import fails

from starter_lib import checks


def good_harris(gray, block_size, ksize, k):
    import cv2

    gx = cv2.Sobel(gray, cv2.CV_64F, 1, 0, ksize=ksize)
    gy = cv2.Sobel(gray, cv2.CV_64F, 0, 1, ksize=ksize)
    window = (block_size, block_size)
    sxx, syy, sxy = (cv2.boxFilter(a, -1, window, normalize=False) for a in (gx * gx, gy * gy, gx * gy))
    return sxx * syy - sxy**2 - k * (sxx + syy) ** 2


def central_difference_harris(gray, block_size, ksize, k):
    import cv2

    gy, gx = np.gradient(np.asarray(gray, dtype=float))
    window = (block_size, block_size)
    sxx, syy, sxy = (cv2.boxFilter(a, -1, window, normalize=False) for a in (gx * gx, gy * gy, gx * gy))
    return sxx * syy - sxy**2 - k * (sxx + syy) ** 2


def test_harris_response_matching_opencv_passes_even_when_scaled():
    import skimage.data

    checks.check_harris_response(good_harris)
    checks.check_harris_response(lambda *args: 1e-3 * good_harris(*args))
    checks.check_harris_response(good_harris, skimage.data.checkerboard(), settings=((4, 7, 0.1),))


@pytest.mark.parametrize("answer, pattern", [
    (central_difference_harris, r"ksize=3, k=0.04 your response differs from cv2.cornerHarris by up to \d"),
    (lambda *args: -good_harris(*args), "negative where OpenCV's is positive"),
    (lambda gray, *args: good_harris(gray, *args)[1:-1, 1:-1], "one value per pixel"),
    (lambda gray, *args: np.zeros_like(gray), "0 everywhere"),
    (lambda gray, b, ks, k: good_harris(gray, b, ks, 0.0), "differs from cv2.cornerHarris"),
])
def test_harris_response_faults_are_named(answer, pattern):
    fails(checks.check_harris_response, answer, match=pattern)


def good_output_length(length, kernel_size, stride=1, padding="valid"):
    if padding == "same":
        return -(-length // stride)
    return (length - kernel_size) // stride + 1


def test_conv_output_length_is_checked_against_keras():
    checks.check_conv_output_length(good_output_length)
    message = fails(checks.check_conv_output_length, lambda n, k, s=1, p="valid": n - k + 1,
                         match=r"kernel_size=2, stride=2, padding='valid'\) returned 25; Keras computes 13")
    assert "//" not in message


def test_conv_params_is_checked_against_keras():
    checks.check_conv_params(lambda k, c, f: (k * k * c + 1) * f)
    fails(checks.check_conv_params, lambda k, c, f: k * k * c * f, match="returned 288; Keras counts 320. Remember one bias")


def reference_cnn(image_shape=(28, 28, 1), classes=10, padding="valid", kernel=3, pools=2):
    import keras

    layers = [keras.Input(image_shape), keras.layers.Conv2D(32, kernel, activation="relu", padding=padding)]
    layers += [keras.layers.MaxPooling2D(2)] if pools >= 1 else []
    layers += [keras.layers.Conv2D(64, 3, activation="relu", padding=padding)]
    layers += [keras.layers.MaxPooling2D(2)] if pools >= 2 else []
    layers += [keras.layers.Conv2D(64, 3, activation="relu", padding=padding), keras.layers.Flatten(),
               keras.layers.Dropout(0.5), keras.layers.Dense(64, activation="relu"),
               keras.layers.Dense(classes, activation="softmax")]
    return keras.Sequential(layers)


def test_reference_cnn_passes_with_its_93322_parameters():
    checks.check_cnn(reference_cnn(), (28, 28, 1), 10, expected_params=93_322)


@pytest.mark.parametrize("model, pattern", [
    (lambda: reference_cnn(padding="same"), "expected 93,322 parameters, got 257,162"),
    (lambda: reference_cnn(pools=1), "expected the layers Conv2D, MaxPooling2D, Conv2D, MaxPooling2D"),
    (lambda: reference_cnn(kernel=5), r"layer 0 should be a 3x3 Conv2D with 32 filters and relu, got 32 filters of \(5, 5\)"),
    (lambda: reference_cnn(classes=5), r"expected output shape \(None, 10\), got \(None, 5\)"),
])
def test_cnn_faults_are_named(model, pattern):
    with pytest.raises(checks.CheckFailed, match=pattern):
        checks.check_cnn(model(), (28, 28, 1), 10, expected_params=93_322)

