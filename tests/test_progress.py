"""starter_lib.progress: one call lists each exercise as done, failing or not started."""

import json

import nbformat
import pytest
from notebook_tools import execute

from starter_lib import progress


def make_notebook():
    notebook = nbformat.v4.new_notebook()
    graded = {"nbgrader": {"grade": True, "points": 1}}
    notebook.cells = [
        nbformat.v4.new_markdown_cell("### Exercise 1: double"),
        nbformat.v4.new_code_cell("def double(x):\n    raise NotImplementedError()"),
        nbformat.v4.new_code_cell("assert double(2) == 4, 'double(2) should be 4'\nprint('ok')", metadata=graded),
        nbformat.v4.new_markdown_cell("### Exercise 2: train"),
        nbformat.v4.new_code_cell("assert model > 0\nprint('ok')", metadata=graded),
    ]
    return notebook


def test_each_check_cell_is_titled_by_the_heading_above_it():
    titles = [title for title, _, _ in progress.exercise_cells(make_notebook())]
    assert titles == ["Exercise 1: double", "Exercise 2: train"]


def not_implemented(x):
    raise NotImplementedError()


@pytest.mark.parametrize("namespace, expected", [
    ({"double": not_implemented}, [("not started", ""), ("not started", "run the cells above it first ('model' is not defined yet)")]),
    ({"double": lambda x: x + 1, "model": 1}, [("failing", "AssertionError: double(2) should be 4"), ("done", "")]),
    ({"double": lambda x: 2 * x, "model": 3}, [("done", ""), ("done", "")]),
    ({"double": lambda x: 2 * undefined_name, "model": -1}, [("failing", "NameError: name 'undefined_name' is not defined"), ("failing", "AssertionError")]),  # noqa: F821
])
def test_status_follows_the_learners_current_code(namespace, expected):
    rows = progress.exercise_status(make_notebook(), dict(namespace))
    assert [(row["status"], row["message"]) for row in rows] == expected


def test_show_progress_finds_the_notebook_jupyterlab_has_open(tmp_path, monkeypatch, capsys):
    path = tmp_path / "lesson.ipynb"
    path.write_text(json.dumps(make_notebook()))
    monkeypatch.setenv("JPY_SESSION_NAME", str(path))
    progress.show_progress()
    out = capsys.readouterr().out
    assert "Exercise 1: double  not started" in out and "0 of 2 exercises done." in out


def test_show_progress_finds_the_notebook_by_its_setup_name(tmp_path, monkeypatch, capsys):
    (tmp_path / "lesson.ipynb").write_text(json.dumps(make_notebook()))
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    monkeypatch.setenv(progress.NOTEBOOK_VARIABLE, "lesson")
    progress.show_progress()
    assert "0 of 2 exercises done." in capsys.readouterr().out


def test_show_progress_without_a_notebook_says_how_to_point_at_one(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    monkeypatch.delenv(progress.NOTEBOOK_VARIABLE, raising=False)
    progress.show_progress()
    assert "pass its path: show_progress('my-notebook.ipynb')" in capsys.readouterr().out


def test_an_exercise_keeps_its_title_past_later_section_headings():
    notebook = make_notebook()
    notebook.cells[0].source = "## 3. Reading rows\n\nSome text.\n\n### Exercise 1: double"
    notebook.cells.insert(1, nbformat.v4.new_markdown_cell("## 4. Vanishing gradients"))
    assert [title for title, _, _ in progress.exercise_cells(notebook)] == ["Exercise 1: double", "Exercise 2: train"]


def test_an_exercise_whose_answer_is_still_the_stub_is_not_started_even_where_its_check_fails_otherwise():
    notebook = make_notebook()
    notebook.cells[1].metadata["nbgrader"] = {"solution": True, "grade": False}
    notebook.cells[2].source = "assert trained, 'the model never trained'\nprint('ok')"
    namespace = {"double": not_implemented, "trained": False, "model": 1}
    assert progress.exercise_status(notebook, namespace)[0]["status"] == "not started"
    namespace["double"] = lambda x: 2 * x
    assert progress.exercise_status(notebook, namespace)[0] == {
        "exercise": "Exercise 1: double", "status": "failing", "message": "AssertionError: the model never trained"}


def test_a_name_made_inside_an_exercise_is_traced_to_that_exercise():
    notebook = make_notebook()
    notebook.cells[1].metadata["nbgrader"] = {"solution": True, "grade": False}
    notebook.cells.insert(0, nbformat.v4.new_code_cell("data = 1"))
    notebook.cells.insert(3, nbformat.v4.new_code_cell("doubled = double(data)"))
    notebook.cells.append(nbformat.v4.new_code_cell("print(doubled + 1)"))
    assert progress.exercise_making(notebook, "doubled", before="print(doubled + 1)") == "Exercise 1"
    assert progress.exercise_making(notebook, "double") == "Exercise 1"
    assert progress.exercise_making(notebook, "data") is None
    assert progress.exercise_making(notebook, "nowhere") is None


def test_an_answer_edited_after_it_ran_is_named_in_a_real_kernel(tmp_path):
    """The kernel ran one ``double``; the saved notebook holds another: progress says to run it again."""
    same = make_notebook()
    same.cells[1].source = "def double(x):\n    return 2 * x  # the code that ran"
    same.cells[1].metadata = {"nbgrader": {"solution": True}}
    nbformat.write(same, tmp_path / "same.ipynb")
    same.cells[1].source = "def double(x):\n    return x + 1"
    nbformat.write(same, tmp_path / "edited.ipynb")
    kernel = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in (
        "from starter_lib import progress", "def double(x):\n    return 2 * x  # the code that ran", "model = 1",
        "progress.show_progress('../edited.ipynb')\nprogress.show_progress('../same.ipynb')")])
    nbformat.write(kernel, tmp_path / "kernel.ipynb")
    printed = execute(tmp_path / "kernel.ipynb", tmp_path / "run").cells[-1].outputs[0].text
    edited, unchanged = printed.split("exercises done.")[:2]
    assert "Exercise 1: double  done: `double` was edited after it ran: run its cell again" in edited
    assert "edited" not in unchanged and "Exercise 1: double  done" in unchanged
