"""Helpers for tests that execute and grade real notebooks with real kernels."""

from __future__ import annotations

import copy
import os
import re
import shutil
from contextlib import contextmanager
from pathlib import Path

import nbformat
from nbclient import NotebookClient

SOLUTION_REGION = re.compile(r"### BEGIN SOLUTION\n.*?### END SOLUTION", re.DOTALL)


@contextmanager
def environment(**settings: str):
    """Set environment variables for the duration of a block."""
    saved = {key: os.environ.get(key) for key in settings}
    os.environ.update(settings)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def execute(path: Path, workdir: Path, timeout: int = 300, kernel_name: str = "python3") -> nbformat.NotebookNode:
    """Run a copy of a notebook top to bottom in ``workdir``, errors and all, as a learner would."""
    workdir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, workdir / path.name)
    notebook = nbformat.read(workdir / path.name, as_version=4)
    NotebookClient(notebook, timeout=timeout, kernel_name=kernel_name, allow_errors=True,
                   resources={"metadata": {"path": str(workdir)}}).execute()
    return notebook


def grade_id(cell) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def is_graded(cell) -> bool:
    return bool(cell.metadata.get("nbgrader", {}).get("grade"))


def errors(notebook) -> list[tuple[int, str, str]]:
    """``(cell index, exception name, message)`` for every error output."""
    return [(index, out.ename, out.evalue) for index, cell in enumerate(notebook.cells)
            if cell.cell_type == "code" for out in cell.outputs if out.output_type == "error"]


def stderr_outputs(notebook) -> list[tuple[int, str]]:
    return [(index, out.text) for index, cell in enumerate(notebook.cells) if cell.cell_type == "code"
            for out in cell.outputs if out.output_type == "stream" and out.name == "stderr"]


def images(notebook) -> int:
    """How many PNG images (plots) the notebook's outputs hold."""
    return sum("image/png" in out.get("data", {}) for cell in notebook.cells if cell.cell_type == "code"
               for out in cell.outputs)


def stdout_of(notebook, cell_id: str) -> str:
    """Everything the cell with id ``cell_id`` printed."""
    cell = next(cell for cell in notebook.cells if cell.get("id") == cell_id)
    return "".join(out.text for out in cell.outputs if out.output_type == "stream" and out.name == "stdout")


def with_solution(notebook, cell_grade_id: str, body: str):
    """A copy of ``notebook`` whose solution region in one cell is replaced by ``body``."""
    changed = copy.deepcopy(notebook)
    cells = [cell for cell in changed.cells if grade_id(cell) == cell_grade_id]
    assert len(cells) == 1, f"no single cell with grade_id {cell_grade_id!r}"
    source, count = SOLUTION_REGION.subn(lambda _: body, cells[0].source)
    assert count == 1, f"cell {cell_grade_id!r} has no solution region"
    cells[0].source = source
    return changed


def solved_learner_copy(name: str) -> nbformat.NotebookNode:
    """The learner copy of ``name`` with every solution cell taken from the master, and its setup
    cell run a second time (cell id ``setup-again``), as a learner who reruns it would."""
    from autograder.course import COURSE_DIR, LEARNER_DIR

    learner = nbformat.read(LEARNER_DIR / f"{name}.ipynb", as_version=4)
    master = nbformat.read(COURSE_DIR / "source" / name / f"{name}.ipynb", as_version=4)
    answers = {grade_id(c): c.source for c in master.cells if c.metadata.get("nbgrader", {}).get("solution")}
    for cell in learner.cells:
        if grade_id(cell) in answers:
            cell.source = answers[grade_id(cell)]
    setup_index = next(i for i, c in enumerate(learner.cells) if c.get("id") == "setup")
    again = nbformat.v4.new_code_cell(learner.cells[setup_index].source, id="setup-again")
    learner.cells.insert(setup_index + 1, again)
    return learner


def submit(course_dir: Path, assignment: str, student: str, notebook) -> None:
    """Place a notebook where nbgrader expects a student's submission."""
    folder = course_dir / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, folder / f"{assignment}.ipynb")


def copy_course(course_dir: Path, target: Path) -> Path:
    """A private copy of the course sources and config, without any grading state."""
    shutil.copytree(course_dir, target, ignore=shutil.ignore_patterns(
        "release", "submitted", "autograded", "feedback", "gradebook.db", ".nbgrader.log"))
    return target


def released_course(root: Path, *assignments: str, db_url: str | None = None):
    """``(course, db_url, api)``: a private copy of the course in ``root``, its gradebook at ``db_url``
    (by default an SQLite file beside it), the ``assignments`` released."""
    from autograder.course import COURSE_DIR, nbgrader_api

    course = copy_course(COURSE_DIR, root / "course")
    db_url = db_url or f"sqlite:///{root / 'gradebook.db'}"
    api = nbgrader_api(course, **{"CourseDirectory.db_url": db_url})
    for assignment in assignments:
        assert api.generate_assignment(assignment)["success"], f"nbgrader generate_assignment {assignment} failed"
    return course, db_url, api


def children(pid: int | str) -> list[str]:
    """Child process ids of ``pid``, whichever of its threads started them."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += task.read_text().split()
        except OSError:
            continue
    return found


def descendants(pid: int | str) -> dict[str, bytes]:
    """Every process below ``pid``, each with its command line."""
    found = {}
    for child in children(pid):
        try:
            found[child] = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        found.update(descendants(child))
    return found


def quoted_results(name: str) -> list[str]:
    """Every sentence of lesson ``name``'s source that quotes a result (an accuracy, a run time)."""
    from autograder.authoring import lint
    from autograder.course import SOURCE_DIR

    return [sentence for _, _, sentence in lint.quoted_results(lint.Lesson.read(SOURCE_DIR / name / f"{name}.py"))]
