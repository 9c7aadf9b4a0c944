"""starter_lib.corners: OpenCV's Harris response, corner pixels and their picture."""

import numpy as np
import pytest
import skimage.data
from matplotlib.figure import Figure

from starter_lib import corners


def white_square():
    image = np.zeros((40, 40), dtype=np.uint8)
    image[10:30, 10:30] = 255
    return image


def test_sample_photos_are_the_files_scikit_image_ships():
    path = corners.sample_photo_path("chelsea.png")
    assert path.is_file()
    with pytest.raises(FileNotFoundError, match=r"no 'dog.png'; expected one of \[.*'chelsea.png'"):
        corners.sample_photo_path("dog.png")


def test_read_bgr_gives_opencv_channel_order():
    bgr = corners.read_bgr(corners.sample_photo_path("chelsea.png"))
    assert np.array_equal(bgr[..., ::-1], skimage.data.chelsea())


def test_read_bgr_raises_where_opencv_returns_none(tmp_path):
    with pytest.raises(FileNotFoundError, match="could not read an image from .*missing.png"):
        corners.read_bgr(tmp_path / "missing.png")


def test_to_gray_weighs_channels_by_the_order_given():
    rgb = skimage.data.chelsea()
    from_rgb = corners.to_gray(rgb)
    assert from_rgb.dtype == np.float32 and from_rgb.shape == rgb.shape[:2]
    assert 0 <= from_rgb.min() and from_rgb.max() <= 1
    assert np.allclose(corners.to_gray(rgb[..., ::-1], order="bgr"), from_rgb)
    assert not np.allclose(corners.to_gray(rgb[..., ::-1]), from_rgb)


@pytest.mark.parametrize("image, kwargs, message", [
    (np.zeros((4, 4, 4)), {}, r"grey \(height, width\) or colour \(height, width, 3\) image, got shape \(4, 4, 4\)"),
    (np.zeros((4, 4)), {"order": "hsv"}, "order must be 'rgb' or 'bgr', got 'hsv'"),
])
def test_to_gray_rejects_what_it_cannot_convert(image, kwargs, message):
    with pytest.raises(ValueError, match=message):
        corners.to_gray(image, **kwargs)


def test_harris_response_is_highest_at_the_corners_of_a_square():
    response = corners.harris_opencv(corners.to_gray(white_square()), block_size=2, ksize=3, k=0.04)
    row, column = np.unravel_index(np.argmax(response), response.shape)
    assert min(abs(row - 10), abs(row - 29)) <= 1 and min(abs(column - 10), abs(column - 29)) <= 1
    assert response[20, 10] < 0, "the middle of an edge scores negative"
    assert response[20, 20] == pytest.approx(0), "a flat area scores 0"


@pytest.mark.parametrize("image, kwargs, message", [
    (np.zeros((8, 8, 3)), {}, r"2-D grey image, got shape \(8, 8, 3\)"),
    (np.zeros((8, 8)), {"ksize": 4}, r"ksize must be one of \(1, 3, 5, 7\), got 4"),
    (np.zeros((8, 8)), {"block_size": 0}, "block_size must be a positive number of pixels, got 0"),
])
def test_harris_opencv_names_bad_arguments(image, kwargs, message):
    with pytest.raises(ValueError, match=message):
        corners.harris_opencv(image, **kwargs)


def test_corner_points_are_near_the_four_corners_of_a_square():
    response = corners.harris_opencv(corners.to_gray(white_square()))
    points = corners.corner_points(response, threshold=0.1)
    assert points.shape[1] == 2 and len(points) >= 4
    nearest_corner = np.abs(points[:, None, :] - np.array([[10, 10], [10, 29], [29, 10], [29, 29]])).max(axis=2).min(axis=1)
    assert nearest_corner.max() <= 2
    assert {(r < 20, c < 20) for r, c in points} == {(True, True), (True, False), (False, True), (False, False)}


def test_corner_points_of_a_flat_image_are_none():
    assert corners.corner_points(np.zeros((5, 5))).shape == (0, 2)


@pytest.mark.parametrize("threshold", [0, 1, -0.1, 2])
def test_corner_points_threshold_is_a_fraction(threshold):
    with pytest.raises(ValueError, match=f"between 0 and 1; got {threshold}"):
        corners.corner_points(np.ones((3, 3)), threshold)


def test_plot_corners_draws_the_map_and_one_dot_per_corner():
    image = white_square()
    response = corners.harris_opencv(corners.to_gray(image))
    points = corners.corner_points(response, 0.1)
    fig = corners.plot_corners(image, response, points)
    assert isinstance(fig, Figure)
    left, right = fig.axes[:2]
    assert left.images[0].get_array().shape == image.shape
    assert len(right.collections[0].get_offsets()) == len(points)
    assert right.get_title() == f"{len(points)} corner pixels"
