"""starter_lib.hints: every exercise ships two or three hints, shown one at a time, never in a cell."""

import json

import nbformat
import pytest

from autograder.course import COURSE_DIR, LEARNER_DIR, assignments
from starter_lib import hints, progress


@pytest.mark.parametrize("name", assignments(COURSE_DIR))
def test_the_learner_copy_ships_hints_for_every_exercise_and_no_cell_shows_them(name):
    learner = nbformat.read(LEARNER_DIR / f"{name}.ipynb", as_version=4)
    shipped = hints.hints_of(learner)
    numbers = [progress.exercise_number(title) for title, _, _ in progress.exercise_cells(learner)]
    assert sorted(shipped) == sorted(set(numbers))
    assert all(2 <= len(texts) <= 3 for texts in shipped.values())
    cells = "\n".join(cell.source for cell in learner.cells)
    assert not [text for texts in shipped.values() for text in texts if text in cells]


def notebook_with_hints(tmp_path):
    notebook = nbformat.v4.new_notebook()
    graded = {"nbgrader": {"grade": True, "points": 1}}
    notebook.cells = [
        nbformat.v4.new_markdown_cell("### Exercise 1 (1 point): one"),
        nbformat.v4.new_code_cell("print('nothing to check')", metadata=graded),
        nbformat.v4.new_markdown_cell("### Exercise 2 (1 point): two"),
        nbformat.v4.new_code_cell("assert 1 == 2, 'one is not two'", metadata=graded),
    ]
    notebook.metadata["keras_starter"] = {"hints": {"1": ["the idea", "the tool"],
                                                    "2": ["another idea", "another tool", "the shape"]}}
    path = tmp_path / "lesson.ipynb"
    path.write_text(json.dumps(notebook))
    return path


def test_hint_gives_the_next_hint_of_the_first_exercise_not_done_and_a_chosen_one_on_request(tmp_path, capsys):
    path = notebook_with_hints(tmp_path)
    hints._shown.clear()
    hints.hint(path=path)
    hints.hint(path=path)
    hints.hint(path=path)
    hints.hint(2, level=3, path=path)
    hints.hint(7, path=path)
    assert capsys.readouterr().out.splitlines() == [
        "Exercise 2, hint 1 of 3 (hint(2) again for the next):", "another idea",
        "Exercise 2, hint 2 of 3 (hint(2) again for the next):", "another tool",
        "Exercise 2, hint 3 of 3:", "the shape",
        "Exercise 2, hint 3 of 3:", "the shape",
        "There is no Exercise 7 here; the exercises are 1, 2.",
    ]


def test_the_progress_view_offers_a_hint_beside_a_failing_exercise(tmp_path, capsys):
    progress.show_progress(notebook_with_hints(tmp_path))
    out = capsys.readouterr().out
    assert "Exercise 1 (1 point): one  done\n" in out
    assert "Exercise 2 (1 point): two  failing: AssertionError: one is not two (stuck? hint(2))" in out


def test_hint_cells_are_read_as_numbered_items():
    text = "1. The idea,\n   on two lines.\n2. The function: `np.exp`.\n"
    assert hints.items(text) == ["The idea, on two lines.", "The function: `np.exp`."]
