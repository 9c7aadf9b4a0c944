"""The build: generated files are current, masters are clean, learner copies hold no answers."""

import re

import nbformat
import pytest

from autograder.authoring import build, lint
from autograder.course import COURSE_DIR, LEARNER_DIR, assignments

ASSIGNMENTS = assignments()
LEGACY_API = re.compile("|".join(lint.KERAS_2))  # the lesson linter's old Keras 2 names


def master(name):
    return nbformat.read(COURSE_DIR / "source" / name / f"{name}.ipynb", as_version=4)


def learner(name):
    return nbformat.read(LEARNER_DIR / f"{name}.ipynb", as_version=4)


def test_generated_files_are_current():
    assert build.stale_files() == [], "run `python -m autograder build` and commit the result"


def test_the_course_has_notebook_03():
    assert "03-logistic-regression" in ASSIGNMENTS


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_master_notebooks_carry_no_outputs(name):
    code = [cell for cell in master(name).cells if cell.cell_type == "code"]
    assert all(cell.outputs == [] and cell.execution_count is None for cell in code)


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_learner_copy_holds_no_solutions_or_hidden_tests(name):
    text = nbformat.writes(learner(name))
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"):
        assert marker not in text
    for cell in learner(name).cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            assert "raise NotImplementedError()" in cell.source


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_learner_copy_starts_with_a_locked_setup_cell(name):
    first_code = next(cell for cell in learner(name).cells if cell.cell_type == "code")
    assert first_code.metadata["nbgrader"]["grade_id"] == "setup"
    assert first_code.metadata["nbgrader"]["locked"] is True
    assert "env.setup(" in first_code.source


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_master_has_at_least_five_graded_parts(name):
    graded = [c for c in master(name).cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert len(graded) >= 5 and all(c.metadata["nbgrader"]["points"] > 0 for c in graded)


def test_legacy_keras_names_are_absent_from_the_library():
    from autograder.course import REPO_ROOT

    linter = REPO_ROOT / "autograder" / "authoring" / "lint.py"  # names the old API to catch it in lessons
    for path in [*REPO_ROOT.glob("starter_lib/**/*.py"), *REPO_ROOT.glob("autograder/**/*.py")]:
        assert path == linter or not LEGACY_API.search(path.read_text()), path


def test_text_sources_are_never_released(tmp_path):
    from autograder.course import nbgrader_api
    from notebook_tools import copy_course

    course = copy_course(COURSE_DIR, tmp_path / "course")
    assert nbgrader_api(course).generate_assignment(ASSIGNMENTS[0])["success"]
    released = {p.name for p in (course / "release" / ASSIGNMENTS[0]).iterdir()}
    assert released == {f"{ASSIGNMENTS[0]}.ipynb"}
