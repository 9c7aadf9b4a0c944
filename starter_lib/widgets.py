"""Interactive explorers for the notebooks, each built on a pure function.

The pure function draws one figure from plain arguments, so tests (and learners
without a live kernel) can call it directly; the explorer only wires sliders to
it. Only ``interactive``, sliders and dropdowns are used: they behave the same
on ipywidgets 7.7 (Colab's long-time default) and 8.
"""

from __future__ import annotations

import numpy as np

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
