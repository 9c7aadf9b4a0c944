"""starter_lib.data: MNIST from a mirror or a clear error, digits offline, splits."""

import numpy as np
import pytest

from starter_lib import data


def test_mnist_loads_from_the_mirror_named_by_the_environment(monkeypatch, mnist_mirror):
    monkeypatch.setenv(data.MIRROR_VARIABLE, str(mnist_mirror))
    (x_train, y_train), (x_test, y_test) = data.load_mnist(download=False)
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    assert np.bincount(y_train).tolist() == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
    assert (y_train[0], y_test[0], y_test[11]) == (5, 7, 6)
    assert round(float(x_train.mean()), 3) == 33.318


def test_mnist_mirror_argument_comes_first(monkeypatch, mnist_mirror, tmp_path):
    monkeypatch.setenv(data.MIRROR_VARIABLE, str(tmp_path))
    (x_train, _), _ = data.load_mnist(mirror=mnist_mirror, download=False)
    assert len(x_train) == 60000


def test_missing_mnist_names_both_fixes(monkeypatch, tmp_path):
    monkeypatch.setenv(data.MIRROR_VARIABLE, str(tmp_path))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    with pytest.raises(data.DatasetUnavailableError) as caught:
        data.load_mnist(download=False)
    message = str(caught.value)
    assert str(tmp_path) in message
    assert "connect to the internet" in message and "KERAS_STARTER_DATA" in message


def test_download_switch_is_read_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(data.MIRROR_VARIABLE, str(tmp_path))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setenv(data.DOWNLOAD_VARIABLE, "0")
    with pytest.raises(data.DatasetUnavailableError, match="KERAS_STARTER_DOWNLOAD=0"):
        data.load_mnist()


def test_a_corrupt_mirror_file_says_what_was_expected(tmp_path):
    np.savez(tmp_path / "mnist.npz", x_train=np.zeros((10, 28, 28), np.uint8),
             y_train=np.zeros(10, np.uint8), x_test=np.zeros((1, 28, 28), np.uint8), y_test=np.zeros(1, np.uint8))
    with pytest.raises(ValueError, match=r"expected x_train of shape \(60000, 28, 28\).*got shape \(10, 28, 28\)"):
        data.load_mnist(mirror=tmp_path, download=False)


def test_digits_look_like_small_mnist():
    (x_train, y_train), (x_test, y_test) = data.load_digits()
    assert x_train.dtype == np.uint8 and x_train.shape[1:] == (8, 8)
    assert len(x_train) + len(x_test) == 1797
    assert x_train.max() == 255 and x_train.min() == 0
    train_share = np.bincount(y_train) / len(y_train)
    test_share = np.bincount(y_test) / len(y_test)
    assert np.abs(train_share - test_share).max() < 0.01  # stratified


def test_digit_images_fall_back_to_digits_and_say_why(no_mnist, monkeypatch, capsys):
    for key, value in no_mnist.items():
        monkeypatch.setenv(key, value)
    images = data.load_digit_images()
    assert images.name == "digits" and images.image_shape == (8, 8) and images.num_classes == 10
    assert "Using scikit-learn's 8x8 digits instead of MNIST" in capsys.readouterr().out


def test_digit_images_split_three_ways_without_overlap(mnist_mirror):
    images = data.load_digit_images(max_train=2000, val_fraction=0.1, mirror=mnist_mirror)
    assert images.name == "mnist"
    assert (len(images.x_train), len(images.x_val), len(images.x_test)) == (1800, 200, 10000)
    share = {split: np.bincount(y, minlength=10) / len(y) for split, y in (("train", images.y_train), ("val", images.y_val))}
    assert np.abs(share["train"] - share["val"]).max() < 0.01  # stratified: same class mix
    train_keys = {x.tobytes() for x in images.x_train}
    assert not any(x.tobytes() in train_keys for x in images.x_val)


def test_digit_images_reject_unknown_choices():
    with pytest.raises(ValueError, match="prefer must be 'mnist' or 'digits', got 'cifar'"):
        data.load_digit_images(prefer="cifar")
    with pytest.raises(ValueError, match="max_train must be a positive number of images, got 0"):
        data.load_digit_images(prefer="digits", max_train=0)


# --- Notebook 07: time series ------------------------------------------------------------

@pytest.mark.parametrize("name, length, first, unit", [
    ("elnino", 732, 23.11, "°C"), ("sunspots", 309, 5.0, "sunspots"), ("co2", 2284, 316.1, "ppm")])
def test_time_series_load_offline_in_time_order(name, length, first, unit):
    series = data.load_time_series(name)
    assert series.name == name and series.unit == unit
    assert series.values.shape == series.times.shape == (length,)
    assert series.values.dtype == np.float32 and np.isclose(series.values[0], first)
    assert np.all(np.diff(series.times) > 0) and not np.isnan(series.values).any()


def test_elnino_is_monthly_from_1950():
    series = data.load_time_series("elnino")
    assert series.times[0] == 1950.0 and np.allclose(np.diff(series.times), 1 / 12)
    assert np.isclose(series.values[12], 24.19)  # January 1951


def test_unknown_time_series_names_the_choices():
    with pytest.raises(ValueError, match=r"name must be one of \['co2', 'elnino', 'sunspots'\], got 'tides'"):
        data.load_time_series("tides")


# --- Notebooks 01-02: raw images for image folders -------------------------------------

def test_face_images_are_scikit_images_hundred_faces_then_hundred_non_faces():
    from skimage.data import lfw_subset

    faces = data.face_images()
    assert faces.images.shape == (200, 25, 25) and faces.images.dtype == np.uint8
    assert faces.class_names == ["face", "non_face"]
    assert faces.labels.tolist() == [0] * 100 + [1] * 100
    assert np.allclose(faces.images / 255, lfw_subset(), atol=1 / 255)


def test_rendered_digits_enlarge_every_scikit_learn_digit():
    from sklearn.datasets import load_digits

    digits = data.rendered_digits(size=16)
    assert digits.images.shape == (1797, 16, 16) and digits.images.dtype == np.uint8
    assert np.array_equal(digits.labels, load_digits().target)
    assert digits.class_names == [str(d) for d in range(10)] and digits.images.max() == 255
    with pytest.raises(ValueError, match="at least 8"):
        data.rendered_digits(size=4)


def test_shape_images_draw_the_requested_counts_per_class_in_colour():
    shapes = data.shape_images((5, 3, 2), size=20, shapes=("triangle", "circle", "star"), seed=1)
    assert shapes.images.shape == (10, 20, 20, 3) and shapes.images.dtype == np.uint8
    assert shapes.class_names == ["circle", "star", "triangle"]
    # counts follow the order of `shapes`: triangle 5, circle 3, star 2
    assert np.bincount(shapes.labels).tolist() == [3, 2, 5]


def test_shape_images_repeat_with_a_seed_and_change_with_another():
    first, again = (data.shape_images(4, size=24, seed=3) for _ in range(2))
    assert np.array_equal(first.images, again.images)
    assert not np.array_equal(first.images, data.shape_images(4, size=24, seed=4).images)


def test_easy_shapes_are_centred_and_their_areas_tell_them_apart():
    shapes = data.shape_images(20, size=64, difficulty=0.0, seed=0)
    images = shapes.images.astype(int)
    corner, centre = images[:, 0, 0], images[:, 32, 32]
    assert np.all(np.abs(corner - centre).sum(axis=1) > 60), "the shape should cover the centre"
    covered = (np.abs(images - images[:, :1, :1]).sum(axis=-1) > 60).mean(axis=(1, 2))
    area = {name: covered[shapes.labels == label].mean() for label, name in enumerate(shapes.class_names)}
    assert area["circle"] > area["square"] > area["triangle"]


def test_hard_shapes_are_noisier_than_easy_ones():
    def background_spread(difficulty):
        images = data.shape_images(10, size=32, difficulty=difficulty, seed=2).images.astype(float)
        return images[:, :4, :4].std(axis=(1, 2)).mean()

    assert background_spread(1.0) > background_spread(0.0) + 10


@pytest.mark.parametrize("kwargs, message", [
    ({"difficulty": 1.5}, "difficulty must lie between 0 and 1"),
    ({"size": 8}, "at least 16"),
    ({"shapes": ("circle", "hexagon")}, "shapes must be two or more different names"),
    ({"n_per_class": (3, 0, 2)}, "n_per_class must be a positive whole number"),
    ({"n_per_class": (3, 2)}, "one per shape"),
])
def test_shape_images_name_bad_settings(kwargs, message):
    with pytest.raises(ValueError, match=message):
        data.shape_images(**kwargs)
