"""autograder.authoring.lint: the course follows every rule, and each rule catches the fault it names."""

import subprocess
import sys

import pytest

from autograder.authoring import lint
from autograder.course import REPO_ROOT, SOURCE_DIR

LESSON = SOURCE_DIR / "03-logistic-regression" / "03-logistic-regression.py"
MESSAGED = 'assert np.allclose(softmax(np.array([5.0])), [1.0]), "softmax of a single score must be 1"'


def linted(tmp_path, old: str, new: str) -> list[str]:
    """The problems of notebook 03's source with ``old`` replaced by ``new`` once."""
    text = LESSON.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"notebook 03 no longer holds {old!r}"
    broken = tmp_path / LESSON.name
    broken.write_text(text.replace(old, new), encoding="utf-8")
    return lint.lint([broken])


def test_every_lesson_source_follows_every_rule():
    assert lint.lint() == []


def test_the_command_exits_0_on_the_course_and_1_on_a_missing_assert_message(tmp_path):
    course = subprocess.run([sys.executable, "-m", "autograder", "lint"], cwd=REPO_ROOT, capture_output=True, text=True)
    assert (course.returncode, course.stdout) == (0, "all lessons follow the rules\n")
    broken = tmp_path / LESSON.name
    broken.write_text(LESSON.read_text(encoding="utf-8").replace(MESSAGED, MESSAGED.rsplit(", ", 1)[0]), encoding="utf-8")
    found = subprocess.run([sys.executable, "-m", "autograder", "lint", str(broken)], cwd=REPO_ROOT,
                           capture_output=True, text=True)
    assert found.returncode == 1
    assert found.stdout == (f"{broken}:124: [assert-message] {lint.RULES['assert-message'].message}: "
                            "assert np.allclose(softmax(np.array([5.0])), [1.0])\n")


@pytest.mark.parametrize("rule, old, new, detail", [
    ("header", "**Time:** about 45 minutes", "About 45 minutes", "no '**Time:**'"),
    ("header-totals", "five graded parts worth 15", "four graded parts worth 15",
     "the header says four graded parts, the lesson has 5"),
    ("header-totals", "worth 15 points", "worth 12 points", "the header says 12 points, the graded cells give 15"),
    ("exercise-heading", "### Exercise 2 (3 points): a numerically stable softmax", "### Exercise 2 (3 points)",
     "Exercise 2 has no title after its points"),
    ("exercise-heading", "### Exercise 3 (2 points)", "### Exercise 4 (2 points)", "Exercise 4 should be Exercise 3"),
    ("exercise-points", "### Exercise 1 (2 points)", "### Exercise 1 (3 points)",
     "the heading says 3 points, its test cells give 2"),
    ("assert-message", MESSAGED, MESSAGED.rsplit(", ", 1)[0], "assert np.allclose(softmax(np.array([5.0])), [1.0])"),
    ("test-cell-ends-in-statement", 'print("sigmoid: checks passed.")', "sigmoid(0.0)", "sigmoid(0.0)"),
    ("names-imported", "import matplotlib.pyplot as plt\n", "", "'plt'"),
    ("keras-2-names", "epochs=epochs, batch_size=64", "nb_epoch=epochs, batch_size=64",
     "'nb_epoch' (Keras 3: epochs)"),
    ("figures-say-mode", "In fast mode, the default on a CPU, the code runs", "The code runs",
     "The code runs in under a minute on a laptop."),
    ("hints", '# %% [markdown] tags=["hints"]\n# 1. Apply 1 / (1 + e^(-z))', "# %% [markdown]\n# 1. Apply 1 / (1 + e^(-z))",
     "Exercise 1 has 0 hints cells"),
    ("hints", "# 3. One line: convert z to a float array", "# 4. Too many.\n# 3. One line: convert z to a float array",
     "Exercise 1 has 4 hints"),
])
def test_each_rule_names_the_fault_it_finds(tmp_path, rule, old, new, detail):
    found = linted(tmp_path, old, new)
    assert [line.split("] ", 1)[0].split("[")[-1] for line in found] == [rule]
    assert found[0].endswith(f"{lint.RULES[rule].message}: {detail}")


def test_a_cell_that_does_not_parse_is_reported_not_raised(tmp_path):
    [found] = linted(tmp_path, 'print("sigmoid: checks passed.")', 'print("sigmoid: checks passed."')
    assert "[syntax] a code cell does not parse: '(' was never closed" in found


def test_old_names_inside_a_coming_from_older_tutorials_note_are_fine(tmp_path):
    note = "# > **Coming from older tutorials?** `model.predict_classes(x)` no longer exists; write"
    assert linted(tmp_path, note, note + "\n# > and `fit_generator(...)` is now `fit(...)`.") == []
    assert linted(tmp_path, note, note + "\n#\n# Use `fit_generator(...)`.") != []
