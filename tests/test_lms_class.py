"""A Canvas class of notebook 03 through ``python -m autograder grade``, run as an instructor runs it.

Five students in a Canvas-style flat zip (``--pattern canvas``): a solution, a
blank copy, a partial answer, a late solution and a resubmission that Canvas
named ``...-1.ipynb``. The ``canvas_class`` fixture grades them five times:
stopped by SIGTERM mid-way, resumed, run again after one test changed, one
student again with ``--student``, and once more after a manual override; then
exports the grades and feedback for Canvas, with and without the roster Canvas
exports. One more test grades with a setup cell that fails in the sandbox.
Kernels use the digits fallback (no MNIST): faster, and scores do not depend on it.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder.course import COURSE_DIR, LEARNER_DIR
from autograder.grading.record import scores
from grading_cases import ASSIGNMENT, answered, cell
from notebook_tools import children, copy_course, descendants, released_course

MASTER = Path("source", ASSIGNMENT, f"{ASSIGNMENT}.ipynb")
# The gradebook CSV as Canvas exports it: the points row, a column per assignment named "name (id)", a
# read-only score; Nobody has no submission, and the resubmitting student (10005) is missing.
CANVAS_ROSTER = f"""Student,ID,SIS User ID,SIS Login ID,Section,{ASSIGNMENT} (4242),Current Score
    Points Possible,,,,,15.00,(read only)
"Adams, Ada",10001,s001,ada@uni.example,Section A,,
"Blank, Bo",10002,s002,bo@uni.example,Section A,,
"Partial, Cy",10003,s003,cy@uni.example,Section B,,
"Late, Di",10004,s004,di@uni.example,Section B,,
"Nobody, No",10009,s009,no@uni.example,Section B,,
"""
NEW_BAR = 'assert softmax(np.array([1.0, 2.0])).dtype == np.float16, "softmax must return float16"\n'
# student: (file name in Canvas's export, answers, score before the softmax test changed, score after)
CLASS = {
    "adamsada": (f"adamsada_10001_501_{ASSIGNMENT}.ipynb", {}, 15, 12),
    "blankbo": (f"blankbo_10002_502_{ASSIGNMENT}.ipynb", None, 0, 0),
    "partialcy": (f"partialcy_10003_503_{ASSIGNMENT}.ipynb", {"sigmoid": "return np.tanh(z)"}, 13, 10),
    "latedi": (f"latedi_LATE_10004_504_{ASSIGNMENT}.ipynb", {}, 15, 12),
    "resubed": (f"resubed_10005_505_{ASSIGNMENT}-1.ipynb", {}, 15, 12),
}


def canvas_zip(path: Path, release, master) -> Path:
    with zipfile.ZipFile(path, "w") as bundle:
        for name, bodies, _, _ in CLASS.values():
            notebook = release if bodies is None else answered(release, master, **bodies)
            bundle.writestr(name, nbformat.writes(notebook))
    return path


def reports(course: Path) -> dict[str, dict]:
    return {path.stem: json.loads(path.read_text()) for path in (course / "reports" / ASSIGNMENT).glob("*.json")}


def busy_workers(grader: subprocess.Popen) -> list[str]:
    """The grader's workers that have a kernel running under them."""
    return [pid for pid in children(grader.pid) if children(pid)]


def stop_mid_way(command: list[str], env: dict[str, str], course: Path) -> SimpleNamespace:
    """Start grading, send SIGTERM once a student is recorded and a worker is busy; time the exit."""
    grader = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 600
    while not (reports(course) and busy_workers(grader)) and grader.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    below = descendants(grader.pid)
    sent = time.monotonic()
    grader.send_signal(signal.SIGTERM)
    out, err = grader.communicate(timeout=120)
    seconds = time.monotonic() - sent
    alive = {pid for pid, line in below.items() if Path(f"/proc/{pid}").exists()
             and Path(f"/proc/{pid}/cmdline").read_bytes() == line}
    return SimpleNamespace(returncode=grader.returncode, stdout=out, stderr=err, seconds=seconds,
                           stopped=below, alive=alive, reports=reports(course))


def written(course: Path) -> dict[str, int]:
    """When each student's report was last written, in nanoseconds."""
    return {path.stem: path.stat().st_mtime_ns for path in (course / "reports" / ASSIGNMENT).glob("*.json")}


def grade(command: list[str], env: dict[str, str], course: Path) -> SimpleNamespace:
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return SimpleNamespace(stdout=done.stdout, stderr=done.stderr, reports=reports(course), written=written(course))


def raise_the_softmax_bar(course: Path) -> None:
    """The instructor adds a hidden test that no answer meets, as after a change of mind."""
    master = nbformat.read(course / MASTER, as_version=4)
    test = cell(master, "test_softmax")
    test.source = test.source.replace("### END HIDDEN TESTS", NEW_BAR + "### END HIDDEN TESTS")
    nbformat.write(master, course / MASTER)


def override(api, student: str, grade_id: str, score: float) -> None:
    """A manual score, as formgrader writes it."""
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gradebook:
        gradebook.find_grade(grade_id, ASSIGNMENT, ASSIGNMENT, student).manual_score = score
        gradebook.db.commit()


@pytest.fixture(scope="module")
def canvas_class(tmp_path_factory, no_mnist):
    root = tmp_path_factory.mktemp("canvas")
    course, db_url, api = released_course(root, ASSIGNMENT)
    release = nbformat.read(course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    archive = canvas_zip(root / "submissions.zip", release, nbformat.read(course / MASTER, as_version=4))
    command = [sys.executable, "-m", "autograder", "grade", ASSIGNMENT, str(archive), "--pattern", "canvas",
               "--course", str(course), "--db-url", db_url, "--workers", "2", "--timeout", "300",
               "--cell-timeout", "90"]
    env = {**os.environ, **no_mnist}
    runs = {"stopped": stop_mid_way(command, env, course), "resumed": grade(command, env, course)}
    raise_the_softmax_bar(course)
    runs["new test"] = grade(command, env, course)
    runs["one student"] = grade(command + ["--student", "partialcy"], env, course)
    override(api, "adamsada", "test_sigmoid", 1)
    runs["overridden"] = grade(command, env, course)
    (root / "roster.csv").write_text(CANVAS_ROSTER)
    export = [sys.executable, "-m", "autograder", "export", ASSIGNMENT, "--lms", "canvas", "--course", str(course),
              "--db-url", db_url, "--out"]
    exports = {name: subprocess.run(export + [str(root / name), *extra], capture_output=True, text=True, timeout=120)
               for name, extra in {"plain": [], "roster": ["--roster", str(root / "roster.csv")],
                                   "per student": ["--per-student"]}.items()}
    return SimpleNamespace(course=course, api=api, runs=runs, root=root, exports=exports)


def test_sigterm_stops_the_grader_and_its_kernels_within_five_seconds(canvas_class):
    stopped = canvas_class.runs["stopped"]
    assert stopped.returncode == 130, stopped.stderr[-3000:]
    assert stopped.seconds < 5, f"{stopped.seconds:.1f} s"
    assert any(b"bwrap" in line for line in stopped.stopped.values()) and stopped.alive == set()
    assert "run the same command again to finish" in stopped.stderr


def test_a_stopped_run_keeps_its_finished_students_and_the_next_one_grades_the_rest(canvas_class):
    stopped, resumed = canvas_class.runs["stopped"], canvas_class.runs["resumed"]
    assert 1 <= len(stopped.reports) < len(CLASS)
    assert {name: resumed.reports[name] for name in stopped.reports} == stopped.reports
    assert f"{len(stopped.reports)} student(s) already graded for these very files: kept" in resumed.stderr
    assert sorted(resumed.reports) == sorted(CLASS)


def test_every_student_gets_the_right_score_and_only_the_resubmission_and_the_late_one_are_flagged(canvas_class):
    resumed = canvas_class.runs["resumed"].reports
    assert {name: report["score"] for name, report in resumed.items()} == \
        {name: before for name, (_, _, before, _) in CLASS.items()}
    assert {name: [flag.split(":")[0] for flag in report["flags"]] for name, report in resumed.items()} == \
        {**{name: [] for name in CLASS}, "resubed": ["renamed"], "latedi": ["late"]}
    with open(canvas_class.course / "grades.csv", newline="") as table:
        assert {row["student_id"]: row["late"] for row in csv.DictReader(table)} == \
            {name: "yes" if name == "latedi" else "no" for name in CLASS}


def test_after_a_test_changes_a_plain_rerun_grades_everyone_against_the_new_one(canvas_class):
    before, after = canvas_class.runs["resumed"], canvas_class.runs["new test"]
    assert f"{len(CLASS)} student(s) graded against older tests, grading them again" in after.stderr
    assert "already graded" not in after.stderr
    assert {report["tests_sha256"] for report in before.reports.values()} != \
        {report["tests_sha256"] for report in after.reports.values()}
    assert len({report["tests_sha256"] for report in after.reports.values()}) == 1
    assert {name: report["score"] for name, report in after.reports.items()} == \
        {name: later for name, (_, _, _, later) in CLASS.items()}


def test_the_student_option_grades_that_student_alone_again(canvas_class):
    before, after = canvas_class.runs["new test"], canvas_class.runs["one student"]
    assert {name: report for name, report in after.reports.items() if name != "partialcy"} == \
        {name: report for name, report in before.reports.items() if name != "partialcy"}
    assert {name for name in CLASS if after.written[name] != before.written[name]} == {"partialcy"}
    assert "partialcy: 10/15 ok" in after.stderr and "already graded" not in after.stderr
    assert "| partialcy | 10 / 15 |" in after.stdout and "adamsada" not in after.stdout


def test_a_manual_override_shows_in_the_table_marked_adjusted_and_in_grades_csv(canvas_class):
    overridden = canvas_class.runs["overridden"]
    assert f"{len(CLASS)} student(s) already graded for these very files: kept" in overridden.stderr
    assert "| adamsada | 11 / 15 (adjusted) |" in overridden.stdout
    assert "| latedi | 12 / 15 |" in overridden.stdout
    with open(canvas_class.course / "grades.csv", newline="") as table:
        assert {row["student_id"]: float(row["score"]) for row in csv.DictReader(table)}["adamsada"] == 11
    assert scores(canvas_class.api, ASSIGNMENT, "adamsada")["total"] == 11


def test_feedback_hides_the_hidden_tests_and_names_each_test_by_its_exercise(canvas_class):
    page = (canvas_class.course / "feedback" / "partialcy" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert '<a href="#test_sigmoid">Exercise 1 (2 points): the sigmoid in NumPy</a>' in page
    assert ">Test cell<" not in page and "Grade cell:" not in page
    assert "BEGIN HIDDEN TESTS" not in page and "softmax is wrong on a 3-D array" not in page
    assert "/tmp/ag-" not in page and str(canvas_class.course) not in page


def final_scores() -> dict[str, str]:
    """Each student's score after the changed test, adamsada's with the override."""
    return {name: f"{11 if name == 'adamsada' else later:g}" for name, (_, _, _, later) in CLASS.items()}


def canvas_ids() -> dict[str, str]:
    return {name: file.split("_")[-3] for name, (file, _, _, _) in CLASS.items()}


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="") as table:
        return list(csv.DictReader(table))


def test_the_canvas_csv_has_canvas_s_columns_and_a_row_per_student_matched_by_the_id_in_its_file_name(canvas_class):
    done = canvas_class.exports["plain"]
    assert done.returncode == 0, done.stderr
    rows = read_csv(canvas_class.root / "plain" / "canvas-grades.csv")
    assert list(rows[0]) == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", ASSIGNMENT]
    assert rows[0]["Student"].strip() == "Points Possible" and rows[0][ASSIGNMENT] == "15"
    assert {row["ID"]: (row["Student"], row[ASSIGNMENT]) for row in rows[1:]} == \
        {canvas_ids()[name]: (name, score) for name, score in final_scores().items()}
    assert "not matched" not in done.stdout


def test_with_canvas_s_roster_grades_fill_its_own_column_and_unmatched_students_are_listed(canvas_class):
    done = canvas_class.exports["roster"]
    assert done.returncode == 0, done.stderr
    rows = read_csv(canvas_class.root / "roster" / "canvas-grades.csv")
    column = f"{ASSIGNMENT} (4242)"
    assert list(rows[0]) == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", column, "Current Score"]
    assert [row[column] for row in rows] == ["15", "11", "0", "10", "12", ""]
    assert f"- resubed ({ASSIGNMENT}, found as 'resubed_10005_505_{ASSIGNMENT}-1.ipynb')" in done.stdout
    assert f"in the roster but not graded (left as they were): 1\n- Nobody, No ({ASSIGNMENT})" in done.stdout


def test_feedback_comes_as_one_zip_in_canvas_s_upload_layout_or_one_zip_per_student(canvas_class):
    with zipfile.ZipFile(canvas_class.root / "plain" / f"canvas-feedback-{ASSIGNMENT}.zip") as bundle:
        assert sorted(bundle.namelist()) == sorted(f"{file.rsplit('_', 1)[0]}_{ASSIGNMENT}.html"
                                                   for file, _, _, _ in CLASS.values())
        page = bundle.read(f"partialcy_10003_503_{ASSIGNMENT}.html").decode()
    assert page == (canvas_class.course / "feedback" / "partialcy" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    for name in CLASS:
        with zipfile.ZipFile(canvas_class.root / "per student" / "feedback" / f"{name}.zip") as bundle:
            assert bundle.namelist() == [f"{ASSIGNMENT}.html"]


def test_a_setup_cell_that_fails_in_the_sandbox_stops_grading_before_anyone_is_scored(tmp_path, no_mnist):
    course = copy_course(COURSE_DIR, tmp_path / "course")
    master = nbformat.read(course / MASTER, as_version=4)
    cell(master, "setup").source = cell(master, "setup").source.replace(
        "from starter_lib import env", "from starter_lib.not_installed_here import env")
    nbformat.write(master, course / MASTER)
    (tmp_path / "class" / "ada").mkdir(parents=True)
    release = nbformat.read(LEARNER_DIR / f"{ASSIGNMENT}.ipynb", as_version=4)
    nbformat.write(answered(release, nbformat.read(COURSE_DIR / MASTER, as_version=4)),
                   tmp_path / "class" / "ada" / f"{ASSIGNMENT}.ipynb")
    result = subprocess.run([sys.executable, "-m", "autograder", "grade", ASSIGNMENT, str(tmp_path / "class"),
                             "--course", str(course), "--workers", "1", "--cell-timeout", "90"],
                            env={**os.environ, **no_mnist}, capture_output=True, text=True, timeout=600)
    assert result.returncode == 2
    assert "the blank release fails in the sandbox before any student is graded: setup: ModuleNotFoundError: " \
           "No module named 'starter_lib.not_installed_here'" in result.stderr
    assert not (course / "reports").exists() and not (course / "autograded").exists()
