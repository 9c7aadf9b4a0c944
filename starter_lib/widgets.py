"""Interactive explorers. Each is a pure plotting function plus a thin ipywidgets wrapper.

Only ``interactive`` and plain sliders are used, which behave the same on
ipywidgets 7.7 (Colab's long-time default) and 8.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np


LABEL_STYLE = {"description_width": "initial"}  # show slider labels in full


def _show(figure) -> None:
    """Display a figure inside a widget's output and free it."""
    from IPython.display import display

    display(figure)
    plt.close(figure)


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
    """Sliders for the learning rate and the number of steps of :func:`plot_descent`."""
    import ipywidgets

    return ipywidgets.interactive(
        lambda learning_rate, steps: _show(plot_descent(learning_rate, steps)),
        learning_rate=ipywidgets.FloatLogSlider(value=0.1, base=10, min=-3, max=0.1, step=0.1,
                                                description="learning rate", style=LABEL_STYLE),
        steps=ipywidgets.IntSlider(value=20, min=1, max=60, description="steps", style=LABEL_STYLE),
    )


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
