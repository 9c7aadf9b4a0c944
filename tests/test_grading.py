"""The classroom grader, for real: a class of 19 fixture submissions of notebook 03.

The class (see ``grading_cases.CASES``) is graded by ``python -m autograder
grade`` four times (see the ``graded_class`` fixture): killed mid-way, then
completed while one worker is killed, then repaired, then left unchanged.
Kernels run with MNIST unavailable (the digits fallback, faster) and small
limits for the loop and memory cases.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

from autograder.course import COURSE_DIR, LEARNER_DIR
from autograder.grading import cgroups
from autograder.grading.record import scores
from autograder.grading.state import flag_kinds
from grading_cases import ASSIGNMENT, CASES, LIMITS, answered, build_class, write_class
from notebook_tools import children, released_course

VICTIM = "wrong-function"  # graded after "writes-other-student", whose code aims at this folder
MASTER = COURSE_DIR / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"


def grade_command(submissions: Path, course: Path, db_url: str) -> list[str]:
    return [sys.executable, "-m", "autograder", "grade", ASSIGNMENT, str(submissions), "--course", str(course),
            "--db-url", db_url, "--workers", "2", *LIMITS]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(reports: Path) -> dict[str, str]:
    return {path.name: path.read_text() for path in reports.glob("*.json")}


def worker_run(pid: str) -> Path | None:
    """The run folder of a grading worker (its stdout is ``<run folder>/worker.log``), else None."""
    target = Path(os.readlink(f"/proc/{pid}/fd/1"))
    return target.parent if target.name == "worker.log" else None


def kill_a_worker(grader: subprocess.Popen) -> tuple[Path | None, list[str]]:
    """SIGKILL one of the grader's forked workers in the middle of its notebook.

    A worker is a child of the grader whose stdout is its run folder's
    ``worker.log`` and which has a kernel under it (the grader's command line is no
    sign: read at once after the start it can still be empty). It is killed once it
    has had a kernel for two seconds, unless it is the canary's (the blank release,
    in ``runs/canary``), whose death stops the whole run. Only a kill that lands
    before the worker wrote ``result.json`` tests anything, so a late one is
    followed by another. Returns the run folder of the worker killed, and what was
    seen on the way (for the message when no kill landed).
    """
    busy_since: dict[str, float] = {}
    seen = []
    while grader.poll() is None:
        for pid in children(grader.pid):
            try:
                run = worker_run(pid)
                if run is None or run.name == "canary" or not children(pid):
                    continue
                if time.monotonic() - busy_since.setdefault(pid, time.monotonic()) < 2:
                    continue  # let its kernel start first
                os.kill(int(pid), signal.SIGKILL)
                if not (run / "result.json").exists():
                    return run, seen
                seen.append(f"worker {pid} killed after it wrote {run / 'result.json'}")
            except OSError as error:
                seen.append(f"worker {pid}: {error}")
        time.sleep(0.1)
    return None, seen + [f"workers seen busy: {sorted(busy_since)}; the grader exited with {grader.returncode}"]


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory, no_mnist):
    """Grade the class four times: killed, completed with one worker killed, repaired, unchanged.

    1. the grader is killed once three students are recorded;
    2. a re-run completes the class, while one of its workers is killed mid-notebook;
    3. a re-run grades again only that worker's student;
    4. a re-run changes nothing.
    The gradebook lives outside the course folder, named by ``--db-url``.
    """
    root = tmp_path_factory.mktemp("class")
    course, db_url, api = released_course(root, ASSIGNMENT)
    database = Path(db_url.removeprefix("sqlite:///"))
    release = nbformat.read(course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    victim = course / "submitted" / VICTIM / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    cases = build_class(release, nbformat.read(MASTER, as_version=4), database, victim)
    submissions = write_class(root / "submissions", cases)
    command, env = grade_command(submissions, course, db_url), {**os.environ, **no_mnist}
    reports = course / "reports" / ASSIGNMENT

    first = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 400
    while len(list(reports.glob("*.json"))) < 3 and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    first.kill()
    first.wait()
    runs = {"killed": snapshot(reports)}
    second = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    killed, seen = kill_a_worker(second)
    assert killed, "the grader ended before a worker could be killed:\n" + "\n".join(seen)
    outputs = {"completed": second.communicate(timeout=1200)}
    runs["completed"] = snapshot(reports)
    for name in ("repaired", "unchanged"):
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-3000:]
        outputs[name], runs[name] = (done.stdout, done.stderr), snapshot(reports)
    return SimpleNamespace(course=course, api=api, database=database, db_url=db_url, submissions=submissions,
                           first=first, second=second, runs=runs, outputs=outputs)


def report(graded, student) -> dict:
    return json.loads((graded.course / "reports" / ASSIGNMENT / f"{student}.json").read_text())


def printed(graded, student) -> str:
    """Everything the student's autograded notebook printed."""
    notebook = nbformat.read(graded.course / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
                             as_version=4)
    return "".join(out.get("text", "") for cell in notebook.cells if cell.cell_type == "code"
                   for out in cell.outputs if out.output_type == "stream")


def test_the_completing_run_finishes_cleanly(graded_class):
    assert graded_class.second.returncode == 0, graded_class.outputs["completed"][1][-3000:]


def test_every_submission_gets_the_score_it_deserves(graded_class):
    got = {student: scores(graded_class.api, ASSIGNMENT, student)["total"] for student in CASES}
    assert got == {student: expected for student, (expected, _) in CASES.items()}


def test_every_submission_carries_the_right_flags(graded_class):
    got = {student: flag_kinds(report(graded_class, student)) for student in CASES}
    assert got == {student: kinds for student, (_, kinds) in CASES.items()}


def test_flagged_students_carry_nbgrader_s_own_flagged_mark(graded_class):
    with sqlite3.connect(graded_class.database) as db:
        marks = dict(db.execute("SELECT a.student_id, n.flagged FROM submitted_notebook n "
                                "JOIN submitted_assignment a ON n.assignment_id = a.id").fetchall())
    assert marks == {student: int(bool(kinds)) for student, (_, kinds) in CASES.items()}


def test_the_gradebook_named_by_db_url_holds_every_student_exactly_once(graded_class):
    assert not (graded_class.course / "gradebook.db").exists()
    with sqlite3.connect(graded_class.database) as db:
        students = db.execute("SELECT student_id FROM submitted_assignment").fetchall()
        grades = db.execute("SELECT COUNT(*), COUNT(DISTINCT notebook_id || cell_id) FROM grade").fetchone()
    assert sorted(student for (student,) in students) == sorted(CASES)
    assert grades == (len(CASES) * 5, len(CASES) * 5)


def test_a_killed_run_resumes_without_losing_or_regrading_anyone(graded_class):
    killed, completed = graded_class.runs["killed"], graded_class.runs["completed"]
    assert graded_class.first.returncode == -9
    assert 3 <= len(killed) < len(CASES)
    assert {name: completed[name] for name in killed} == killed
    assert f"{len(killed)} student(s) already graded" in graded_class.outputs["completed"][1]
    assert len(completed) == len(CASES)


def test_a_killed_worker_costs_only_its_own_student_and_a_rerun_grades_it(graded_class):
    completed = {name: json.loads(text) for name, text in graded_class.runs["completed"].items()}
    stopped = [report for report in completed.values() if report["status"] == "grader stopped"]
    assert len(stopped) == 1 and stopped[0]["flags"][-1].startswith("grader: the worker ended without a result")
    others = [report for report in completed.values() if report is not stopped[0]]
    assert all(report["score"] == CASES[report["student"]][0] for report in others)
    repaired = graded_class.runs["repaired"]
    assert f"{len(CASES) - 1} student(s) already graded" in graded_class.outputs["repaired"][1]
    assert {name: text for name, text in repaired.items() if name != f"{stopped[0]['student']}.json"} == \
        {name: text for name, text in graded_class.runs["completed"].items() if name != f"{stopped[0]['student']}.json"}


def test_a_final_run_grades_nobody_again(graded_class):
    assert f"{len(CASES)} student(s) already graded" in graded_class.outputs["unchanged"][1]
    assert graded_class.runs["unchanged"] == graded_class.runs["repaired"]


def test_student_code_cannot_reach_the_gradebook(graded_class):
    output = printed(graded_class, "reads-gradebook")
    assert output.count("gradebook not reachable") == 3 and "gradebook reached" not in output
    with sqlite3.connect(graded_class.database) as db:
        assert db.execute("SELECT COUNT(*) FROM grade WHERE manual_score IS NOT NULL").fetchone() == (0,)


def test_student_code_cannot_touch_another_students_files(graded_class):
    output = printed(graded_class, "writes-other-student")
    assert output.count("other student's folder not reachable") == 2
    victim = graded_class.course / "submitted" / VICTIM / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert sha256(victim) == sha256(graded_class.submissions / VICTIM / f"{ASSIGNMENT}.ipynb")


def test_student_code_has_no_network(graded_class):
    assert "network not reachable" in printed(graded_class, "network-call")


def test_grades_csv_and_feedback_cover_every_student(graded_class):
    with open(graded_class.course / "grades.csv", newline="") as table:
        rows = {row["student_id"]: float(row["score"]) for row in csv.DictReader(table)}
    assert rows == {student: float(expected) for student, (expected, _) in CASES.items()}
    for student in CASES:
        assert (graded_class.course / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html").is_file()


def test_the_summary_lists_every_student_and_what_is_not_enforced(graded_class):
    summary = graded_class.outputs["unchanged"][0]
    for student, (expected, _) in CASES.items():
        assert f"| {student} | {expected:g} / 15 |" in summary
    assert "Not enforced on this machine" in summary
    whole_sandbox = cgroups.find() is not None
    assert ("Each sandbox had a control group of its own" in summary) == whole_sandbox
    assert ("memory is limited per process" in summary) == (not whole_sandbox)


def test_report_prints_statistics_per_test_cell_similar_answers_and_saves_a_plot(graded_class):
    result = subprocess.run([sys.executable, "-m", "autograder", "report", ASSIGNMENT, "--course",
                             str(graded_class.course), "--db-url", graded_class.db_url],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert f"{len(CASES)} students" in result.stdout
    for cell in ("test_sigmoid", "test_softmax", "test_cross_entropy", "test_trained_model"):
        assert f"| {cell} |" in result.stdout
    assert "- renamed-notebook and solution: build_logistic_regression, cross_entropy, sigmoid, softmax, " \
           "train_logistic_regression" in result.stdout
    assert "blank and" not in result.stdout and "and blank:" not in result.stdout
    plot = graded_class.course / "reports" / ASSIGNMENT / "score-distribution.png"
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def validated(tmp_path_factory, no_mnist):
    """``python -m autograder validate`` on a fully answered copy and on one with a wrong answer, at once."""
    folder = tmp_path_factory.mktemp("validate")
    release = nbformat.read(LEARNER_DIR / f"{ASSIGNMENT}.ipynb", as_version=4)
    master = nbformat.read(MASTER, as_version=4)
    runs = {}
    for name, notebook in {"right": answered(release, master),
                           "wrong": answered(release, master, softmax="return scores")}.items():
        nbformat.write(notebook, folder / f"{name}.ipynb")
        runs[name] = subprocess.Popen([sys.executable, "-m", "autograder", "validate", str(folder / f"{name}.ipynb")],
                                      env={**os.environ, **no_mnist}, stdout=subprocess.PIPE, text=True)
    return {name: (run.wait(timeout=600), run.stdout.read()) for name, run in runs.items()}


def test_validate_exits_zero_when_every_test_passes(validated):
    code, output = validated["right"]
    assert code == 0 and "all 5 test cell(s) pass" in output


def test_validate_exits_nonzero_and_names_the_failing_test(validated):
    code, output = validated["wrong"]
    assert code == 1
    assert "1 of 5 test cell(s) fail" in output and "checks.check_softmax(softmax)" in output
