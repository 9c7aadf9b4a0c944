"""Datasets that work with the internet, with an offline mirror, or with neither.

Every image loader returns NumPy arrays in the layout of
``keras.datasets.mnist.load_data()``: ``(x_train, y_train), (x_test, y_test)``
with ``uint8`` images of shape ``(n, height, width)`` and integer labels.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np

MIRROR_VARIABLE = "KERAS_STARTER_DATA"
DOWNLOAD_VARIABLE = "KERAS_STARTER_DOWNLOAD"
REPO_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
MNIST_FILE = "mnist.npz"
MNIST_LAYOUT = {
    "x_train": ((60000, 28, 28), np.uint8),
    "y_train": ((60000,), np.uint8),
    "x_test": ((10000, 28, 28), np.uint8),
    "y_test": ((10000,), np.uint8),
}


# The datasets each notebook loads, fetched by its setup cell on Colab and Kaggle.
NOTEBOOK_DATASETS = {
    "03-logistic-regression": ("mnist",),
    # notebooks 06-07 (07's time series ships inside statsmodels: nothing to fetch)
    "06-regularization": ("mnist",),
    "07-recurrent-networks": ("mnist",),
    # Notebooks 04-05
    "04-multi-layer-perceptron": ("mnist",),
    "05-convolutional-networks": ("mnist",),
}


class DatasetUnavailableError(RuntimeError):
    """A dataset could be found neither in a mirror nor online."""


@dataclass(frozen=True)
class ImageSet:
    """A labelled image dataset split three ways.

    ``x_test``/``y_test`` are held out: notebooks train and tune on the train
    and validation splits, and only the graders look at the test split.
    """

    name: str
    class_names: list[str]
    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray

    @property
    def image_shape(self) -> tuple[int, ...]:
        return tuple(self.x_train.shape[1:])

    @property
    def num_classes(self) -> int:
        return len(self.class_names)


def keras_cache_dir() -> Path:
    """Where ``keras.datasets`` keeps its downloads: ``$KERAS_HOME/datasets``, else ``~/.keras/datasets``."""
    return Path(os.environ.get("KERAS_HOME") or Path.home() / ".keras").expanduser() / "datasets"


def mirror_dirs(mirror: str | os.PathLike | None = None) -> list[Path]:
    """The folders searched for offline copies, in order.

    An explicit ``mirror`` argument, then ``$KERAS_STARTER_DATA``, then the
    course's own ``data/`` folder, then the Keras download cache.
    """
    candidates = [mirror, os.environ.get(MIRROR_VARIABLE), REPO_DATA_DIR, keras_cache_dir()]
    return [Path(c).expanduser() for c in candidates if c]


def mnist_path(mirror: str | os.PathLike | None = None) -> Path | None:
    """The first ``mnist.npz`` in :func:`mirror_dirs`, or ``None`` when no folder has one."""
    return next((folder / MNIST_FILE for folder in mirror_dirs(mirror) if (folder / MNIST_FILE).is_file()), None)


def validate_mnist(arrays: dict[str, np.ndarray], source: str) -> None:
    """Raise ``ValueError`` unless ``arrays`` has MNIST's keys, shapes and dtypes."""
    for key, (shape, dtype) in MNIST_LAYOUT.items():
        if key not in arrays:
            raise ValueError(f"{source}: expected an array named {key!r}, found {sorted(arrays)}.")
        got = arrays[key]
        if got.shape != shape or got.dtype != dtype:
            raise ValueError(
                f"{source}: expected {key} of shape {shape} and dtype {np.dtype(dtype)}, "
                f"got shape {got.shape} and dtype {got.dtype}."
            )


def _read_mnist(path: Path):
    with np.load(path) as npz:
        arrays = {key: npz[key] for key in npz.files}
    validate_mnist(arrays, str(path))
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])


def downloads_allowed() -> bool:
    """False when ``$KERAS_STARTER_DOWNLOAD`` is ``0``: offline rooms fail fast."""
    return os.environ.get(DOWNLOAD_VARIABLE, "1").strip() != "0"


def load_mnist(mirror: str | os.PathLike | None = None, download: bool | None = None):
    """Load MNIST: an offline mirror first, then the official Keras download.

    Parameters
    ----------
    mirror : folder holding ``mnist.npz``, searched first; then come
        ``$KERAS_STARTER_DATA``, the course's ``data/`` folder and the Keras cache.
    download : try ``keras.datasets.mnist.load_data()`` when no mirror has it;
        defaults to :func:`downloads_allowed`.

    Raises
    ------
    DatasetUnavailableError
        When neither a mirror nor the download works; the message names both fixes.
    """
    found = mnist_path(mirror)
    if found is not None:
        return _read_mnist(found)
    reason = f"downloading is switched off ({DOWNLOAD_VARIABLE}=0)"
    if download if download is not None else downloads_allowed():
        import keras

        try:
            return keras.datasets.mnist.load_data()
        except Exception as error:  # the download raises many kinds of errors
            reason = f"the download failed ({type(error).__name__}: {error})"
    looked = ", ".join(str(folder) for folder in mirror_dirs(mirror))
    raise DatasetUnavailableError(
        f"MNIST is not available: no {MNIST_FILE} in {looked}, and {reason}. "
        f"Fix: connect to the internet and run again, or copy {MNIST_FILE} into a folder "
        f"and set the environment variable {MIRROR_VARIABLE} to that folder."
    )


def load_digits(test_fraction: float = 0.2, seed: int = 0):
    """scikit-learn's 8x8 handwritten digits (shipped with scikit-learn, no download).

    The 0-16 grey levels are stretched to 0-255 ``uint8`` so the images look and
    scale like MNIST's. The test split is stratified by class.
    """
    from sklearn.datasets import load_digits as sklearn_digits
    from sklearn.model_selection import train_test_split

    digits = sklearn_digits()
    images = np.round(digits.images * (255 / 16)).astype(np.uint8)
    labels = digits.target.astype(np.uint8)
    x_train, x_test, y_train, y_test = train_test_split(
        images, labels, test_size=test_fraction, stratify=labels, random_state=seed
    )
    return (x_train, y_train), (x_test, y_test)


def load_digit_images(
    prefer: str = "mnist",
    max_train: int | None = None,
    val_fraction: float = 0.1,
    seed: int = 0,
    mirror: str | os.PathLike | None = None,
) -> ImageSet:
    """Handwritten digits for the classification notebooks, split three ways.

    ``prefer="mnist"`` loads MNIST when a mirror or the internet has it and
    falls back to scikit-learn's digits otherwise, saying why;
    ``prefer="digits"`` goes straight to the small set.

    Parameters
    ----------
    max_train : keep at most this many training images (a stratified sample),
        which is how fast mode stays fast.
    val_fraction : share of the training images set aside for validation.
    """
    if prefer not in ("mnist", "digits"):
        raise ValueError(f"prefer must be 'mnist' or 'digits', got {prefer!r}.")
    name = "digits"
    if prefer == "mnist":
        try:
            (x, y), (x_test, y_test) = load_mnist(mirror=mirror)
            name = "mnist"
        except DatasetUnavailableError as error:
            print(f"Using scikit-learn's 8x8 digits instead of MNIST. {error}")
    if name == "digits":
        (x, y), (x_test, y_test) = load_digits(seed=seed)
    x, y = _stratified_sample(x, y, max_train, seed)
    x_train, x_val, y_train, y_val = _stratified_split(x, y, val_fraction, seed)
    return ImageSet(
        name=name,
        class_names=[str(digit) for digit in range(10)],
        x_train=x_train, y_train=y_train,
        x_val=x_val, y_val=y_val,
        x_test=x_test, y_test=y_test,
    )


def _stratified_split(x, y, fraction, seed):
    from sklearn.model_selection import train_test_split

    return train_test_split(x, y, test_size=fraction, stratify=y, random_state=seed)


def _stratified_sample(x, y, size, seed):
    if size is None or size >= len(y):
        return x, y
    if size < 1:
        raise ValueError(f"max_train must be a positive number of images, got {size}.")
    _, x_kept, _, y_kept = _stratified_split(x, y, size, seed)
    return x_kept, y_kept


def prefetch(notebook: str) -> None:
    """Fetch the datasets ``notebook`` needs now, so later cells find them cached."""
    loaders = {"mnist": load_mnist}
    for name in NOTEBOOK_DATASETS.get(notebook, ()):
        try:
            loaders[name]()
        except DatasetUnavailableError as error:
            print(f"Could not fetch {name} yet: {error}")


# --- Notebook 07: time series ---------------------------------------------------------

@dataclass(frozen=True)
class TimeSeries:
    """One real time series: ``values[i]`` was measured at ``times[i]`` (decimal years)."""

    name: str
    description: str
    unit: str
    times: np.ndarray
    values: np.ndarray


def _elnino() -> TimeSeries:
    from statsmodels.datasets import elnino

    table = elnino.load_pandas().data
    years = table["YEAR"].to_numpy()
    monthly = table.drop(columns="YEAR").to_numpy()  # one row per year, January to December
    times = (years[:, None] + np.arange(12) / 12).ravel()
    return TimeSeries("elnino", "Monthly sea surface temperature off Peru and Ecuador (Nino 1+2), "
                      "1950-2010, NOAA", "°C", times, monthly.ravel())


def _sunspots() -> TimeSeries:
    from statsmodels.datasets import sunspots

    table = sunspots.load_pandas().data
    return TimeSeries("sunspots", "Yearly mean sunspot number, 1700-2008", "sunspots",
                      table["YEAR"].to_numpy(), table["SUNACTIVITY"].to_numpy())


def _co2() -> TimeSeries:
    from statsmodels.datasets import co2

    table = co2.load_pandas().data
    dates = table.index
    times = np.asarray(dates.year + (dates.dayofyear - 1) / 365.25, dtype=float)
    values = table["co2"].to_numpy(dtype=float, copy=True)
    missing = np.isnan(values)  # a few weeks without measurements: fill in linearly
    values[missing] = np.interp(times[missing], times[~missing], values[~missing])
    return TimeSeries("co2", "Weekly atmospheric CO2 at Mauna Loa, 1958-2001", "ppm", times, values)


TIME_SERIES = {"elnino": _elnino, "sunspots": _sunspots, "co2": _co2}


def load_time_series(name: str = "elnino") -> TimeSeries:
    """A public-domain time series that ships with statsmodels (no download).

    ``"elnino"``: 732 monthly sea temperatures; ``"sunspots"``: 309 yearly
    sunspot numbers; ``"co2"``: 2,284 weekly CO2 concentrations, with the 59
    missing weeks filled in linearly. Values come as ``float32``.
    """
    if name not in TIME_SERIES:
        raise ValueError(f"name must be one of {sorted(TIME_SERIES)}, got {name!r}.")
    series = TIME_SERIES[name]()
    return TimeSeries(series.name, series.description, series.unit,
                      np.asarray(series.times, dtype=float), np.asarray(series.values, dtype=np.float32))
# --- Notebooks 01-02: raw images for image-folder datasets ----------------------------
# Three offline sources of labelled pictures, each returned as a LabelledImages triple
# that starter_lib.folders writes to disk as one folder per class.

SHAPES = ("circle", "square", "triangle", "star")


class LabelledImages(NamedTuple):
    """Pictures with integer labels; ``class_names[label]`` names a label's class."""

    images: np.ndarray
    labels: np.ndarray
    class_names: list[str]


def face_images() -> LabelledImages:
    """scikit-image's LFW subset: 100 faces and 100 non-faces, 25x25 grey, ``uint8``.

    A real binary task that ships inside scikit-image. Classes are ``"face"``
    (label 0) and ``"non_face"`` (label 1), in the alphabetical order that
    ``keras.utils.image_dataset_from_directory`` gives class folders.
    """
    from skimage.data import lfw_subset

    pictures = lfw_subset()  # faces first, then non-faces; floats in [0, 1]
    images = np.round(pictures * 255).astype(np.uint8)
    labels = np.repeat(np.array([0, 1], dtype=np.int64), len(images) // 2)
    return LabelledImages(images, labels, ["face", "non_face"])


def rendered_digits(size: int = 32) -> LabelledImages:
    """scikit-learn's 1,797 handwritten digits, enlarged from 8x8 to ``size`` x ``size``.

    The 0-16 grey levels become 0-255 ``uint8``, so the pictures can be saved as
    PNG files like any photo. Class names are ``"0"`` to ``"9"``.
    """
    import cv2
    from sklearn.datasets import load_digits as sklearn_digits

    if not isinstance(size, int) or size < 8:
        raise ValueError(f"size must be a whole number of pixels, at least 8, got {size!r}.")
    digits = sklearn_digits()
    small = np.round(digits.images * (255 / 16)).astype(np.uint8)
    images = np.stack([cv2.resize(image, (size, size), interpolation=cv2.INTER_LINEAR) for image in small])
    return LabelledImages(images, digits.target.astype(np.int64), [str(digit) for digit in range(10)])


def shape_images(
    n_per_class: int | Sequence[int] = 100,
    size: int = 64,
    difficulty: float = 0.5,
    shapes: Sequence[str] = SHAPES[:3],
    seed: int = 0,
) -> LabelledImages:
    """Colour pictures of simple shapes drawn with OpenCV; the class is the shape.

    Parameters
    ----------
    n_per_class : pictures per class, or one number per class for an imbalanced set.
    size : height and width in pixels.
    difficulty : from 0 (a large shape in the middle, strong contrast, clean
        background) to 1 (any size, place and angle, weak contrast, noise and
        clutter lines).
    shapes : which of ``SHAPES`` to draw, one class each.
    seed : the same seed draws the same pictures.

    Returns RGB ``uint8`` images of shape ``(n, size, size, 3)``; class names are
    the shapes in alphabetical order.
    """
    counts = _per_class_counts(n_per_class, shapes)
    if not 0 <= difficulty <= 1:
        raise ValueError(f"difficulty must lie between 0 and 1, got {difficulty}.")
    if not isinstance(size, int) or size < 16:
        raise ValueError(f"size must be a whole number of pixels, at least 16, got {size!r}.")
    class_names = sorted(shapes)
    rng = np.random.default_rng(seed)
    images, labels = [], []
    for label, name in enumerate(class_names):
        for _ in range(counts[shapes.index(name)]):
            images.append(_draw_shape(name, size, difficulty, rng))
            labels.append(label)
    return LabelledImages(np.stack(images), np.array(labels, dtype=np.int64), class_names)


def _per_class_counts(n_per_class, shapes) -> list[int]:
    unknown = [shape for shape in shapes if shape not in SHAPES]
    if unknown or len(set(shapes)) != len(shapes) or len(shapes) < 2:
        raise ValueError(f"shapes must be two or more different names from {SHAPES}, got {tuple(shapes)}.")
    counts = [n_per_class] * len(shapes) if np.isscalar(n_per_class) else list(n_per_class)
    if len(counts) != len(shapes) or not all(isinstance(n, (int, np.integer)) and n > 0 for n in counts):
        raise ValueError(
            f"n_per_class must be a positive whole number or one per shape ({len(shapes)}), "
            f"got {n_per_class!r}."
        )
    return counts


def _draw_shape(name: str, size: int, difficulty: float, rng: np.random.Generator) -> np.ndarray:
    """One RGB picture of shape ``name``; ``difficulty`` widens every random choice."""
    import cv2

    background = rng.uniform(0, 255, size=3)
    contrast = 200 * (1 - 0.75 * difficulty)
    colour = np.clip(background + rng.choice([-1, 1], size=3) * contrast * rng.uniform(0.6, 1, size=3), 0, 255)
    image = np.empty((size, size, 3), dtype=np.float64)
    image[:] = background
    for _ in range(rng.poisson(4 * difficulty)):  # clutter: thin lines of any colour
        ends = rng.integers(0, size, size=4)
        cv2.line(image, ends[:2].tolist(), ends[2:].tolist(), rng.uniform(0, 255, size=3).tolist(), 1, cv2.LINE_AA)
    radius = size * rng.uniform(0.32 - 0.17 * difficulty, 0.32)
    room = size / 2 - radius - 1
    centre = size / 2 + rng.uniform(-room, room, size=2) * difficulty
    angle = rng.uniform(-np.pi, np.pi) * difficulty
    if name == "circle":
        cv2.circle(image, np.round(centre).astype(int).tolist(), int(round(radius)), colour.tolist(), -1, cv2.LINE_AA)
    else:
        cv2.fillPoly(image, [_polygon(name, centre, radius, angle)], colour.tolist(), cv2.LINE_AA)
    image += rng.normal(0, 30 * difficulty, size=image.shape)
    return np.clip(np.round(image), 0, 255).astype(np.uint8)


def _polygon(name: str, centre, radius: float, angle: float) -> np.ndarray:
    """Corner points of a square, triangle or five-pointed star, as OpenCV wants them."""
    if name == "star":
        turns = np.arange(10) * np.pi / 5
        radii = np.where(np.arange(10) % 2 == 0, radius, radius * 0.45)
    else:
        corners = {"square": 4, "triangle": 3}[name]
        turns = np.arange(corners) * 2 * np.pi / corners
        radii = np.full(corners, radius)
    turns = turns + angle - (np.pi / 4 if name == "square" else np.pi / 2)  # upright at angle 0
    points = centre + np.stack([radii * np.cos(turns), radii * np.sin(turns)], axis=1)
    return np.round(points).astype(np.int32)
