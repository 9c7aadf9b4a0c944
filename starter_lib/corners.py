"""Harris corners with OpenCV, and the pictures that go with them.

The notebooks use these for the demonstration and the interactive explorer.
Computing the Harris response from image gradients is a graded exercise, so
this module never does it by hand: :func:`harris_opencv` calls
``cv2.cornerHarris``, and the self-checks compare a learner's answer with it.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import matplotlib.pyplot as plt
import numpy as np

SOBEL_SIZES = (1, 3, 5, 7)


def sample_photo_path(name: str = "chelsea.png") -> Path:
    """Path of a photo that ships with scikit-image (``chelsea.png``, ``coffee.png``...)."""
    import skimage.data

    path = Path(skimage.data.data_dir) / name
    if not path.is_file():
        shipped = sorted(p.name for p in path.parent.glob("*.png"))
        raise FileNotFoundError(f"scikit-image ships no {name!r}; expected one of {shipped}.")
    return path


def read_bgr(path: str | Path) -> np.ndarray:
    """Read a colour image with OpenCV: ``uint8`` of shape (height, width, 3), channels **B, G, R**.

    ``cv2.imread`` returns ``None`` for a missing or unreadable file; this raises instead.
    """
    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if image is None:
        raise FileNotFoundError(f"OpenCV could not read an image from {path}: expected an existing image file.")
    return image


def to_gray(image: np.ndarray, order: str = "rgb") -> np.ndarray:
    """A ``float32`` grey image in [0, 1] from a grey or colour ``uint8`` image.

    ``order`` says whether a colour image's channels are ``"rgb"`` (matplotlib,
    scikit-image) or ``"bgr"`` (OpenCV); the two weigh red and blue differently.
    """
    image = np.asarray(image)
    if order not in ("rgb", "bgr"):
        raise ValueError(f"order must be 'rgb' or 'bgr', got {order!r}.")
    if image.ndim == 3 and image.shape[2] == 3:
        code = cv2.COLOR_RGB2GRAY if order == "rgb" else cv2.COLOR_BGR2GRAY
        image = cv2.cvtColor(image, code)
    elif image.ndim != 2:
        raise ValueError(f"expected a grey (height, width) or colour (height, width, 3) image, got shape {image.shape}.")
    scale = 255.0 if image.dtype == np.uint8 else 1.0
    return image.astype(np.float32) / scale


def harris_opencv(gray: np.ndarray, block_size: int = 2, ksize: int = 3, k: float = 0.04) -> np.ndarray:
    """OpenCV's Harris response ``cv2.cornerHarris`` for a 2-D grey image.

    Parameters
    ----------
    block_size : side of the window over which gradient products are summed.
    ksize : size of the Sobel kernel that computes the gradients (1, 3, 5 or 7).
    k : weight of the trace term in ``det(M) - k * trace(M)**2``, usually 0.04-0.06.
    """
    gray = np.asarray(gray)
    if gray.ndim != 2:
        raise ValueError(f"expected a 2-D grey image, got shape {gray.shape}; convert with to_gray() first.")
    if ksize not in SOBEL_SIZES:
        raise ValueError(f"ksize must be one of {SOBEL_SIZES}, got {ksize}.")
    if int(block_size) < 1:
        raise ValueError(f"block_size must be a positive number of pixels, got {block_size}.")
    return cv2.cornerHarris(gray.astype(np.float32), int(block_size), int(ksize), float(k))


def corner_points(response: np.ndarray, threshold: float = 0.01) -> np.ndarray:
    """``(row, column)`` of every pixel whose response exceeds ``threshold`` times the largest.

    Returns an integer array of shape (n, 2); empty when the image has no positive response.
    """
    if not 0 < threshold < 1:
        raise ValueError(f"threshold is a fraction of the largest response, between 0 and 1; got {threshold}.")
    peak = float(np.max(response))
    if peak <= 0:
        return np.empty((0, 2), dtype=int)
    return np.argwhere(response > threshold * peak)


def plot_corners(image: np.ndarray, response: np.ndarray, points: np.ndarray, title: str = ""):
    """Two panels: the response map, and the RGB (or grey) image with the corners as red dots.

    The map's colours stop at the 99.5th percentile of the absolute response, so that
    a few very strong corners do not turn everything else black: red for corners
    (positive), blue for edges (negative), white for flat areas.
    """
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    limit = float(np.percentile(np.abs(response), 99.5)) or 1.0
    shown = left.imshow(response, cmap="coolwarm", vmin=-limit, vmax=limit)
    fig.colorbar(shown, ax=left, fraction=0.046)
    left.set_title("Harris response (red: corner, blue: edge)")
    right.imshow(image, cmap="gray" if np.ndim(image) == 2 else None)
    if len(points):
        right.scatter(points[:, 1], points[:, 0], s=6, c="red", marker="o")
    right.set_title(title or f"{len(points)} corner pixels")
    for ax in (left, right):
        ax.axis("off")
    fig.tight_layout()
    return fig
