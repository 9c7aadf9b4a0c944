"""Every course notebook, executed and graded for real (nbgrader, kernels, data).

For each assignment: nbgrader gives the learner copy with the master's answers
full marks, and that run of it is clean (no error, no stderr, every exercise
done, plots shown), as CI's colab stack checks on Colab's versions; the blank
learner copy gets exactly 0, and a copy with one wrong answer the marks of the
other parts only; the learner copy fails only at its exercise stubs. Every
failing exercise shows the short form of ``starter_lib.failures``: its title,
then at most seven lines.
"""

from __future__ import annotations

import re

import nbformat
import pytest

from autograder.course import COURSE_DIR, assignments, nbgrader_api
from autograder.grading.record import scores
from notebook_tools import (copy_course, environment, errors, grade_id, is_graded,
                            images, quoted_results, solved_learner_copy, stderr_outputs, stdout_of,
                            submit, with_solution)
from starter_lib import progress

# One wrong answer per notebook: (solution cell, replacement body, the test cell that must fail).
WRONG_ANSWERS = {
    # Notebooks 01-02
    "01-dataset-creation": ("imbalance_ratio", "return max(counts.values()) / min(counts.values())",
                            "test_imbalance_ratio"),
    "02-data-augmentation": ("build_augmenter", 'return keras.Sequential([keras.layers.RandomFlip("horizontal")])',
                             "test_build_augmenter"),
    "03-logistic-regression": ("sigmoid", "return np.tanh(z)", "test_sigmoid"),
    # notebooks 06-07
    "06-regularization": ("build_low_gap_model", "return build_mlp(image_shape, num_classes)",
                          "test_low_gap_model"),
    "07-recurrent-networks": ("make_windows",  # ignores the horizon: targets come one step too early
                              'series = np.asarray(series, dtype="float32")\n    '
                              "return keras.utils.timeseries_dataset_from_array(series[:, None], series[window:], "
                              "window, batch_size=batch_size, shuffle=shuffle)", "test_make_windows"),
    # Notebooks 04-05
    "04-multi-layer-perceptron": (  # scales before splitting: the test rows leak into the scaler
        "split_then_scale",
        "return train_test_split(preprocessor.fit_transform(x), y, test_size=test_size, stratify=y, random_state=seed)",
        "test_split_then_scale",
    ),
    "05-convolutional-networks": (  # ignores stride and padding
        "conv_output_length", "return length - kernel_size + 1", "test_conv_output_length",
    ),
}

# Every accuracy a lesson quotes for fast mode, and the fast run that shows it: the quote (the figure
# as group 1) and a line of the cell whose training prints it; its last val_accuracy is the measure.
FAST_FIGURES = {
    "03-logistic-regression": [(r"In fast mode, on 10,000 images for five epochs, Adam reaches about (\d+) %",
                                "history = train_logistic_regression(")],
    "04-multi-layer-perceptron": [(r"in fast mode, .* the hidden layer reaches about (\d+) %", "mlp_history = train_mlp(")],
    "05-convolutional-networks": [(r"Fast mode gives it four epochs .* there it reaches about (\d+) %",
                                   "cnn_history = train_cnn(")],
    "07-recurrent-networks": [(r"in fast mode on a few thousand images for two epochs it reaches about (\d+) %",
                               "reader.fit(")],
}
FAST_TOLERANCE = 3  # percentage points: the lessons say "about"

ASSIGNMENTS = assignments()
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_every_notebook_has_a_wrong_answer_case():
    assert sorted(WRONG_ANSWERS) == ASSIGNMENTS


def master_path(name):
    return COURSE_DIR / "source" / name / f"{name}.ipynb"


def points(name) -> dict[str, float]:
    notebook = nbformat.read(master_path(name), as_version=4)
    return {grade_id(c): c.metadata["nbgrader"]["points"] for c in notebook.cells if is_graded(c)}


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def graded(request, tmp_path_factory, mnist_settings, no_mnist):
    """Autograde three submissions of one assignment with nbgrader's Python API.

    The solution (the learner copy with the master's answers, which nbgrader
    runs with the master's hidden tests) and the blank learner copy are graded on MNIST when it can be
    had; the wrong answer with MNIST unavailable, so the bar is proven on the fallback data too. The
    release is the learner copy in ``notebooks/`` (test_build keeps them equal), and the hidden tests
    come after the visible checks, so the solution's and the blank copy's runs are the learner's own.
    """
    name = request.param
    course = copy_course(COURSE_DIR, tmp_path_factory.mktemp(name) / "course")
    api = nbgrader_api(course)
    assert api.generate_assignment(name)["success"]
    master = nbformat.read(master_path(name), as_version=4)
    cell, body, _ = WRONG_ANSWERS[name]
    runs = {
        "solution": (solved_learner_copy(name), mnist_settings),
        "blank": (nbformat.read(course / "release" / name / f"{name}.ipynb", as_version=4), mnist_settings),
        "wrong": (with_solution(master, cell, body), no_mnist),
    }
    for student, (notebook, settings) in runs.items():
        submit(course, name, student, notebook)
        with environment(**settings):
            result = api.autograde(name, student)
        assert result["success"], result["log"]
    executed = {student: nbformat.read(course / "autograded" / student / name / f"{name}.ipynb", as_version=4)
                for student in runs}
    return name, {student: scores(api, name, student) for student in runs}, executed


def short_failure(notebook, index: int) -> list[str]:
    """The lines of cell ``index``'s one error output, colours removed."""
    [text] = [ANSI.sub("", "\n".join(out.traceback)) for out in notebook.cells[index].outputs
              if out.output_type == "error"]
    return text.splitlines()


def test_solution_gets_full_marks(graded):
    name, results, _ = graded
    assert results["solution"]["total"] == sum(points(name).values()) > 0


def test_blank_learner_copy_gets_zero(graded):
    _, results, _ = graded
    assert results["blank"]["total"] == 0


def test_one_wrong_answer_loses_only_its_part(graded):
    name, results, _ = graded
    failing = WRONG_ANSWERS[name][2]
    expected = {cell: (0 if cell == failing else value) for cell, value in points(name).items()}
    assert {cell: results["wrong"][cell] for cell in expected} == expected


def test_the_graders_feedback_shows_the_wrong_answer_in_the_short_form(graded):
    name, _, executed = graded
    wrong = executed["wrong"]
    [index] = [i for i, cell in enumerate(wrong.cells) if grade_id(cell) == WRONG_ANSWERS[name][2]]
    lines = short_failure(wrong, index)
    title = dict(zip((grade_id(c) for c in wrong.cells if is_graded(c)), (t for t, _, _ in progress.exercise_cells(wrong))))
    assert lines[0] == title[WRONG_ANSWERS[name][2]] and len(lines) <= 8, lines
    assert "starter_lib" not in "\n".join(lines)


def test_solved_learner_copy_runs_clean_in_fast_mode(graded):
    """The solution nbgrader executed is the learner's run in fast mode: no second run needed."""
    name, _, executed = graded
    notebook = executed["solution"]
    assert errors(notebook) == []
    assert stderr_outputs(notebook) == []
    exercises = len(points(name))
    assert f"{exercises} of {exercises} exercises done." in stdout_of(notebook, "progress")
    assert images(notebook) >= 3, "a notebook shows its ideas as plots"


def test_every_accuracy_quoted_for_fast_mode_is_what_the_fast_run_reached(graded, mnist_file):
    name, _, executed = graded
    quotes = [sentence for sentence in quoted_results(name) if "fast mode" in sentence.lower() and "%" in sentence]
    figures = FAST_FIGURES.get(name, [])
    for sentence in quotes:
        assert any(re.search(pattern, sentence) for pattern, _ in figures), f"not in FAST_FIGURES: {sentence}"
    if figures and mnist_file is None:
        pytest.skip("the fast-mode figures are quoted for MNIST; this run had only the digits fallback")
    for pattern, line in figures:
        [figure] = [float(found.group(1)) for sentence in quotes if (found := re.search(pattern, sentence))]
        [cell] = [cell for cell in executed["solution"].cells if line in cell.source]
        printed = "".join(out.get("text", "") for out in cell.outputs if out.output_type == "stream")
        reached = 100 * float(re.findall(r"val_accuracy: (\d\.\d+)", printed)[-1])
        assert abs(reached - figure) <= FAST_TOLERANCE, f"{name} quotes about {figure:g} %, the fast run reached {reached:.1f} %"


def test_learner_copy_fails_only_at_exercise_stubs(graded):
    _, _, executed = graded
    notebook = executed["blank"]
    found = errors(notebook)
    graded_cells = [i for i, cell in enumerate(notebook.cells) if is_graded(cell)]
    first_exercise = min(graded_cells) - 1
    assert found, "the learner copy ran without a single failing check"
    assert found[0][0] >= first_exercise and found[0][1] == "NotImplementedError"
    # Stubs raise NotImplementedError; cells that use a stub's missing result raise NameError.
    assert {ename for _, ename, _ in found} <= {"NotImplementedError", "NameError"}
    assert set(graded_cells) <= {index for index, _, _ in found}
    assert stderr_outputs(notebook) == []
    assert f"0 of {len(graded_cells)} exercises done." in stdout_of(notebook, "progress")
    titles = [title for title, _, _ in progress.exercise_cells(notebook)]
    for index, title in zip(graded_cells, titles):  # the short form of starter_lib.failures, not a traceback
        lines = short_failure(notebook, index)
        assert lines[0] == title and len(lines) <= 8, lines
