"""Grade a class: ``python -m autograder grade ASSIGNMENT SUBMISSIONS``.

For each student, in this order:

1. **collect** (:mod:`autograder.submissions`): find the notebook, file it at
   ``submitted/<student>/<assignment>/`` as nbgrader expects;
2. **prepare** (:mod:`autograder.prepare`, :mod:`autograder.scan`): sanitize it
   with nbgrader's own chain plus :class:`~autograder.prepare.Repair`, and
   flag every change and every suspicious line;
3. **execute** (:mod:`autograder.worker`): a worker runs it in the sandbox under
   the time and memory limits, several students at once: a forked process here,
   or a Dask worker anywhere (:mod:`autograder.executors`);
4. **record** (:mod:`autograder.record`): back in this process, one student at
   a time, ``nbgrader autograde`` writes the scores into the gradebook, then a
   JSON report marks the student done.

The blank release runs once in the sandbox first (the canary), beside the
first students: a read-only cell that fails there stops grading before anyone
is recorded. Then nbgrader writes the feedback and ``grades.csv``. Only this process
touches the gradebook. A student whose report matches the submission's checksum
and the tests' checksum (:mod:`autograder.fingerprint`) is skipped on a re-run,
so a run that was stopped resumes where it stopped, and a changed test grades
again exactly the students graded against the old one.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
import warnings
import zipfile
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TextIO

import nbformat
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.plugins import CsvExportPlugin
from nbgrader.utils import find_all_files
from sqlalchemy.exc import SAWarning

from autograder import (bytecode, cgroups, executors, feedback, fingerprint, prepare, record, sandbox, scan,
                        submissions, worker)
from autograder.course import COURSE_DIR, nbgrader_api
from autograder.interrupts import uninterrupted
from autograder.progress import Progress, summary_table

THREAD_VARIABLES = ("OMP_NUM_THREADS", "TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS")
GRADER_FAILURES = ("grader stopped", "error")  # statuses a re-run grades again

# nbgrader 0.9's Gradebook.add_submission trips SQLAlchemy 2's autoflush warnings on a new
# submission; the rows are written all the same (the tests read them back).
warnings.filterwarnings("ignore", category=SAWarning, module=r"nbgrader\.api")


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
class Student:
    """One student's way through the grader."""

    submission: submissions.Submission
    sha256: str
    flags: list[str]
    running: executors.LocalRun | executors.DaskRun | None = None
    result: dict | None = None  # known without running: an unreadable submission

    def finished(self) -> bool:
        return self.result is not None or self.running.done()

    @property
    def name(self) -> str:
        return self.submission.student


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def ensure_released(api, assignment: str) -> Path:
    """The release notebook of ``assignment``, running ``generate_assignment`` if it is missing or stale.

    Stale: the master's tests (hidden ones included) or points differ from the gradebook's.
    """
    release = Path(api.coursedir.root, "release", assignment, f"{assignment}.ipynb")
    master = Path(api.coursedir.root, "source", assignment, f"{assignment}.ipynb")
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gradebook:
        try:
            gradebook.find_assignment(assignment)
            known = True
        except MissingEntry:
            known = False
    if not (known and release.is_file() and fingerprint.of_master(master) == fingerprint.of_gradebook(api, assignment)):
        with uninterrupted():
            result = api.generate_assignment(assignment, force=True)
        if not result["success"]:
            raise RuntimeError(f"nbgrader generate_assignment {assignment} failed:\n{result['log']}")
    notebooks = sorted(release.parent.glob("*.ipynb"))
    if notebooks != [release]:
        raise ValueError(f"expected one notebook per assignment, {release.name}; "
                         f"{release.parent} holds {[p.name for p in notebooks]}")
    return release


def find_submissions(source: Path, scratch: Path, pattern: str, stream: TextIO,
                     keep=lambda path, file_id: True) -> dict[str, submissions.Submission]:
    """Every student's notebooks in ``source`` (a folder or a zip) for which ``keep(path, file_id)`` holds;
    raise when none matches ``pattern``."""
    root = source if source.is_dir() else submissions.unpack(source, scratch / "unpacked")
    found, unmatched = submissions.find(root, pattern)
    for path in unmatched:
        stream.write(f"skipped {path}: its name does not match the pattern {pattern!r}\n")
    matched = len(found)
    for submission in found.values():
        submission.notebooks = {path: file_id for path, file_id in submission.notebooks.items() if keep(path, file_id)}
    found = {name: submission for name, submission in found.items() if submission.notebooks}
    if matched and not found:
        raise ValueError(f"none of the notebooks in {source} belongs to this assignment (by its name or its cells)")
    if not found:
        seen = unmatched or [path.relative_to(root).as_posix() for path in sorted(root.rglob("*")) if path.is_file()]
        named = f" ({submissions.PATTERNS[pattern]})" if pattern in submissions.PATTERNS else ""
        raise ValueError(f"no notebook in {source} matches the pattern {pattern!r}{named}; names seen: "
                         f"{', '.join(map(repr, seen[:3])) if seen else 'none, it holds no files'}")
    return found


def collect(found: dict[str, submissions.Submission], assignment: str, release_path: Path,
            submitted_dir: Path, due: datetime | None) -> list[Student]:
    """Choose each student's notebook, flag it when late, and file it for nbgrader."""
    release = nbformat.read(release_path, as_version=4)
    students = []
    for name, submission in sorted(found.items()):
        submissions.choose(submission, release_path.name, release)
        submission.flags += submissions.lateness(submission, due)
        sha = digest(submission.chosen)
        submissions.file_into(submission, submitted_dir / name / assignment, release_path.name, release_path)
        students.append(Student(submission, sha, list(submission.flags)))
    return students


def report_path(api, assignment: str, student: str) -> Path:
    return Path(api.coursedir.root, "reports", assignment, f"{student}.json")


def earlier_report(api, assignment: str, student: Student) -> dict | None:
    """The earlier report of ``student`` if it graded this very submission and the gradebook has it.

    A report of a grader failure (a worker that died, nbgrader that failed) does not count.
    """
    path = report_path(api, assignment, student.name)
    if not path.is_file():
        return None
    report = json.loads(path.read_text(encoding="utf-8"))
    if report.get("sha256") != student.sha256 or report.get("status") in GRADER_FAILURES \
            or record.scores(api, assignment, student.name) is None:
        return None
    return report


def working_copy(api, folders: Iterable[Path]) -> dict[str, bytes]:
    """The files of ``folders`` but notebooks, by relative path: for a student, their own files plus the
    assignment's data files, what nbgrader's autograde folder holds."""
    ignore = list(api.coursedir.ignore) + ["*.ipynb", "timestamp.txt", "*.unreadable"]
    return {Path(name).relative_to(folder).as_posix(): Path(name).read_bytes()
            for folder in folders for name in find_all_files(str(folder), ignore)}


def cpu_share(workers: int) -> int:
    """Cores for each of ``workers`` kernels running at once."""
    return max(1, (os.cpu_count() or 1) // workers)


def kernel_settings(workers: int) -> dict[str, str]:
    """Course settings for the kernels, and a fair share of threads when several run at once."""
    settings = {"KERAS_STARTER_BUDGET": os.environ.get("KERAS_STARTER_BUDGET", "fast")}
    settings.update({name: os.environ.get(name, str(cpu_share(workers))) for name in THREAD_VARIABLES})
    return settings


class Grader:
    """Runs the four steps for a list of students; holds what they share."""

    def __init__(self, api, assignment: str, limits: Limits, executor: executors.LocalPool | executors.DaskCluster,
                 stream: TextIO):
        self.api, self.assignment, self.limits, self.executor = api, assignment, limits, executor
        self.stream = stream
        self.tests_sha256 = fingerprint.of_gradebook(api, assignment)
        self.cell_timeout = limits.cell_timeout or int(api.config.Execute.get("timeout", 30))
        self.executed_dir = Path(api.config.Replay.executed_dir)
        self.reports: list[dict] = []

    def submitted(self, student: str) -> Path:
        return Path(self.api.coursedir.root, "submitted", student, self.assignment, f"{self.assignment}.ipynb")

    def resources(self, student: str) -> dict:
        return {"nbgrader": {"student": student, "assignment": self.assignment, "notebook": self.assignment,
                             "db_url": self.api.coursedir.db_url}}

    def task(self, notebook, folders: Iterable[Path]) -> worker.Task:
        """The task that executes ``notebook`` with the files of ``folders`` beside it."""
        sharing = self.executor.per_machine()
        return worker.Task(notebook=nbformat.writes(notebook), files=working_copy(self.api, folders),
                           cell_timeout=self.cell_timeout, timeout=self.limits.timeout,
                           memory_mb=self.limits.memory_mb, env=kernel_settings(sharing), cpus=cpu_share(sharing),
                           course_root=str(self.api.coursedir.root))

    def prepare(self, student: Student):
        """Flag what the submission changed or attempts, and return it sanitized for execution."""
        release = nbformat.read(Path(self.api.coursedir.root, "release", self.assignment,
                                     f"{self.assignment}.ipynb"), as_version=4)
        path = self.submitted(student.name)
        original = nbformat.read(path, as_version=4)
        student.flags += prepare.compare(original, release)
        locked = {gid for gid, c in prepare.nbgrader_cells(release).items() if c.metadata.nbgrader.get("locked")}
        student.flags += scan.scan(original, trusted=locked)
        return prepare.sanitized(path, self.api.config, self.resources(student.name))

    def start(self, student: Student, index: int) -> None:
        """Prepare ``student`` and send it to the executor, or give it a blank result at once."""
        if not unreadable(student):
            try:
                notebook = self.prepare(student)
            except Exception as error:  # noqa: BLE001 - this student's submission, nobody else's
                student.flags.append(f"unreadable: nbgrader could not prepare it ({type(error).__name__}: "
                                     f"{error}); graded as blank")
        if unreadable(student):
            self.finish_without_running(student)
            return
        folders = [Path(self.api.coursedir.root, "submitted", student.name, self.assignment),
                   Path(self.api.coursedir.root, "source", self.assignment)]
        student.running = self.executor.submit(self.task(notebook, folders), f"{index:04d}")

    def start_canary(self) -> executors.LocalRun | executors.DaskRun:
        """Send the blank release to the executor, to run in the sandbox as if it were a student.

        A setup cell that fails for everyone (a kernel whose Python cannot import
        the course's library, say) would otherwise score the whole class 0, so
        nobody is recorded before :meth:`check_canary` passes.
        """
        release = nbformat.read(Path(self.api.coursedir.root, "release", self.assignment,
                                     f"{self.assignment}.ipynb"), as_version=4)
        self.stream.write("running the blank release in the sandbox; nobody is recorded before it passes\n")
        return self.executor.submit(self.task(release, [Path(self.api.coursedir.root, "source", self.assignment)]),
                                    "canary")

    def check_canary(self, canary: executors.LocalRun | executors.DaskRun) -> None:
        """Raise if the finished canary stopped early or one of its read-only cells failed."""
        outcome = canary.outcome()
        result = outcome.result
        if result["status"] == "grader stopped":
            raise RuntimeError(f"the blank release did not run in the sandbox ({result['detail']}); nobody was graded")
        failed = worker.read_only_errors(nbformat.reads(outcome.notebook, as_version=4))
        if failed:
            raise RuntimeError(f"the blank release fails in the sandbox before any student is graded: "
                               f"{'; '.join(failed)}. Nobody was graded. Check that the kernel's Python (this "
                               "command's environment) imports this course's starter_lib, then run again")
        if result["status"] != "ok":
            raise RuntimeError(f"the blank release did not finish in the sandbox ({'; '.join(result['flags'])}). "
                               "Nobody was graded: under these limits every student would lose the cells not "
                               "reached. Raise --cell-timeout or --timeout, or grade with fewer --workers")

    def executed(self, student: Student) -> Path:
        return self.executed_dir / f"{student.name}.ipynb"

    def finish_without_running(self, student: Student) -> None:
        """Make an unusable submission's result the blank release, every test failing with the reason.

        The student's own file is kept beside it as ``<notebook>.ipynb.unreadable``.
        """
        path = self.submitted(student.name)
        aside = path.with_name(path.name + ".unreadable")
        if not aside.exists():
            shutil.copyfile(path, aside)
        shutil.copyfile(Path(self.api.coursedir.root, "release", self.assignment, path.name), path)
        notebook = prepare.sanitized(path, self.api.config, self.resources(student.name))
        worker.fail_unfinished(notebook, set(), "Unreadable", "not run: the submitted notebook could not be read")
        worker.write_atomically(self.executed(student), nbformat.writes(notebook))
        student.result = {"status": "unreadable", "seconds": 0.0, "flags": []}

    def collect_result(self, student: Student) -> dict:
        """The run's result, its executed notebook filed where nbgrader's autograde reads it."""
        if student.result is not None:
            return student.result
        outcome = student.running.outcome()
        worker.write_atomically(self.executed(student), outcome.notebook)
        return outcome.result

    def record(self, student: Student, result: dict) -> dict:
        """Write the gradebook entry (nbgrader autograde), then the report that marks it done; an interrupt
        waits until both are written."""
        with uninterrupted():
            flags = student.flags + result["flags"]
            status = result["status"]
            try:
                record.record(self.api, self.assignment, student.name)
            except Exception as error:  # noqa: BLE001 - keep the class going; the report says what failed
                status = "error"
                lines = str(error).strip().splitlines() or [type(error).__name__]
                flags.append(f"grader: {lines[0]} {lines[-1] if len(lines) > 1 else ''}".strip()
                             + "; grade this student again")
                with Gradebook(self.api.coursedir.db_url, self.api.coursedir.course_id) as gradebook:
                    gradebook.update_or_create_submission(self.assignment, student.name)
            record.mark_flagged(self.api, self.assignment, student.name, bool(flags))
            cells = record.scores(self.api, self.assignment, student.name) or {}
            with Gradebook(self.api.coursedir.db_url, self.api.coursedir.course_id) as gradebook:
                max_score = gradebook.find_assignment(self.assignment).max_score
            report = {"student": student.name, "assignment": self.assignment, "sha256": student.sha256,
                      "tests_sha256": self.tests_sha256,
                      "file": student.submission.found_as, "status": status, "seconds": result["seconds"],
                      "score": cells.pop("total", None), "max_score": max_score, "cells": cells, "flags": flags,
                      "limits": {"timeout": self.limits.timeout, "cell_timeout": self.cell_timeout,
                                 "memory_mb": self.limits.memory_mb}}
            path = report_path(self.api, self.assignment, student.name)
            path.parent.mkdir(parents=True, exist_ok=True)
            worker.write_atomically(path, json.dumps(report, indent=1))
            self.reports.append(report)
            return report

    def run(self, students: list[Student]) -> None:
        """Keep the executor's capacity of notebooks executing, the canary first, until every student is recorded.

        Students who finish before the canary passes wait for it, unrecorded.
        """
        progress = Progress(len(students), self.stream)
        canary = self.start_canary() if students else None
        waiting, running = deque(enumerate(students)), []
        while waiting or running:
            while waiting and len(running) + (canary is not None) < self.executor.capacity():
                index, student = waiting.popleft()
                self.start(student, index)
                running.append(student)
            time.sleep(0.2)
            if canary is not None and canary.done():
                self.check_canary(canary)
                canary = None
            for student in list(running):
                if canary is None and student.finished():
                    running.remove(student)
                    report = self.record(student, self.collect_result(student))
                    progress.update(len(running), line(report))
            progress.update(len(running))
        progress.close()


def unreadable(student: Student) -> bool:
    return any(flag.startswith("unreadable") for flag in student.flags)


def line(report: dict) -> str:
    """One line about a finished student, for the progress display."""
    score = "-" if report["score"] is None else f"{report['score']:g}/{report['max_score']:g}"
    kinds = sorted({flag.split(":", 1)[0] for flag in report["flags"]})
    return f"{report['student']}: {score} {report['status']} ({report['seconds']:g} s)" + \
        (f" flags: {', '.join(kinds)}" if kinds else "")


def write_feedback(api, assignment: str, students: list[str]) -> list[str]:
    """Write nbgrader's HTML feedback for each student, test cells named by exercise; return those it failed for."""
    release = nbformat.read(Path(api.coursedir.root, "release", assignment, f"{assignment}.ipynb"), as_version=4)
    titles = feedback.exercise_titles(release)
    failed = []
    for student in students:
        with uninterrupted():
            if not api.generate_feedback(assignment, student, force=True)["success"]:
                failed.append(student)
                continue
        for page in Path(api.coursedir.root, "feedback", student, assignment).glob("*.html"):
            feedback.name_test_cells(page, titles)
    return failed


def export(api, assignment: str, target: Path, late: set[str]) -> Path:
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
    total = (record.scores(api, assignment, report["student"]) or {}).get("total", report["score"])
    return {**report, "score": total, "adjusted": record.adjusted(api, assignment, report["student"])}


def choose_students(found: dict[str, submissions.Submission], chosen: list[str]) -> dict[str, submissions.Submission]:
    """Only the students named in ``chosen`` (all when it is empty); raise naming any not found."""
    missing = sorted(set(chosen) - set(found))
    if missing:
        raise ValueError(f"no submission for student(s) {', '.join(missing)}; found e.g. {', '.join(sorted(found)[:3])}")
    return {name: found[name] for name in chosen} if chosen else found


def split_done(api, grader: Grader, students: list[Student], force: bool) -> list[Student]:
    """The students to grade now; the others' earlier reports go to ``grader.reports``. Says which and why."""
    todo, stale = [], []
    for student in students:
        earlier = None if force else earlier_report(api, grader.assignment, student)
        if earlier is not None and earlier.get("tests_sha256") != grader.tests_sha256:
            stale.append(student.name)
            earlier = None
        if earlier is None:
            todo.append(student)
        else:
            grader.reports.append(earlier)
    if len(todo) < len(students):
        grader.stream.write(f"{len(students) - len(todo)} student(s) already graded for these very files: kept\n")
    if stale:
        grader.stream.write(f"{len(stale)} student(s) graded against older tests, grading them again: "
                            f"{', '.join(stale)}\n")
    return todo


def grade(assignment: str, source: Path, course_dir: Path = COURSE_DIR, workers: int | None = None,
          cluster: str | None = None, db_url: str | None = None, limits: Limits = Limits(),
          pattern: str = submissions.DEFAULT_PATTERN, force: bool = False, students: list[str] = (),
          due: datetime | None = None, feedback_shows_all: bool = False, stream: TextIO = sys.stderr,
          keep=lambda path, file_id: True) -> list[dict]:
    """Grade every submission of ``assignment`` in ``source`` (or only ``students``); return their reports.

    Writes the gradebook, ``autograded/``, ``feedback/``, ``reports/<assignment>/``
    and ``grades.csv`` in ``course_dir``. Named students are always graded again.
    ``due`` (naive UTC) flags later timestamps ``late`` and becomes the gradebook's
    due date, so nbgrader's late penalty applies. Feedback hides the hidden tests
    and the grader's folders unless ``feedback_shows_all``. ``keep(path, file_id)``
    chooses the notebooks of this assignment in a tree that holds several. Notebooks
    run in ``workers`` forked processes, or on the Dask ``cluster`` (``tcp://HOST:PORT``
    or ``local:N``), whose workers need the sandbox instead of this machine.
    """
    if workers is not None and cluster is not None:
        raise ValueError(f"give --workers or --cluster, not both: the cluster {cluster} decides how many run at once")
    workers = workers or os.cpu_count() or 1
    if workers <= 0:
        raise ValueError(f"workers must be a positive number, got {workers}")
    if not (Path(source).is_dir() or zipfile.is_zipfile(source)):
        raise ValueError(f"SUBMISSIONS must be a folder or a zip file, got {source}")
    check_course(course_dir)
    if cluster is None or cluster.startswith("local:"):
        sandbox.check_available()
        bytecode.ensure_compiled(stream)
    scratch = Path(tempfile.mkdtemp(prefix="ag-"))
    runner = None
    try:
        found = choose_students(find_submissions(Path(source), scratch, pattern, stream, keep), list(students))
        (scratch / "executed").mkdir()
        api = record.recording_api(course_dir.resolve(), scratch / "executed", db_url, feedback_shows_all)
        release = ensure_released(api, assignment)
        if due is not None:
            with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gradebook:
                gradebook.update_or_create_assignment(assignment, duedate=due)
        collected = collect(found, assignment, release, Path(api.coursedir.root, "submitted"), due)
        runner = executors.executor(cluster, workers, scratch)
        grader = Grader(api, assignment, limits, runner, stream)
        todo = split_done(api, grader, collected, force or bool(students))
        grader.run(todo)
        feedback_missing = [r["student"] for r in grader.reports
                            if not Path(api.coursedir.root, "feedback", r["student"], assignment).is_dir()]
        for student in write_feedback(api, assignment, sorted({s.name for s in todo} | set(feedback_missing))):
            stream.write(f"feedback could not be written for {student}\n")
        late = {r["student"] for r in grader.reports if any(flag.startswith("late:") for flag in r["flags"])}
        export(api, assignment, Path(api.coursedir.root, "grades.csv"), late)
        return [as_now(api, assignment, report) for report in sorted(grader.reports, key=lambda r: r["student"])]
    finally:
        if runner is not None:
            runner.close()
        shutil.rmtree(scratch, ignore_errors=True)


def check_course(course_dir: Path) -> None:
    if not (course_dir / "nbgrader_config.py").is_file():
        raise ValueError(f"{course_dir} is not an nbgrader course folder: it has no nbgrader_config.py")


def assignment_source(source: Path, assignment: str) -> Path | None:
    """``SOURCE/<assignment>`` or ``SOURCE/<assignment>.zip`` when the folder ``source`` holds one."""
    candidates = [Path(source, assignment), Path(source, f"{assignment}.zip")]
    return next((path for path in candidates if path.is_dir() or zipfile.is_zipfile(path)), None) \
        if Path(source).is_dir() else None


def grade_course(assignments: list[str], source: Path, course_dir: Path = COURSE_DIR, db_url: str | None = None,
                 stream: TextIO = sys.stderr, **options) -> dict[str, list[dict]]:
    """Grade several assignments, one after the other; return each one's reports.

    Each assignment's submissions are ``SOURCE/<assignment>`` or
    ``SOURCE/<assignment>.zip`` when present, else the whole of ``source``,
    where a notebook goes to the assignment :func:`submissions.owner` names.
    """
    if not assignments:
        raise ValueError(f"name at least one assignment, or --all for every one in {course_dir / 'source'}")
    releases = {}
    if len(assignments) > 1 and any(assignment_source(source, name) is None for name in assignments):
        check_course(course_dir)
        api = nbgrader_api(course_dir.resolve(), **({"CourseDirectory.db_url": db_url} if db_url else {}))
        releases = {name: nbformat.read(ensure_released(api, name), as_version=4) for name in assignments}
    graded = {}
    for assignment in assignments:
        own = assignment_source(source, assignment)
        stream.write(f"== {assignment}: {own or source}\n")
        keep = (lambda path, file_id, name=assignment: submissions.owner(path, file_id, releases) == name) \
            if own is None and len(assignments) > 1 else (lambda path, file_id: True)
        graded[assignment] = grade(assignment, own or source, course_dir, db_url=db_url, stream=stream, keep=keep,
                                   **options)
    return graded


def print_summary(reports: list[dict], course_dir: Path, assignment: str, stream: TextIO = sys.stdout,
                  cluster: str | None = None) -> None:
    """The end-of-run table, where the files are, and what the sandbox could not enforce."""
    stream.write(summary_table(reports) + "\n\n")
    timeouts = sum(any(f.startswith("timeout") for f in r["flags"]) for r in reports)
    flagged = sum(bool(r["flags"]) for r in reports)
    stream.write(f"{len(reports)} student(s), {timeouts} with a timeout, {flagged} flagged\n")
    stream.write(f"grades:   {course_dir / 'grades.csv'}\nfeedback: {course_dir / 'feedback'}\n"
                 f"reports:  {course_dir / 'reports' / assignment} (every flag in full)\n")
    if cluster is not None and not cluster.startswith("local:"):
        stream.write(f"The notebooks ran on the Dask cluster at {cluster}: each worker host enforces the limits it "
                     "can (the bubblewrap sandbox always; control groups where the worker may make them)\n")
        return
    hierarchy = cgroups.find()
    if hierarchy is not None:
        stream.write(f"Each sandbox had a control group of its own (cgroup v{hierarchy.version}): memory for all its "
                     f"processes together ({cgroups.SANDBOX_MEMORY_FACTOR}x --memory), at most {cgroups.PIDS_MAX} "
                     "processes and threads, and its share of the CPU cores\n")
    stream.write("Not enforced on this machine:\n" + "".join(f"- {note}\n" for note in sandbox.not_enforced(hierarchy)))
