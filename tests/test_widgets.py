"""starter_lib.widgets: explorers are sliders around pure functions that work without a browser."""

import ipywidgets
import matplotlib.pyplot as plt
import skimage.data
from matplotlib.figure import Figure

from starter_lib import widgets

# --- Notebook 05: Harris corners ------------------------------------------------------


def test_harris_view_draws_response_and_corners_and_names_the_settings():
    fig = widgets.harris_view(skimage.data.chelsea(), block_size=3, ksize=5, k=0.06, threshold=0.05)
    assert isinstance(fig, Figure)
    title = fig.axes[1].get_title()
    assert title.startswith("blockSize=3, ksize=5, k=0.06: ") and title.endswith("corner pixels")


def test_a_higher_threshold_keeps_fewer_corners():
    image = skimage.data.chelsea()
    counts = [len(widgets.harris_view(image, threshold=t).axes[1].collections[0].get_offsets())
              for t in (0.001, 0.01, 0.1)]
    assert counts[0] > counts[1] > counts[2] > 0


def test_harris_explorer_offers_the_four_controls_and_draws_on_request():
    explorer = widgets.harris_explorer(skimage.data.camera()[::4, ::4])
    assert isinstance(explorer, ipywidgets.interactive)
    controls = {child.description: child for child in explorer.kwargs_widgets}
    assert set(controls) == {"blockSize", "ksize", "k", "threshold"}
    assert list(controls["ksize"].options) == [1, 3, 5, 7]
    plt.close("all")
    controls["blockSize"].value = 4
    assert plt.get_fignums() == [], "nothing is drawn before the button is pressed"
    explorer.update()
    assert len(plt.get_fignums()) == 1
    plt.close("all")
