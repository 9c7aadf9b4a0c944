"""starter_lib.widgets: the pure functions behind the explorers, and their sliders."""

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
import pytest
import skimage.data
from matplotlib.figure import Figure

from starter_lib import widgets


def test_descent_with_rate_one_half_lands_at_the_bottom_in_one_step():
    assert widgets.descent_path(0.5, steps=3).tolist() == [4.0, 0.0, 0.0, 0.0]


def test_small_rates_crawl_and_rates_above_one_diverge():
    slow = widgets.descent_path(0.01, steps=20)
    assert 0 < slow[-1] < slow[0] and slow[-1] > 2.5
    diverging = widgets.descent_path(1.1, steps=20)
    assert np.all(np.abs(np.diff(np.abs(diverging))) > 0) and abs(diverging[-1]) > 100


def test_descent_rejects_nonsense():
    with pytest.raises(ValueError, match="need learning_rate > 0 and steps >= 1, got 0 and 5"):
        widgets.descent_path(0, steps=5)


def test_plot_descent_says_whether_it_diverges():
    assert widgets.plot_descent(1.2, 10).axes[0].get_title() == "learning rate 1.2, 10 steps: diverges"
    assert "ends at w = " in widgets.plot_descent(0.3, 10).axes[0].get_title()


def test_learning_rate_explorer_has_one_slider_per_setting_and_follows_them():
    explorer = widgets.learning_rate_explorer()
    rate, steps = explorer.children[:2]
    assert (rate.description, steps.description) == ("learning rate", "steps")
    assert rate.min == -3 and rate.max == pytest.approx(0.1)
    before = explorer.children[-1].value
    rate.value, steps.value = 1.1, 30
    assert explorer.kwargs == {"learning_rate": pytest.approx(1.1), "steps": 30}
    assert explorer.children[-1].value[:4] == b"\x89PNG" and explorer.children[-1].value != before


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
# --- Notebook 02: data augmentation -----------------------------------------------------

def square_photo():
    from skimage.data import chelsea

    return chelsea()[:120, 100:220]


def test_transform_image_with_no_settings_returns_the_picture_in_unit_floats():
    photo = square_photo()
    out = widgets.transform_image(photo)
    assert out.dtype == np.float32 and out.shape == photo.shape
    assert np.allclose(out, photo / 255, atol=1e-6)


def test_flip_mirrors_and_rotation_turns_counter_clockwise():
    photo = square_photo()
    assert np.allclose(widgets.transform_image(photo, flip=True), photo[:, ::-1] / 255, atol=1e-6)
    assert np.allclose(widgets.transform_image(photo, rotation=90), np.rot90(photo) / 255, atol=1e-5)


def test_a_shift_moves_pixels_right_and_down_and_fills_what_it_uncovers():
    photo = square_photo()
    out = widgets.transform_image(photo, shift_x=0.25, shift_y=0.25, fill_mode="constant")
    assert np.allclose(out[30:, 30:], photo[:90, :90] / 255, atol=1e-6)
    assert out[:30].max() == 0 and out[:, :30].max() == 0


def test_zooming_out_shrinks_the_picture_about_its_centre():
    grey = np.zeros((41, 41), np.uint8)
    grey[10:31, 10:31] = 255
    out = widgets.transform_image(grey, zoom=1.0, fill_mode="constant")  # half the size
    assert out[20, 20] == 1.0 and out[12, 12] == 0.0 and out[16, 16] == 1.0


def test_contrast_scales_the_spread_around_each_channel_mean_and_stays_in_range():
    photo = square_photo()
    flat = widgets.transform_image(photo, contrast=0.0)
    assert np.allclose(flat, (photo / 255).mean(axis=(0, 1)), atol=1e-5)
    strong = widgets.transform_image(photo, contrast=3.0)
    assert strong.min() == 0.0 and strong.max() == 1.0


@pytest.mark.parametrize("image, settings, message", [
    (np.zeros((2, 3, 4, 5)), {}, "expected one image"),
    (np.full((4, 4), 2.0), {}, "floats in \\[0, 1\\]"),
    (np.zeros((4, 4)), {"fill_mode": "mirror"}, "fill_mode must be one of"),
    (np.zeros((4, 4)), {"zoom": -1.0}, "need zoom > -1"),
])
def test_transform_image_names_bad_input(image, settings, message):
    with pytest.raises(ValueError, match=message):
        widgets.transform_image(image, **settings)


def test_plot_transform_shows_the_original_beside_the_result():
    fig = widgets.plot_transform(square_photo(), rotation=20)
    assert [ax.get_title() for ax in fig.axes] == ["original", "augmented"]


def test_augmentation_explorer_has_one_control_per_transform_and_redraws_on_change():
    import ipywidgets

    explorer = widgets.augmentation_explorer(square_photo())
    controls = {child.description: child for child in explorer.children
                if isinstance(child, (ipywidgets.Checkbox, ipywidgets.FloatSlider, ipywidgets.Dropdown))}
    assert list(controls) == ["flip", "rotation (deg)", "zoom out", "shift x", "shift y", "shear", "contrast", "fill"]
    picture = explorer.children[-1]
    assert isinstance(picture, ipywidgets.Image) and bytes(picture.value).startswith(b"\x89PNG")
    first = bytes(picture.value)
    controls["rotation (deg)"].value = 30
    controls["fill"].value = "wrap"
    assert explorer.kwargs["rotation"] == 30 and explorer.kwargs["fill_mode"] == "wrap"
    assert bytes(picture.value).startswith(b"\x89PNG") and bytes(picture.value) != first


def test_augmentation_explorer_names_bad_input():
    with pytest.raises(ValueError, match="expected one image"):
        widgets.augmentation_explorer(np.zeros(5))
