"""Grade a class: ``python -m autograder grade ASSIGNMENT SUBMISSIONS``.

This module schedules; :mod:`autograder.grading.stages` does the work, one stage
function each, for every student: collect -> prepare -> execute -> record.
Notebooks execute several at once, in forked processes here or on the workers
of a Dask cluster (:mod:`autograder.grading.executors`); only this process
records, one student at a time, into the gradebook.

The blank release runs once in the sandbox first (the canary), beside the
first students: a read-only cell that fails there stops grading before anyone
is recorded. Then nbgrader writes the feedback and ``grades.csv``. A student
whose report matches the submission's checksum and the tests' checksum
(:mod:`autograder.grading.fingerprint`) is skipped on a re-run, so a run that
was stopped resumes where it stopped, and a changed test grades again exactly
the students graded against the old one.
"""

from __future__ import annotations

import shutil
import os
import sys
import tempfile
import time
import warnings
import zipfile
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TextIO

import nbformat
from nbgrader.api import Gradebook, MissingEntry
from sqlalchemy.exc import SAWarning

from autograder import bytecode
from autograder.course import COURSE_DIR, nbgrader_api
from autograder.grading import (cgroups, executors, fingerprint, folders, interrupts, record, sandbox, stages,
                                submissions, worker)
from autograder.grading.interrupts import uninterrupted
from autograder.grading.progress import Progress, summary_table
from autograder.grading.stages import Assignment, Limits
from autograder.grading.state import Kind, Status, Submission, flag_kinds

CAPACITY_SECONDS = 1.0  # how often the grader asks the executor how many notebooks it can take

# nbgrader 0.9's Gradebook.add_submission trips SQLAlchemy 2's autoflush warnings on a new
# submission; the rows are written all the same (the tests read them back).
warnings.filterwarnings("ignore", category=SAWarning, module=r"nbgrader\.api")


@dataclass
class InFlight:
    """A student between prepare and record: executing, or with an outcome known without running."""

    submission: Submission
    run: executors.LocalRun | executors.DaskRun | None = None
    known: worker.Outcome | None = None

    def finished(self) -> bool:
        return self.known is not None or self.run.done()

    def outcome(self) -> worker.Outcome:
        return self.known if self.known is not None else self.run.outcome()


def ensure_released(api, assignment: str) -> Path:
    """The release notebook of ``assignment``, running ``generate_assignment`` if it is missing or stale.

    Stale: the master's tests (hidden ones included) or points differ from the gradebook's.
    """
    release = folders.course_notebook(api, "release", assignment)
    master = folders.course_notebook(api, "source", assignment)
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


class Grader:
    """Keeps the executor busy with the stages of a list of students; holds the reports."""

    def __init__(self, assignment: Assignment, executor: executors.LocalPool | executors.DaskCluster, stream: TextIO):
        self.assignment, self.executor, self.stream = assignment, executor, stream
        self.sharing = executor.per_machine()  # kernels that share one machine's cores
        self.reports: list[dict] = []

    def start(self, submission: Submission, index: int) -> InFlight:
        """Prepare ``submission`` and send its task to the executor, or keep its outcome when it cannot run."""
        prepared = stages.prepare(self.assignment, submission, self.sharing)
        if isinstance(prepared, worker.Outcome):
            return InFlight(submission, known=prepared)
        return InFlight(submission, run=self.executor.submit(prepared, f"{index:04d}"))

    def start_canary(self) -> executors.LocalRun | executors.DaskRun:
        """Send the blank release to the executor, to run in the sandbox as if it were a student.

        A setup cell that fails for everyone (a kernel whose Python cannot import
        the course's library, say) would otherwise score the whole class 0, so
        nobody is recorded before :meth:`check_canary` passes.
        """
        self.stream.write("running the blank release in the sandbox; nobody is recorded before it passes\n")
        return self.executor.submit(stages.canary_task(self.assignment, self.sharing), "canary")

    def check_canary(self, canary: executors.LocalRun | executors.DaskRun) -> None:
        """Raise if the finished canary stopped early or one of its read-only cells failed."""
        outcome = canary.outcome()
        result = outcome.result
        if result.status is Status.GRADER_STOPPED:
            raise RuntimeError(f"the blank release did not run in the sandbox ({result.detail}); nobody was graded")
        failed = worker.read_only_errors(nbformat.reads(outcome.notebook, as_version=4))
        if failed:
            raise RuntimeError(f"the blank release fails in the sandbox before any student is graded: "
                               f"{'; '.join(failed)}. Nobody was graded. Check that the kernel's Python (this "
                               "command's environment) imports this course's starter_lib, then run again")
        if result.status is not Status.OK:
            raise RuntimeError(f"the blank release did not finish in the sandbox "
                               f"({'; '.join(map(str, result.flags))}). Nobody was graded: under these limits every "
                               "student would lose the cells not reached. Raise --cell-timeout or --timeout, or "
                               "grade with fewer --workers")

    def run(self, students: list[Submission]) -> None:
        """Keep the executor's capacity of notebooks executing, the canary first, until every student is recorded.

        Students who finish before the canary passes wait for it, unrecorded.
        """
        progress = Progress(len(students), self.stream)
        canary = self.start_canary() if students else None
        waiting, running = deque(enumerate(students)), []
        capacity, asked = 0, -CAPACITY_SECONDS
        while waiting or running:
            if waiting and time.monotonic() - asked >= CAPACITY_SECONDS:
                capacity, asked = self.executor.capacity(), time.monotonic()
            while waiting and len(running) + (canary is not None) < capacity:
                index, submission = waiting.popleft()
                running.append(self.start(submission, index))
            time.sleep(0.2)
            interrupts.check()
            if canary is not None and canary.done():
                self.check_canary(canary)
                canary = None
            for student in list(running):
                if canary is None and student.finished():
                    running.remove(student)
                    report = stages.record(self.assignment, student.submission, student.outcome())
                    self.reports.append(report)
                    progress.update(len(running), line(report))
            progress.update(len(running))
        progress.close()


def line(report: dict) -> str:
    """One line about a finished student, for the progress display."""
    score = "-" if report["score"] is None else f"{report['score']:g}/{report['max_score']:g}"
    kinds = sorted(flag_kinds(report))
    return f"{report['student']}: {score} {report['status']} ({report['seconds']:g} s)" + \
        (f" flags: {', '.join(kinds)}" if kinds else "")


def choose_students(found: dict[str, submissions.Found], chosen: list[str]) -> dict[str, submissions.Found]:
    """Only the students named in ``chosen`` (all when it is empty); raise naming any not found."""
    missing = sorted(set(chosen) - set(found))
    if missing:
        raise ValueError(f"no submission for student(s) {', '.join(missing)}; found e.g. {', '.join(sorted(found)[:3])}")
    return {name: found[name] for name in chosen} if chosen else found


def split_done(grader: Grader, students: list[Submission], force: bool) -> list[Submission]:
    """The students to grade now; the others' earlier reports go to ``grader.reports``. Says which and why."""
    todo, stale = [], []
    for student in students:
        earlier = None if force else stages.earlier_report(grader.assignment, student)
        if earlier is not None and earlier.get("tests_sha256") != grader.assignment.tests_sha256:
            stale.append(student.student)
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
        found = choose_students(stages.find(Path(source), scratch, pattern, stream, keep), list(students))
        (scratch / "executed").mkdir()
        api = record.recording_api(course_dir.resolve(), scratch / "executed", db_url, feedback_shows_all)
        ensure_released(api, assignment)
        if due is not None:
            with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gradebook:
                gradebook.update_or_create_assignment(assignment, duedate=due)
        graded = Assignment(api, assignment, limits)
        collected = stages.collect(found, graded, due)
        runner = executors.executor(cluster, workers, scratch)
        grader = Grader(graded, runner, stream)
        todo = split_done(grader, collected, force or bool(students))
        grader.run(todo)
        feedback_missing = [r["student"] for r in grader.reports if not graded.folder("feedback", r["student"]).is_dir()]
        for student in record.write_feedback(api, assignment, sorted({s.student for s in todo} | set(feedback_missing))):
            stream.write(f"feedback could not be written for {student}\n")
        interrupts.check()
        late = {r["student"] for r in grader.reports if Kind.LATE in flag_kinds(r)}
        record.grades_csv(api, assignment, Path(api.coursedir.root, "grades.csv"), late)
        return [record.as_now(api, assignment, report) for report in sorted(grader.reports, key=lambda r: r["student"])]
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
    timeouts = sum(Kind.TIMEOUT in flag_kinds(r) for r in reports)
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
