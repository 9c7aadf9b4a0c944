"""Interactive explorers. Each is a pure plotting function plus a thin ipywidgets wrapper.

Only ``interactive`` and plain sliders are used, which behave the same on
ipywidgets 7.7 (Colab's long-time default) and 8.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

LABEL_STYLE = {"description_width": "initial"}  # show slider labels in full


def _png(figure) -> bytes:
    """The figure as PNG bytes; the figure is closed."""
    import io

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    return buffer.getvalue()


# --- Notebook 03: the learning rate ---------------------------------------------------

def descent_path(learning_rate: float, steps: int = 20, start: float = 4.0) -> np.ndarray:
    """Positions of gradient descent on the bowl ``loss(w) = w**2``, from ``start``.

    Each step moves ``w`` by ``-learning_rate * 2 * w``: too small a rate crawls,
    above 1.0 every step overshoots further and the path diverges.
    """
    if learning_rate <= 0 or steps < 1:
        raise ValueError(f"need learning_rate > 0 and steps >= 1, got {learning_rate} and {steps}.")
    path = [start]
    for _ in range(steps):
        path.append(path[-1] - learning_rate * 2 * path[-1])
    return np.array(path)


def plot_descent(learning_rate: float, steps: int = 20):
    """The bowl and the descent path for one learning rate; returns the figure."""
    path = descent_path(learning_rate, steps)
    reach = max(5.0, min(float(np.abs(path).max()) * 1.1, 50.0))
    w = np.linspace(-reach, reach, 200)
    fig, ax = plt.subplots(figsize=(5.5, 3.2))
    ax.plot(w, w**2, color="grey")
    shown = np.clip(path, -reach, reach)
    ax.plot(shown, shown**2, "o-", color="tab:red", markersize=4)
    verdict = "diverges" if abs(path[-1]) > abs(path[0]) else f"ends at w = {path[-1]:.3g}"
    ax.set_title(f"learning rate {learning_rate:.3g}, {steps} steps: {verdict}")
    ax.set_xlabel("weight w")
    ax.set_ylabel("loss")
    fig.tight_layout()
    return fig


def learning_rate_explorer():
    """Sliders for the learning rate and the number of steps of :func:`plot_descent`.

    Draws into an ``Image`` widget, as :func:`augmentation_explorer` explains.
    """
    import ipywidgets

    picture = ipywidgets.Image(format="png")

    def draw(learning_rate, steps):
        picture.value = _png(plot_descent(learning_rate, steps))

    explorer = ipywidgets.interactive(
        draw,
        learning_rate=ipywidgets.FloatLogSlider(value=0.1, base=10, min=-3, max=0.1, step=0.1,
                                                description="learning rate", style=LABEL_STYLE),
        steps=ipywidgets.IntSlider(value=20, min=1, max=60, description="steps", style=LABEL_STYLE),
    )
    explorer.children = (*explorer.children, picture)
    return explorer


# --- Notebook 05: Harris corners ------------------------------------------------------


def harris_view(image: np.ndarray, block_size: int = 2, ksize: int = 3, k: float = 0.04,
                threshold: float = 0.01):
    """Figure of the Harris response of an RGB (or grey) image and the corners it finds.

    The arguments are those of ``cv2.cornerHarris``, plus the share of the
    largest response above which a pixel counts as a corner.
    """
    from starter_lib import corners

    response = corners.harris_opencv(corners.to_gray(image), block_size, ksize, k)
    points = corners.corner_points(response, threshold)
    title = f"blockSize={block_size}, ksize={ksize}, k={k:.2f}: {len(points)} corner pixels"
    return corners.plot_corners(image, response, points, title=title)


def harris_explorer(image: np.ndarray):
    """Sliders for blockSize, ksize, k and the threshold; a button redraws :func:`harris_view`.

    The button (``manual`` mode) also means nothing is drawn when the explorer is
    created: headless runners such as nbclient, which nbgrader uses, can stall
    on output captured by a widget while a cell runs (nbclient issue 312).
    """
    import ipywidgets
    import matplotlib.pyplot as plt

    def show(block_size, ksize, k, threshold):
        harris_view(image, block_size, ksize, k, threshold)
        plt.show()

    return ipywidgets.interactive(
        show,
        {"manual": True, "manual_name": "Find corners"},
        block_size=ipywidgets.IntSlider(value=2, min=2, max=10, description="blockSize"),
        ksize=ipywidgets.Dropdown(options=[1, 3, 5, 7], value=3, description="ksize"),
        k=ipywidgets.FloatSlider(value=0.04, min=0.01, max=0.2, step=0.01, description="k"),
        threshold=ipywidgets.FloatLogSlider(value=0.01, base=10, min=-4, max=-0.5, step=0.1,
                                            description="threshold"),
    )


# --- Notebook 02: data augmentation ---------------------------------------------------
# The explorer sets each transform by hand where the Random* layers draw it at random.

FILL_MODES = ("reflect", "nearest", "constant", "wrap")


def transform_image(
    image,
    flip: bool = False,
    rotation: float = 0.0,
    zoom: float = 0.0,
    shift_x: float = 0.0,
    shift_y: float = 0.0,
    shear: float = 0.0,
    contrast: float = 1.0,
    fill_mode: str = "reflect",
) -> np.ndarray:
    """Apply fixed augmentation settings to one image, with the conventions of Keras' layers.

    Parameters
    ----------
    image : ``(height, width)`` or ``(height, width, channels)``, ``uint8`` (0-255)
        or floats in [0, 1].
    flip : mirror left to right (``RandomFlip("horizontal")``).
    rotation : degrees, positive turns counter-clockwise (``RandomRotation``).
    zoom : positive zooms out, negative zooms in, as a fraction (``RandomZoom``).
    shift_x, shift_y : fractions of the width and height; positive moves right
        and down (``RandomTranslation``).
    shear : slant along x; each row moves by ``shear`` times its distance from
        the centre row (``RandomShear``).
    contrast : 1 keeps the image, 0 makes it flat grey, 2 doubles the spread
        around each channel's mean (``RandomContrast``).
    fill_mode : how pixels that come from outside the image are filled, one of ``FILL_MODES``.

    Returns ``float32`` values in [0, 1], of the input's shape.
    """
    import cv2

    pixels = _unit_float(image)
    if fill_mode not in FILL_MODES:
        raise ValueError(f"fill_mode must be one of {FILL_MODES}, got {fill_mode!r}.")
    if zoom <= -1 or contrast < 0:
        raise ValueError(f"need zoom > -1 and contrast >= 0, got zoom={zoom} and contrast={contrast}.")
    height, width = pixels.shape[:2]
    centre = np.array([(width - 1) / 2, (height - 1) / 2])
    angle = np.deg2rad(rotation)
    linear = (np.array([[np.cos(angle), np.sin(angle)], [-np.sin(angle), np.cos(angle)]])  # y points down
              @ np.array([[1.0, shear], [0.0, 1.0]])
              @ np.diag([-1.0 if flip else 1.0, 1.0]) / (1 + zoom))
    offset = centre + np.array([shift_x * width, shift_y * height]) - linear @ centre
    borders = {"reflect": cv2.BORDER_REFLECT, "nearest": cv2.BORDER_REPLICATE,
               "constant": cv2.BORDER_CONSTANT, "wrap": cv2.BORDER_WRAP}
    moved = cv2.warpAffine(pixels, np.hstack([linear, offset[:, None]]), (width, height),
                           flags=cv2.INTER_LINEAR, borderMode=borders[fill_mode], borderValue=0)
    moved = moved.reshape(pixels.shape)
    mean = moved.mean(axis=(0, 1), keepdims=True)
    return np.clip((moved - mean) * contrast + mean, 0, 1).astype(np.float32)


def _unit_float(image) -> np.ndarray:
    """``image`` as ``float32`` in [0, 1], or a ValueError saying what came instead."""
    image = np.asarray(image)
    if image.ndim not in (2, 3) or image.size == 0:
        raise ValueError(f"expected one image of shape (height, width) or (height, width, channels), "
                         f"got shape {image.shape}.")
    if image.dtype == np.uint8:
        return image.astype(np.float32) / 255
    if image.min() < 0 or image.max() > 1:
        raise ValueError(f"expected uint8 pixels or floats in [0, 1], got floats from "
                         f"{image.min():.3g} to {image.max():.3g}.")
    return image.astype(np.float32)


def plot_transform(image, **settings):
    """The original image beside :func:`transform_image`'s result; returns the figure."""
    changed = transform_image(image, **settings)
    fig, axes = plt.subplots(1, 2, figsize=(7, 2.8))
    for ax, picture, title in zip(axes, (_unit_float(image), changed), ("original", "augmented")):
        ax.imshow(picture, cmap="gray" if picture.ndim == 2 else None, vmin=0, vmax=1)
        ax.set_title(title)
        ax.axis("off")
    fig.tight_layout()
    return fig


def augmentation_explorer(image):
    """One control per transform of :func:`transform_image`, drawing the result for ``image``.

    The drawing goes to an ``Image`` widget rather than the explorer's output area: output
    captured by an ipywidgets ``Output`` makes nbclient (so nbconvert and nbgrader) send
    messages to the kernel while it waits for a reply, which can stall a notebook run until
    the cell timeout (jupyter/nbclient issue 312). Large photos are shown at most about 240
    pixels high or wide, which keeps the sliders responsive.
    """
    import ipywidgets

    _unit_float(image)  # fail here, with a clear message, rather than inside the widget
    step = max(1, max(np.shape(image)[:2]) // 240)
    image = np.asarray(image)[::step, ::step]
    picture = ipywidgets.Image(format="png")

    def draw(**settings):
        picture.value = _png(plot_transform(image, **settings))

    def slider(low, high, step, description, value=0.0):
        return ipywidgets.FloatSlider(value=value, min=low, max=high, step=step, description=description,
                                      continuous_update=False)

    explorer = ipywidgets.interactive(
        draw,
        flip=ipywidgets.Checkbox(value=False, description="flip"),
        rotation=slider(-180, 180, 5, "rotation (deg)"),
        zoom=slider(-0.5, 0.5, 0.05, "zoom out"),
        shift_x=slider(-0.5, 0.5, 0.05, "shift x"),
        shift_y=slider(-0.5, 0.5, 0.05, "shift y"),
        shear=slider(-0.5, 0.5, 0.05, "shear"),
        contrast=slider(0, 2, 0.1, "contrast", value=1.0),
        fill_mode=ipywidgets.Dropdown(options=list(FILL_MODES), value="reflect", description="fill"),
    )
    explorer.children = (*explorer.children, picture)
    return explorer
