"""Before grading: compare a submission with the release, flag what changed, repair the rest.

nbgrader's own sanitizing step (``Autograde.sanitize_preprocessors``) already
restores the source of locked cells from the gradebook. It leaves cell tags
alone (a ``skip-execution`` tag on a test cell makes it pass unrun), grades
nothing for a deleted test cell, and tells nobody what it fixed.
:class:`Repair` joins that chain to clear tags and stray metadata and to put
deleted test cells back; :func:`compare` writes every difference down for the
student's report.
"""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat
from nbgrader.converters import Autograde
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import Execute, NbGraderPreprocessor, OverwriteCells
from nbgrader.utils import is_grade, is_locked, is_solution

from autograder.grading.state import Flag, Kind

# Tags that change how a cell is executed (nbclient and nbgrader honour them).
EXECUTION_TAGS = {"skip-execution", "raises-exception"}
# Cell metadata a grader keeps; everything else (tags included) is removed before grading.
KEPT = ("nbgrader", "editable", "deletable")
# Metadata that editors write on their own: removed, but not worth a flag.
EDITOR_KEYS = {"collapsed", "scrolled", "jupyter", "execution", "trusted", "lines_to_next_cell", "colab",
               "id", "outputId", "vscode", "ExecuteTime", "pycharm"}
NBGRADER_KEYS = ("grade", "solution", "locked", "task", "points")


def nbgrader_cells(notebook) -> dict[str, nbformat.NotebookNode]:
    """Cells with an nbgrader ``grade_id``, by id (the first one when ids repeat)."""
    cells = {}
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id is not None:
            cells.setdefault(grade_id, cell)
    return cells


def is_test(cell) -> bool:
    return bool(is_grade(cell)) and not is_solution(cell)


def compare(submitted, release) -> list[Flag]:
    """Flags for every way ``submitted`` departs from ``release`` in what grading relies on."""
    flags = []
    mine, theirs = nbgrader_cells(submitted), nbgrader_cells(release)
    for grade_id, original in theirs.items():
        cell = mine.get(grade_id)
        kind = "test cell" if is_test(original) else "answer cell" if is_solution(original) else "read-only cell"
        if cell is None:
            restored = " (restored for grading)" if is_test(original) else ""
            flags.append(Flag(Kind.DELETED, f"{kind} {grade_id}{restored}"))
            continue
        if is_locked(original) and cell.source.strip() != original.source.strip():
            flags.append(Flag(Kind.EDITED, f"{kind} {grade_id} (the original is graded)"))
        changed = [key for key in NBGRADER_KEYS
                   if cell.metadata.nbgrader.get(key) != original.metadata.nbgrader.get(key)]
        if changed or cell.cell_type != original.cell_type:
            flags.append(Flag(Kind.METADATA, f"{kind} {grade_id} changed {', '.join(changed) or 'cell type'} (restored)"))
    repeated = [cell.metadata.nbgrader["grade_id"] for cell in submitted.cells
                if "grade_id" in cell.metadata.get("nbgrader", {})]
    for grade_id in sorted({g for g in repeated if repeated.count(g) > 1}):
        flags.append(Flag(Kind.METADATA,
                          f"grade id {grade_id} appears {repeated.count(grade_id)} times (the first is graded)"))
    for index, cell in enumerate(submitted.cells):
        where = cell.metadata.get("nbgrader", {}).get("grade_id") or f"cell {index + 1}"
        tags = set(cell.metadata.get("tags", []))
        if tags & EXECUTION_TAGS:
            flags.append(Flag(Kind.TAGS, f"{', '.join(sorted(tags & EXECUTION_TAGS))} on {where} (removed)"))
        stray = set(cell.metadata) - set(KEPT) - EDITOR_KEYS - {"tags"}
        if stray and "nbgrader" in cell.metadata:
            flags.append(Flag(Kind.METADATA, f"unexpected {', '.join(sorted(stray))} on {where} (removed)"))
    return flags


def locate(notebook, cell) -> int | None:
    """Index in ``notebook`` of the cell matching ``cell`` by nbgrader id, else by cell id."""
    grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
    for index, candidate in enumerate(notebook.cells):
        if grade_id is not None and candidate.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            return index
        if grade_id is None and candidate.get("id") == cell.get("id"):
            return index
    return None


def restore_deleted_tests(submitted, release) -> None:
    """Put each test cell missing from ``submitted`` back after the cell it followed in the release."""
    for position, original in enumerate(release.cells):
        if not is_test(original) or locate(submitted, original) is not None:
            continue
        anchors = [locate(submitted, earlier) for earlier in release.cells[:position]]
        found = [index for index in anchors if index is not None]
        restored = nbformat.v4.new_code_cell(original.source, metadata=copy.deepcopy(original.metadata))
        submitted.cells.insert(found[-1] + 1 if found else 0, restored)


class Repair(NbGraderPreprocessor):
    """Clear tags and stray metadata, restore nbgrader metadata and deleted test cells from the release."""

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        coursedir = CourseDirectory(config=self.config)  # the course nbgrader's own steps are configured with
        folder = coursedir.format_path(coursedir.release_directory, ".", info["assignment"])
        release = nbformat.read(Path(folder, f"{info['notebook']}.ipynb"), as_version=4)
        self.originals = {grade_id: cell.metadata.nbgrader for grade_id, cell in nbgrader_cells(release).items()}
        nb, resources = super().preprocess(nb, resources)
        restore_deleted_tests(nb, release)
        return nb, resources

    def preprocess_cell(self, cell, resources, index):
        cell.metadata = nbformat.NotebookNode({key: cell.metadata[key] for key in KEPT if key in cell.metadata})
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in self.originals:
            cell.metadata.nbgrader = copy.deepcopy(self.originals[grade_id])
        return cell, resources


def sanitizers() -> list[type]:
    """nbgrader's sanitizing preprocessors with :class:`Repair` just before ``OverwriteCells``."""
    chain = list(Autograde.class_traits()["sanitize_preprocessors"].default())
    chain.insert(chain.index(OverwriteCells), Repair)
    return chain


def autograders(execute: type) -> list[type]:
    """nbgrader's autograding preprocessors with ``execute`` in place of ``Execute``."""
    return [execute if step is Execute else step
            for step in Autograde.class_traits()["autograde_preprocessors"].default()]


def sanitized(path: Path, config, resources: dict) -> nbformat.NotebookNode:
    """Run the sanitizing chain on one submitted notebook, as ``nbgrader autograde`` will."""
    notebook = nbformat.read(path, as_version=4)
    for step in sanitizers():
        notebook, resources = step(config=config)(notebook, resources)
    return notebook
