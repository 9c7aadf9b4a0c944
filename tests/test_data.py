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
    with pytest.raises(data.DatasetUnavailableError) as caught:
        data.load_mnist(download=False)
    message = str(caught.value)
    assert str(tmp_path) in message
    assert "connect to the internet" in message and "KERAS_STARTER_DATA" in message


def test_download_switch_is_read_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(data.MIRROR_VARIABLE, str(tmp_path))
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
