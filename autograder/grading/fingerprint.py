"""Which tests a grade was given against: one checksum of everything that decides a score.

The checksum covers, per notebook of the assignment, each graded cell's id and
points and each test cell's source with its hidden tests. It is computed the
same way from the master notebook (what the instructor edits) and from the
gradebook (what ``nbgrader autograde`` grades against), so the grader can tell
when the gradebook is stale and which students were graded against old tests.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook
from nbgrader.utils import is_grade, is_solution

Part = tuple[str, str, float, "str | None"]  # notebook, grade id, points, test source (None: an answer cell)


def checksum(parts: list[Part]) -> str:
    return hashlib.sha256(json.dumps(sorted(parts)).encode()).hexdigest()


def of_master(path: Path) -> str:
    """The checksum of the tests in the master notebook at ``path``."""
    notebook = nbformat.read(path, as_version=4)
    parts = []
    for cell in notebook.cells:
        if is_grade(cell):
            source = None if is_solution(cell) else cell.source
            nbgrader = cell.metadata.nbgrader
            parts.append((path.stem, nbgrader["grade_id"], float(nbgrader["points"]), source))
    return checksum(parts)


def of_gradebook(api, assignment: str) -> str:
    """The checksum of the tests the gradebook holds for ``assignment``."""
    parts = []
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gradebook:
        for notebook in gradebook.find_assignment(assignment).notebooks:
            sources = {cell.name: cell.source for cell in notebook.source_cells}
            answers = {cell.name for cell in notebook.solution_cells}
            parts += [(notebook.name, cell.name, float(cell.max_score),
                       None if cell.name in answers else sources[cell.name]) for cell in notebook.grade_cells]
    return checksum(parts)
