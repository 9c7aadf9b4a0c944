"""starter_lib.failures in a real kernel: a failing exercise shows one short block, other errors the usual traceback.

The kernel is this environment's; set ``KERAS_STARTER_EXTRA_KERNELS`` to more
Python interpreters (separated by ``os.pathsep``, each with ipykernel and
numpy) to run the same notebook on other IPython versions, e.g. Colab's 7.34.
"""

import json
import os
import re
import sys

import nbformat
import pytest

from notebook_tools import environment, execute

ANSI = re.compile(r"\x1b\[[0-9;]*m")
PYTHONS = [sys.executable, *filter(None, os.environ.get("KERAS_STARTER_EXTRA_KERNELS", "").split(os.pathsep))]
GRADED = {"nbgrader": {"grade": True, "grade_id": "test", "points": 1, "locked": True, "solution": False}}
SOLUTION = {"nbgrader": {"grade": False, "grade_id": "answer", "locked": False, "solution": True}}

CELLS = [  # (cell type, source, metadata)
    ("code", "import numpy as np\nfrom starter_lib import checks, failures\n\nfailures.install()", {}),
    ("markdown", "### Exercise 1 (2 points): the sigmoid", {}),
    ("code", "def sigmoid(z):\n    # YOUR CODE HERE\n    raise NotImplementedError()", SOLUTION),
    ("code", "checks.check_sigmoid(sigmoid)", GRADED),
    ("markdown", "### Exercise 2 (1 point): a wrong sigmoid", {}),
    ("code", "def tanh(z):\n    return np.tanh(z)", SOLUTION),
    ("code", "checks.check_sigmoid(tanh)", GRADED),
    ("markdown", "### Exercise 3 (1 point): broadcasting", {}),
    ("code", "def broken(z):\n    ones = np.ones(3)\n    return ones + np.ones(4)", SOLUTION),
    ("code", "checks.check_sigmoid(broken)", GRADED),
    ("code", "### BEGIN HIDDEN TESTS\nassert tanh(1) > 0.9, 'tanh(1) is about 0.76'\n### END HIDDEN TESTS", GRADED),
    ("markdown", "## Try things", {}),
    ("code", "1 / 0", {}),
    ("code", "sigmoid(0)", {}),
    ("code", "x = 1\nraise NotImplementedError()", {}),
]


def error_text(cell) -> tuple[str, str]:
    """The ename and the traceback text of the cell's one error output, colours removed."""
    [error] = [out for out in cell.outputs if out.output_type == "error"]
    return error.ename, ANSI.sub("", "\n".join(error.traceback))


@pytest.fixture(scope="module", params=PYTHONS)
def executed(request, tmp_path_factory):
    """The notebook above, executed with ``failures`` installed, in a kernel running ``request.param``."""
    root = tmp_path_factory.mktemp("failures")
    kernels = root / "share" / "kernels" / "under-test"
    kernels.mkdir(parents=True)
    (kernels / "kernel.json").write_text(json.dumps({
        "argv": [request.param, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "under test", "language": "python"}))
    notebook = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "under-test", "display_name": "under test",
                                                                 "language": "python"}})
    notebook.cells = [nbformat.v4.new_code_cell(source, metadata=metadata) if kind == "code" else
                      nbformat.v4.new_markdown_cell(source) for kind, source, metadata in CELLS]
    nbformat.write(notebook, root / "lesson.ipynb")
    with environment(JUPYTER_PATH=str(root / "share"), KERAS_STARTER_NOTEBOOK="lesson"):
        return execute(root / "lesson.ipynb", root / "run", kernel_name="under-test").cells


def test_a_stub_says_which_exercise_to_finish_and_where(executed):
    assert error_text(executed[3]) == ("NotImplementedError", "Exercise 1 (2 points): the sigmoid\nExercise 1 is not "
                                       "done yet: replace `raise NotImplementedError()` in the cell above with your answer.")


def test_a_failing_check_shows_the_exercise_and_its_message_only(executed):
    assert error_text(executed[6]) == ("CheckFailed", "Exercise 2 (1 point): a wrong sigmoid\n"
                                       "CheckFailed: sigmoid(0) should be 0.5, got 0.")


def test_an_error_in_the_learners_code_shows_their_line_not_the_library(executed):
    ename, text = error_text(executed[9])
    assert ename == "ValueError"
    lines = text.splitlines()
    assert lines[:3] == ["Exercise 3 (1 point): broadcasting", "In your broken, line 3:", "    return ones + np.ones(4)"]
    assert lines[3].startswith("ValueError: operands could not be broadcast together with shapes (3,) (4,)")
    assert len(lines) == 4 and "starter_lib" not in text


def test_a_hidden_test_shows_its_message_without_its_code(executed):
    assert error_text(executed[10]) == ("AssertionError", "Exercise 3 (1 point): broadcasting\n"
                                        "AssertionError: tanh(1) is about 0.76")


def test_errors_outside_the_exercises_keep_the_usual_traceback(executed):
    ename, text = error_text(executed[12])
    assert ename == "ZeroDivisionError" and "Traceback" in text and "----> 1 1 / 0" in text


def test_a_stub_called_from_another_cell_points_to_its_exercise(executed):
    assert error_text(executed[13])[1].endswith("Exercise 1 is not done yet: replace `raise NotImplementedError()` "
                                                "in its code cell with your answer.")


def test_a_stub_raised_in_the_running_cell_says_this_cell(executed):
    assert error_text(executed[14])[1] == ("This exercise is not done yet: replace `raise NotImplementedError()` "
                                           "in this cell with your answer.")
