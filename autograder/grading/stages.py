"""The four stages of grading one student: collect -> prepare -> execute -> record.

- :func:`find` and :func:`collect` read what each student handed in (a folder or an LMS
  zip), choose the notebook to grade, flag it (renamed, late...) and file it where
  nbgrader expects it;
- :func:`prepare` flags what the student changed or attempts, sanitizes the
  notebook with nbgrader's own chain and returns the :class:`~.worker.Task` to
  execute, or, for a notebook nobody can read, the outcome at once;
- execute is :mod:`.worker`, sent by :mod:`.executors` to a forked process or a
  Dask worker: a self-contained task in, an :class:`~.worker.Outcome` out;
- :func:`record` hands the outcome to ``nbgrader autograde`` and writes the report.

:mod:`.grade` only schedules them. Folders are nbgrader's own
(``CourseDirectory.format_path``), so a course that changes its directory
structure is read where it keeps its files.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TextIO

import nbformat
from nbgrader.api import Gradebook
from nbgrader.utils import find_all_files, is_locked

from autograder.grading import fingerprint, folders, scan, submissions, worker
from autograder.grading import prepare as repair  # the stage functions below are named prepare and record
from autograder.grading import record as gradebook_record
from autograder.grading.interrupts import uninterrupted
from autograder.grading.state import Flag, Kind, Result, Status, Submission

THREAD_VARIABLES = ("OMP_NUM_THREADS", "TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS")


@dataclass
class Limits:
    """What one notebook may use. ``cell_timeout=None`` takes ``Execute.timeout`` from the course config."""

    timeout: int = 600
    cell_timeout: int | None = None
    memory_mb: int = 4096

    def __post_init__(self):
        for name, value in vars(self).items():
            if value is not None and (not isinstance(value, int) or value <= 0):
                raise ValueError(f"{name} must be a positive whole number, got {value!r}")


@dataclass
class Assignment:
    """What every stage shares while one assignment is graded: its nbgrader API, limits and tests' checksum."""

    api: object  # nbgrader.apps.NbGraderAPI, bound to the course (see autograder.grading.record.recording_api)
    name: str
    limits: Limits

    def __post_init__(self):
        self.tests_sha256 = fingerprint.of_gradebook(self.api, self.name)
        self.cell_timeout = self.limits.cell_timeout or int(self.api.config.Execute.get("timeout", 30))

    def folder(self, step: str, student: str = ".") -> Path:
        return folders.course_folder(self.api, step, self.name, student)

    def notebook(self, step: str, student: str = ".") -> Path:
        return folders.course_notebook(self.api, step, self.name, student)

    def executed(self, student: str) -> Path:
        """Where the execute stage's notebook waits for ``nbgrader autograde`` (see ``record.Replay``)."""
        return Path(self.api.config.Replay.executed_dir, f"{student}.ipynb")

    def report(self, student: str) -> Path:
        return folders.reports_folder(self.api, self.name) / f"{student}.json"

    def resources(self, student: str) -> dict:
        return {"nbgrader": {"student": student, "assignment": self.name, "notebook": self.name,
                             "db_url": self.api.coursedir.db_url}}

    def max_score(self) -> float:
        with Gradebook(self.api.coursedir.db_url, self.api.coursedir.course_id) as gradebook:
            return gradebook.find_assignment(self.name).max_score


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- collect ---------------------------------------------------------------------------

def find(source: Path, scratch: Path, pattern: str, stream: TextIO,
         keep=lambda path, file_id: True) -> dict[str, submissions.Found]:
    """Every student's notebooks in ``source`` (a folder or a zip) for which ``keep(path, file_id)`` holds;
    raise when none matches ``pattern``."""
    root = source if source.is_dir() else submissions.unpack(source, scratch / "unpacked")
    found, unmatched = submissions.find(root, pattern)
    for path in unmatched:
        stream.write(f"skipped {path}: its name does not match the pattern {pattern!r}\n")
    matched = len(found)
    for handed_in in found.values():
        handed_in.notebooks = {path: file_id for path, file_id in handed_in.notebooks.items() if keep(path, file_id)}
    found = {name: handed_in for name, handed_in in found.items() if handed_in.notebooks}
    if matched and not found:
        raise ValueError(f"none of the notebooks in {source} belongs to this assignment (by its name or its cells)")
    if not found:
        seen = unmatched or [path.relative_to(root).as_posix() for path in sorted(root.rglob("*")) if path.is_file()]
        named = f" ({submissions.PATTERNS[pattern]})" if pattern in submissions.PATTERNS else ""
        raise ValueError(f"no notebook in {source} matches the pattern {pattern!r}{named}; names seen: "
                         f"{', '.join(map(repr, seen[:3])) if seen else 'none, it holds no files'}")
    return found


def collect(found: dict[str, submissions.Found], assignment: Assignment, due: datetime | None) -> list[Submission]:
    """Choose each student's notebook, flag it when late, and file it for nbgrader."""
    release_path = assignment.notebook("release")
    release = nbformat.read(release_path, as_version=4)
    collected = []
    for name, handed_in in sorted(found.items()):
        submissions.choose(handed_in, release_path.name, release)
        handed_in.flags += submissions.lateness(handed_in, due)
        sha = digest(handed_in.chosen)
        submissions.file_into(handed_in, assignment.folder("submitted", name), release_path.name, release_path)
        collected.append(Submission(name, handed_in.found_as, sha, list(handed_in.flags)))
    return collected


# --- prepare ---------------------------------------------------------------------------

def working_copy(api, folders: Iterable[Path]) -> dict[str, bytes]:
    """The files of ``folders`` but notebooks, by relative path: for a student, their own files plus the
    assignment's data files, what nbgrader's autograde folder holds."""
    ignore = list(api.coursedir.ignore) + ["*.ipynb", "timestamp.txt", "*.unreadable"]
    return {Path(name).relative_to(folder).as_posix(): Path(name).read_bytes()
            for folder in folders for name in find_all_files(str(folder), ignore)}


def cpu_share(sharing: int) -> int:
    """Cores for each of ``sharing`` kernels running at once on one machine."""
    return max(1, (os.cpu_count() or 1) // sharing)


def kernel_settings(sharing: int) -> dict[str, str]:
    """Course settings for the kernels, and a fair share of threads when several run at once."""
    settings = {"KERAS_STARTER_BUDGET": os.environ.get("KERAS_STARTER_BUDGET", "fast")}
    settings.update({name: os.environ.get(name, str(cpu_share(sharing))) for name in THREAD_VARIABLES})
    return settings


def task(assignment: Assignment, notebook, folders: Iterable[Path], sharing: int) -> worker.Task:
    """The task that executes ``notebook`` with the files of ``folders`` beside it, one of ``sharing`` kernels
    on its machine."""
    return worker.Task(notebook=nbformat.writes(notebook), files=working_copy(assignment.api, folders),
                       cell_timeout=assignment.cell_timeout, timeout=assignment.limits.timeout,
                       memory_mb=assignment.limits.memory_mb, env=kernel_settings(sharing), cpus=cpu_share(sharing),
                       course_root=str(assignment.api.coursedir.root))


def canary_task(assignment: Assignment, sharing: int) -> worker.Task:
    """The blank release as a task: it runs in the sandbox as if it were a student, before anyone is recorded."""
    release = nbformat.read(assignment.notebook("release"), as_version=4)
    return task(assignment, release, [assignment.folder("source")], sharing)


def blank_outcome(assignment: Assignment, submission: Submission) -> worker.Outcome:
    """The outcome of a notebook nobody can read: the blank release, every test failing with the reason.

    The student's own file is kept beside it as ``<notebook>.ipynb.unreadable``.
    """
    path = assignment.notebook("submitted", submission.student)
    aside = path.with_name(path.name + ".unreadable")
    if not aside.exists():
        shutil.copyfile(path, aside)
    shutil.copyfile(assignment.notebook("release"), path)
    notebook = repair.sanitized(path, assignment.api.config, assignment.resources(submission.student))
    worker.fail_unfinished(notebook, set(), "Unreadable", "not run: the submitted notebook could not be read")
    return worker.Outcome(nbformat.writes(notebook), Result(Status.UNREADABLE, 0.0))


def prepare(assignment: Assignment, submission: Submission, sharing: int) -> worker.Task | worker.Outcome:
    """Flag what ``submission`` changed or attempts; the task that executes it sanitized, or for a notebook
    that cannot be read, its outcome without running."""
    if not submission.unreadable:
        path = assignment.notebook("submitted", submission.student)
        try:
            release = nbformat.read(assignment.notebook("release"), as_version=4)
            original = nbformat.read(path, as_version=4)
            submission.flags += repair.compare(original, release)
            locked = {grade_id for grade_id, cell in repair.nbgrader_cells(release).items() if is_locked(cell)}
            submission.flags += scan.scan(original, trusted=locked)
            notebook = repair.sanitized(path, assignment.api.config, assignment.resources(submission.student))
        except Exception as error:  # noqa: BLE001 - this student's submission, nobody else's
            submission.flags.append(Flag(Kind.UNREADABLE, f"nbgrader could not prepare it ({type(error).__name__}: "
                                                          f"{error}); graded as blank"))
        else:
            folders = [assignment.folder("submitted", submission.student), assignment.folder("source")]
            return task(assignment, notebook, folders, sharing)
    return blank_outcome(assignment, submission)


# --- record ----------------------------------------------------------------------------

def record(assignment: Assignment, submission: Submission, outcome: worker.Outcome) -> dict:
    """Write the gradebook entry (nbgrader autograde), then the report that marks it done; an interrupt
    waits until both are written. Returns the report."""
    api, name, student = assignment.api, assignment.name, submission.student
    with uninterrupted():
        worker.write_atomically(assignment.executed(student), outcome.notebook)
        flags, status = submission.flags + outcome.result.flags, outcome.result.status
        try:
            gradebook_record.record(api, name, student)
        except Exception as error:  # noqa: BLE001 - keep the class going; the report says what failed
            status = Status.ERROR
            lines = str(error).strip().splitlines() or [type(error).__name__]
            flags.append(Flag(Kind.GRADER, f"{lines[0]} {lines[-1] if len(lines) > 1 else ''}".strip()
                              + "; grade this student again"))
            with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gradebook:
                gradebook.update_or_create_submission(name, student)
        gradebook_record.mark_flagged(api, name, student, bool(flags))
        cells = gradebook_record.scores(api, name, student) or {}
        limits = assignment.limits
        report = {"student": student, "assignment": name, "sha256": submission.sha256,
                  "tests_sha256": assignment.tests_sha256, "file": submission.found_as, "status": str(status),
                  "seconds": outcome.result.seconds, "score": cells.pop("total", None),
                  "max_score": assignment.max_score(), "cells": cells, "flags": [str(flag) for flag in flags],
                  "limits": {"timeout": limits.timeout, "cell_timeout": assignment.cell_timeout,
                             "memory_mb": limits.memory_mb}}
        path = assignment.report(student)
        path.parent.mkdir(parents=True, exist_ok=True)
        worker.write_atomically(path, json.dumps(report, indent=1))
        return report


def earlier_report(assignment: Assignment, submission: Submission) -> dict | None:
    """The earlier report of ``submission``'s student if it graded this very file and the gradebook has it.

    A report of a grader failure (a worker that died, nbgrader that failed) does not count.
    """
    path = assignment.report(submission.student)
    if not path.is_file():
        return None
    report = json.loads(path.read_text(encoding="utf-8"))
    if report.get("sha256") != submission.sha256 or Status(report.get("status", "error")).grade_again \
            or gradebook_record.scores(assignment.api, assignment.name, submission.student) is None:
        return None
    return report
