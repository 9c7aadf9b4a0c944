"""Build the course: master notebooks from their text sources, then learner copies.

For every ``course/source/NN-name/NN-name.py`` (jupytext percent format, the
one source of truth) the build writes

1. the master notebook ``course/source/NN-name/NN-name.ipynb``, without outputs;
2. the learner copy ``notebooks/NN-name.ipynb`` with ``nbgrader generate_assignment``:
   solutions replaced by stubs, hidden tests removed, read-only cells locked.
"""

from __future__ import annotations

import filecmp
import shutil
import tempfile
from pathlib import Path

import jupytext
import nbformat

from autograder.course import COURSE_DIR, LEARNER_DIR, assignments, nbgrader_api

KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}


def master_from_source(source: Path) -> nbformat.NotebookNode:
    """Read a percent-format ``.py`` source into a clean master notebook."""
    notebook = jupytext.reads(source.read_text(encoding="utf-8"), fmt="py:percent")
    notebook.metadata = {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}
    for index, cell in enumerate(notebook.cells):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        cell.id = grade_id or f"cell-{index:02d}"
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nbformat.validate(notebook)
    return notebook


def write_masters(course_dir: Path) -> list[Path]:
    """Regenerate every master ``.ipynb`` from its ``.py`` source."""
    written = []
    for name in assignments(course_dir):
        folder = course_dir / "source" / name
        target = folder / f"{name}.ipynb"
        nbformat.write(master_from_source(folder / f"{name}.py"), target)
        written.append(target)
    return written


def release(course_dir: Path, learner_dir: Path) -> list[Path]:
    """Run ``nbgrader generate_assignment`` and copy each learner notebook out."""
    api = nbgrader_api(course_dir)
    learner_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in assignments(course_dir):
        result = api.generate_assignment(name)
        if not result["success"]:
            raise RuntimeError(f"nbgrader generate_assignment {name} failed:\n{result['error']}")
        target = learner_dir / f"{name}.ipynb"
        shutil.copyfile(course_dir / "release" / name / f"{name}.ipynb", target)
        written.append(target)
    return written


def build(course_dir: Path = COURSE_DIR, learner_dir: Path = LEARNER_DIR) -> list[Path]:
    """Write master notebooks and learner copies; return the files written."""
    return write_masters(course_dir) + release(course_dir, learner_dir)


def stale_files(course_dir: Path = COURSE_DIR, learner_dir: Path = LEARNER_DIR) -> list[str]:
    """Generated files that differ from a fresh build (empty when all is current)."""
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        fresh_course = scratch / "course"
        shutil.copytree(course_dir, fresh_course, ignore=shutil.ignore_patterns(
            "release", "autograded", "submitted", "feedback", "gradebook.db", "*.ipynb"))
        built = build(fresh_course, scratch / "notebooks")
        stale = []
        for fresh in built:
            relative = fresh.relative_to(scratch)
            current = (course_dir.parent / relative)
            if not current.is_file() or not filecmp.cmp(fresh, current, shallow=False):
                stale.append(str(relative))
        return stale
