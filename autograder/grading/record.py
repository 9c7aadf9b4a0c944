"""Write sandboxed results into the gradebook with nbgrader's own ``autograde``.

The grader runs ``nbgrader autograde`` for each student in its own process,
one student at a time, after the sandbox has executed the notebook. The only
change to nbgrader's pipeline is that :class:`Replay` takes the place of
``Execute``: it copies the outputs the sandbox produced into the notebook
nbgrader has just sanitized, after checking that every cell's source is the
same. Everything else (students and submissions in the gradebook, timestamps
and late penalties, the ``autograded/`` folder, scores) is nbgrader's. Once the
class is recorded, nbgrader writes the feedback and ``grades.csv`` from here too.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.plugins import CsvExportPlugin
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from autograder.course import nbgrader_api
from autograder.grading import feedback, folders, prepare
from autograder.grading.interrupts import uninterrupted


class Replay(NbGraderPreprocessor):
    """Fill a sanitized notebook with the outputs of ``<executed_dir>/<student>.ipynb``."""

    executed_dir = Unicode("", help="folder of executed notebooks, one per student").tag(config=True)

    def preprocess(self, nb, resources):
        executed = nbformat.read(Path(self.executed_dir, f"{resources['nbgrader']['student']}.ipynb"),
                                 as_version=4)
        if [c.source for c in executed.cells] != [c.source for c in nb.cells]:
            raise ValueError("the executed notebook does not match the sanitized submission cell for cell")
        for cell, done in zip(nb.cells, executed.cells):
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = done.outputs, done.execution_count
        return nb, resources


def recording_api(course_dir: Path, executed_dir: Path, db_url: str | None = None, feedback_shows_all: bool = False):
    """An nbgrader API whose ``autograde`` sanitizes as :mod:`autograder.grading.prepare` does and replays outputs,
    and whose feedback hides the hidden tests unless ``feedback_shows_all``."""
    settings = {
        "Autograde.sanitize_preprocessors": prepare.sanitizers(),
        "Autograde.autograde_preprocessors": prepare.autograders(Replay),
        "Replay.executed_dir": str(executed_dir),
        "GenerateFeedback.preprocessors": feedback.chain(feedback_shows_all),
        "HideHiddenTests.grader_paths": [str(executed_dir.parent), str(course_dir), sys.prefix],
    }
    if db_url:
        settings["CourseDirectory.db_url"] = db_url
    return nbgrader_api(course_dir, **settings)


def record(api, assignment: str, student: str) -> None:
    """Run nbgrader's autograde for one student whose executed notebook is ready."""
    result = api.autograde(assignment, student, force=True, create=True)
    if not result["success"]:
        raise RuntimeError(f"nbgrader autograde failed for {student}:\n{result.get('error') or result['log']}")


def mark_flagged(api, assignment: str, student: str, flagged: bool) -> None:
    """Set nbgrader's own ``flagged`` mark, which formgrader shows, on the student's notebooks."""
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gradebook:
        for notebook in gradebook.find_submission(assignment, student).notebooks:
            notebook.flagged = flagged
        gradebook.db.commit()


def submission_scores(submission) -> dict[str, float]:
    """Score per graded cell plus ``"total"`` of one gradebook ``SubmittedAssignment``."""
    return {**{grade.name: grade.score for notebook in submission.notebooks for grade in notebook.grades},
            "total": submission.score}


def scores(api, assignment: str, student: str) -> dict[str, float] | None:
    """Score per graded cell plus ``"total"`` from the gradebook; ``None`` if never graded."""
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gradebook:
        try:
            return submission_scores(gradebook.find_submission(assignment, student))
        except MissingEntry:
            return None


def adjusted(api, assignment: str, student: str) -> bool:
    """Whether a person changed any of the student's scores by hand (formgrader's manual score)."""
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gradebook:
        submission = gradebook.find_submission(assignment, student)
        return any(grade.manual_score is not None for notebook in submission.notebooks for grade in notebook.grades)


def write_feedback(api, assignment: str, students: list[str]) -> list[str]:
    """Write nbgrader's HTML feedback for each student, test cells named by exercise; return those it failed for."""
    release = nbformat.read(folders.course_notebook(api, "release", assignment), as_version=4)
    titles = feedback.exercise_titles(release)
    failed = []
    for student in students:
        with uninterrupted():
            if not api.generate_feedback(assignment, student, force=True)["success"]:
                failed.append(student)
                continue
        for page in folders.course_folder(api, "feedback", assignment, student).glob("*.html"):
            feedback.name_test_cells(page, titles)
    return failed


def grades_csv(api, assignment: str, target: Path, late: set[str]) -> Path:
    """``grades.csv`` for ``assignment`` with nbgrader's CSV export plugin, plus a ``late`` column."""
    with uninterrupted(), Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gradebook:
        CsvExportPlugin(to=str(target), assignment=[assignment]).export(gradebook)
    with open(target, newline="", encoding="utf-8") as table:
        rows = list(csv.DictReader(table))
    with open(target, "w", newline="", encoding="utf-8") as table:
        writer = csv.DictWriter(table, fieldnames=[*(rows[0] if rows else ["student_id"]), "late"])
        writer.writeheader()
        writer.writerows({**row, "late": "yes" if row["student_id"] in late else "no"} for row in rows)
    return target


def as_now(api, assignment: str, report: dict) -> dict:
    """``report`` with the gradebook's total as it is now and whether a person adjusted a score by hand."""
    total = (scores(api, assignment, report["student"]) or {}).get("total", report["score"])
    return {**report, "score": total, "adjusted": adjusted(api, assignment, report["student"])}
