"""Build the course: master notebooks from their text sources, then learner copies.

For every ``course/source/NN-name/NN-name.py`` (jupytext percent format, the
one source of truth) the build writes

1. the master notebook ``course/source/NN-name/NN-name.ipynb``, without outputs,
   framed with badges and the setup cell (see :mod:`autograder.authoring.frame`), the cells tagged
   ``hints`` moved into its metadata (see :mod:`starter_lib.hints`);
2. the learner copy ``notebooks/NN-name.ipynb`` with ``nbgrader generate_assignment``:
   solutions replaced by stubs, hidden tests removed, read-only cells locked;
3. the course map in ``README.md``, between its two marker comments.
"""

from __future__ import annotations

import filecmp
import shutil
import tempfile
from pathlib import Path

import jupytext
import nbformat
from nbgrader.utils import is_grade

from autograder.authoring import frame
from autograder.course import COURSE_DIR, LEARNER_DIR, REPO_ROOT, assignments, nbgrader_api
from starter_lib import hints, progress

KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
README = REPO_ROOT / "README.md"
MAP_START, MAP_END = "<!-- course-map:start -->", "<!-- course-map:end -->"
COURSE_OUTLINE = {
    "01": "Dataset creation", "02": "Data augmentation", "03": "Logistic regression",
    "04": "Multi-layer perceptron", "05": "Convolutional networks",
    "06": "Regularization and training control", "07": "Recurrent networks",
}


def take_hints(notebook: nbformat.NotebookNode) -> dict[str, list[str]]:
    """Remove the cells tagged ``hints`` from ``notebook``; return their items by the number of the exercise above."""
    kept, found, number = [], {}, None
    for cell in notebook.cells:
        headings = progress.EXERCISE_HEADING.findall(cell.source) if cell.cell_type == "markdown" else []
        number = progress.exercise_number(headings[-1]) if headings else number
        if hints.TAG in cell.metadata.get("tags", []):
            found[str(number)] = hints.items(cell.source)
        else:
            kept.append(cell)
    notebook.cells = kept
    return found


def master_from_source(source: Path, config: dict[str, str]) -> nbformat.NotebookNode:
    """Read a percent-format ``.py`` source into a clean, framed master notebook, its hints in its metadata."""
    notebook = jupytext.reads(source.read_text(encoding="utf-8"), fmt="py:percent")
    found = take_hints(notebook)
    notebook.metadata = {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}
    if found:
        notebook.metadata["keras_starter"] = {"hints": found}
    for index, cell in enumerate(notebook.cells):
        cell.id = cell.metadata.get("nbgrader", {}).get("grade_id") or f"cell-{index:02d}"
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    notebook = frame.framed(notebook, source.stem, config)
    nbformat.validate(notebook)
    return notebook


def write_masters(course_dir: Path, config: dict[str, str]) -> list[Path]:
    """Regenerate every master ``.ipynb`` from its ``.py`` source."""
    written = []
    for name in assignments(course_dir):
        folder = course_dir / "source" / name
        target = folder / f"{name}.ipynb"
        nbformat.write(master_from_source(folder / f"{name}.py", config), target)
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
            raise RuntimeError(f"nbgrader generate_assignment {name} failed:\n{result['log']}")
        target = learner_dir / f"{name}.ipynb"
        shutil.copyfile(course_dir / "release" / name / f"{name}.ipynb", target)
        written.append(target)
    return written


def course_map(course_dir: Path, config: dict[str, str]) -> str:
    """The README's course map: one row per notebook slot, with badges where it exists."""
    built = {name[:2]: name for name in assignments(course_dir)}
    rows = ["| # | notebook | open in | status |", "|---|---|---|---|"]
    for number, topic in COURSE_OUTLINE.items():
        name = built.get(number)
        if name is None:
            rows.append(f"| {number} | {topic} | | planned |")
            continue
        notebook = nbformat.read(course_dir / "source" / name / f"{name}.ipynb", as_version=4)
        graded = [c for c in notebook.cells if is_grade(c)]
        points = sum(c.metadata["nbgrader"]["points"] for c in graded)
        rows.append(f"| {number} | [{topic}](notebooks/{name}.ipynb) | {frame.badge_row(name, config)} "
                    f"| ready: {len(graded)} graded parts, {points:g} points |")
    return "\n".join(rows)


def write_course_map(course_dir: Path, readme: Path, config: dict[str, str]) -> Path:
    """Replace the text between the course-map markers of ``readme``."""
    text = readme.read_text(encoding="utf-8")
    before, rest = text.split(MAP_START, 1)
    _, after = rest.split(MAP_END, 1)
    readme.write_text(f"{before}{MAP_START}\n{course_map(course_dir, config)}\n{MAP_END}{after}", encoding="utf-8")
    return readme


def build(course_dir: Path = COURSE_DIR, learner_dir: Path = LEARNER_DIR, readme: Path = README) -> list[Path]:
    """Write master notebooks, learner copies and the course map; return the files written."""
    config = frame.settings()
    masters = write_masters(course_dir, config)
    return masters + release(course_dir, learner_dir) + [write_course_map(course_dir, readme, config)]


def stale_files(course_dir: Path = COURSE_DIR, learner_dir: Path = LEARNER_DIR, readme: Path = README) -> list[str]:
    """Generated files that differ from a fresh build (empty when all is current)."""
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        shutil.copytree(course_dir, scratch / "course", ignore=shutil.ignore_patterns(
            "release", "autograded", "submitted", "feedback", "gradebook.db", "*.ipynb"))
        shutil.copyfile(readme, scratch / readme.name)
        current = {scratch / "course": course_dir, scratch / "notebooks": learner_dir,
                   scratch / readme.name: readme}
        stale = []
        for fresh in build(scratch / "course", scratch / "notebooks", scratch / readme.name):
            top = scratch / fresh.relative_to(scratch).parts[0]
            existing = current[top] / fresh.relative_to(top) if top.is_dir() else current[top]
            if not existing.is_file() or not filecmp.cmp(fresh, existing, shallow=False):
                stale.append(str(existing.relative_to(REPO_ROOT)))
        return stale
