"""starter_lib.plots: each function returns a figure with what it promises."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from starter_lib import plots


def test_image_grid_titles_each_image_with_its_class_name():
    images = np.random.default_rng(0).integers(0, 255, size=(10, 8, 8), dtype=np.uint8)
    fig = plots.image_grid(images, labels=list(range(10)), class_names=list("abcdefghij"), ncols=4)
    assert isinstance(fig, Figure)
    titles = [ax.get_title() for ax in fig.axes if ax.images]
    assert titles == list("abcdefghij") and len(fig.axes) == 12  # 3 rows of 4, two left empty


def test_image_grid_shows_colour_images():
    fig = plots.image_grid(np.zeros((2, 5, 5, 3), dtype=np.uint8))
    assert [ax.images[0].get_array().shape for ax in fig.axes] == [(5, 5, 3), (5, 5, 3)]


@pytest.mark.parametrize("images, message", [
    (np.zeros((0, 8, 8)), r"non-empty batch .* got shape \(0, 8, 8\)"),
    (np.zeros((8, 8)), r"got shape \(8, 8\)"),
])
def test_image_grid_rejects_what_is_not_a_batch(images, message):
    with pytest.raises(ValueError, match=message):
        plots.image_grid(images)


def test_image_grid_needs_one_label_per_image():
    with pytest.raises(ValueError, match="got 3 images but 2 labels"):
        plots.image_grid(np.zeros((3, 4, 4)), labels=[0, 1])


def test_training_curves_draw_training_and_validation_per_metric():
    logs = {"loss": [1.0, 0.5, 0.3], "val_loss": [1.1, 0.7, 0.6], "accuracy": [0.5, 0.8, 0.9],
            "val_accuracy": [0.4, 0.7, 0.8]}
    fig = plots.training_curves(logs)
    loss_ax, accuracy_ax = fig.axes
    assert [line.get_label() for line in loss_ax.lines] == ["training", "validation"]
    assert list(accuracy_ax.lines[1].get_ydata()) == [0.4, 0.7, 0.8]


def test_training_curves_compare_several_runs_on_one_plot():
    runs = {"sgd": {"loss": [2.0, 1.5]}, "adam": {"loss": [1.0, 0.4]}}
    fig = plots.training_curves(runs, metrics=("loss",))
    assert [line.get_label() for line in fig.axes[0].lines] == ["sgd: training", "adam: training"]


def test_training_curves_accept_a_keras_history():
    import keras

    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(np.zeros((4, 2)), np.zeros(4), epochs=2, verbose=0)
    fig = plots.training_curves(history, metrics=("loss",))
    assert len(fig.axes[0].lines[0].get_ydata()) == 2


def test_training_curves_reject_other_things():
    with pytest.raises(TypeError, match="expects a History.*got list"):
        plots.training_curves([1, 2])


def test_confusion_matrix_counts_true_rows_against_predicted_columns():
    fig = plots.confusion_matrix([0, 0, 1, 1, 1], [0, 1, 1, 1, 0], class_names=["cat", "dog"])
    image = fig.axes[0].images[0].get_array()
    assert image.tolist() == [[1, 1], [1, 2]]
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["cat", "dog"]


# --- Notebooks 06-07 ------------------------------------------------------------------

def test_variant_comparison_draws_one_panel_per_run_and_the_gaps():
    runs = {"base": {"loss": [1.0, 0.2], "val_loss": [1.1, 0.9]}, "dropout": {"loss": [1.0, 0.5], "val_loss": [1.0, 0.7]}}
    fig = plots.variant_comparison(runs, {"base": 0.7, "dropout": 0.2}, ncols=3)
    base_ax, dropout_ax, bars = fig.axes[:3]
    assert base_ax.get_title() == "base: gap 0.700" and dropout_ax.get_title() == "dropout: gap 0.200"
    assert [line.get_label() for line in base_ax.lines] == ["training", "validation"]
    assert sorted(patch.get_width() for patch in bars.patches) == [0.2, 0.7]


def test_variant_comparison_needs_a_gap_per_run():
    with pytest.raises(ValueError, match=r"gaps must name the same runs as histories: got \['a'\] for \['a', 'b'\]"):
        plots.variant_comparison({"a": {"loss": [1], "val_loss": [1]}, "b": {"loss": [1], "val_loss": [1]}}, {"a": 0.1})


def test_forecast_draws_the_truth_and_each_forecast():
    times = np.arange(5.0)
    fig = plots.forecast(times, times ** 2, {"naive": times, "LSTM": times ** 2 + 1}, unit="°C")
    ax = fig.axes[0]
    assert [line.get_label() for line in ax.lines] == ["truth", "naive", "LSTM"]
    assert list(ax.lines[2].get_ydata()) == [1, 2, 5, 10, 17] and ax.get_ylabel() == "°C"


def test_forecast_rejects_a_forecast_of_another_length():
    with pytest.raises(ValueError, match="forecast 'naive' has 4 values for 5 time steps"):
        plots.forecast(np.arange(5.0), np.arange(5.0), {"naive": np.arange(4.0)})


# --- Notebooks 04-05 ------------------------------------------------------------------

def test_compare_runs_draws_one_line_per_run_for_one_metric():
    runs = {"sgd": {"val_accuracy": [0.3, 0.5]}, "adam": {"val_accuracy": [0.8, 0.9], "loss": [1, 0]}}
    fig = plots.compare_runs(runs, "val_accuracy", title="optimizers")
    ax = fig.axes[0]
    assert [line.get_label() for line in ax.lines] == ["sgd", "adam"]
    assert list(ax.lines[1].get_ydata()) == [0.8, 0.9] and ax.get_title() == "optimizers"


def test_compare_runs_names_a_missing_metric():
    with pytest.raises(KeyError, match=r"runs \['sgd'\] have no 'val_accuracy'; they have \['loss'\]"):
        plots.compare_runs({"sgd": {"loss": [1.0]}})


def test_decision_boundary_shades_probabilities_and_marks_the_points():
    import keras

    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, activation="sigmoid")])
    model.set_weights([np.array([[4.0], [0.0]]), np.array([-2.0])])  # class 1 right of x = 0.5
    x = np.array([[0, 0], [1, 0], [0, 1], [1, 1]])
    fig = plots.decision_boundary(model, x, [0, 1, 0, 1], resolution=30)
    ax = fig.axes[0]
    assert len(ax.collections[-1].get_offsets()) == 4
    boundary = ax.collections[-2].get_paths()[0].vertices
    assert np.allclose(boundary[:, 0], 0.5, atol=0.05), "the 0.5 contour is the line x = 0.5"


def test_decision_boundary_needs_two_inputs():
    with pytest.raises(ValueError, match=r"points of shape \(n, 2\), got \(4, 3\)"):
        plots.decision_boundary(None, np.zeros((4, 3)), np.zeros(4))


# --- Notebooks 01-02: image-folder datasets ---------------------------------------------

def test_class_samples_gives_each_class_a_row_named_on_the_left():
    from starter_lib import data

    shapes = data.shape_images((4, 2, 3), size=16)
    fig = plots.class_samples(shapes.images, shapes.labels, shapes.class_names, per_class=3)
    assert len(fig.axes) == 9
    assert [fig.axes[row * 3].get_ylabel() for row in range(3)] == ["circle", "square", "triangle"]
    assert sum(bool(ax.images) for ax in fig.axes) == 3 + 2 + 3


def test_class_samples_names_bad_input():
    with pytest.raises(ValueError, match="one label each"):
        plots.class_samples(np.zeros((3, 4, 4)), [0, 1], ["a", "b"])


def test_class_counts_draws_one_bar_per_class_and_split():
    counts = {"train": {"cat": 8, "dog": 5}, "test": {"cat": 2, "dog": 1}}
    fig = plots.class_counts(counts)
    heights = [patch.get_height() for patch in fig.axes[0].patches]
    assert heights == [8, 5, 2, 1]
    assert [label.get_text() for label in fig.axes[0].get_xticklabels()] == ["cat", "dog"]
    with pytest.raises(ValueError, match="expected {split: {class name: count}}"):
        plots.class_counts({"cat": 3})


def test_training_curves_mark_whole_epochs_only():
    fig = plots.training_curves({"loss": [1.0, 0.6, 0.5], "val_loss": [1.1, 0.8, 0.7]}, metrics=("loss",))
    ticks = fig.axes[0].get_xticks()
    assert len(ticks) and all(float(tick).is_integer() for tick in ticks)
