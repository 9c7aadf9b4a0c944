"""The whole course in one command: a Moodle class's two notebooks graded, reported and exported together.

Moodle exports one zip per assignment of folders
``<full name>_<participant id>_assignsubmission_file_/<notebook>``. Two students
hand in notebooks 01 and 03: Ada answers both, Bo hands in 01 blank. One
``grade`` command grades both assignments from their zips, ``report --all``
gives the course view, and ``export --lms moodle`` writes Moodle's grading
worksheets and feedback zips, once more with the worksheet Moodle itself exports.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

from autograder.course import assignments
from grading_cases import ASSIGNMENT, answered
from notebook_tools import released_course

FIRST = "01-dataset-creation"
STUDENTS = {"101": "Ada Adams", "102": "Bo Brown"}  # participant id: full name
BLANK = {("102", FIRST)}
# The grading worksheet as Moodle exports it: Bo (102) is not in it, Cy (103) handed in nothing.
WORKSHEET = """Identifier,Full name,Email address,Status,Grade,Maximum Grade,Grade can be changed,Feedback comments
Participant 101,Ada Adams,ada@uni.example,Submitted for grading,,100.00,Yes,
Participant 103,Cy Carter,cy@uni.example,No submission,,100.00,Yes,
"""


def moodle_zip(path: Path, course: Path, assignment: str) -> Path:
    release = nbformat.read(course / "release" / assignment / f"{assignment}.ipynb", as_version=4)
    master = nbformat.read(course / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    with zipfile.ZipFile(path, "w") as bundle:
        for participant, name in STUDENTS.items():
            notebook = release if (participant, assignment) in BLANK else answered(release, master)
            bundle.writestr(f"{name}_{participant}_assignsubmission_file_/{assignment}.ipynb",
                            nbformat.writes(notebook))
    return path


def autograder(*args: str, env=None, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "autograder", *args], env=env, capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture(scope="module")
def course(tmp_path_factory, no_mnist):
    root = tmp_path_factory.mktemp("course")
    course, db_url, api = released_course(root, FIRST, ASSIGNMENT)
    (root / "class").mkdir()
    for assignment in (FIRST, ASSIGNMENT):
        moodle_zip(root / "class" / f"{assignment}.zip", course, assignment)
    where = ["--course", str(course), "--db-url", db_url]
    graded = autograder("grade", FIRST, ASSIGNMENT, str(root / "class"), "--pattern", "moodle", *where,
                        "--workers", "2", "--cell-timeout", "90", env={**os.environ, **no_mnist}, timeout=900)
    assert graded.returncode == 0, graded.stderr[-3000:]
    (root / "worksheet.csv").write_text(WORKSHEET)
    runs = {"graded": graded, "report": autograder("report", "--all", *where),
            "export": autograder("export", FIRST, ASSIGNMENT, "--lms", "moodle", "--out", str(root / "out"), *where),
            "worksheet": autograder("export", ASSIGNMENT, "--lms", "moodle", "--roster", str(root / "worksheet.csv"),
                                    "--out", str(root / "worksheet"), *where)}
    return SimpleNamespace(root=root, course=course, api=api, runs=runs)


def points(course, assignment: str) -> float:
    from nbgrader.api import Gradebook

    with Gradebook(course.api.coursedir.db_url, course.api.coursedir.course_id) as gradebook:
        return gradebook.find_assignment(assignment).max_score


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="") as table:
        return list(csv.DictReader(table))


def test_one_grade_command_grades_each_assignment_from_its_own_zip(course):
    out = course.runs["graded"].stdout
    top = points(course, FIRST)
    assert f"## {FIRST}" in out and f"## {ASSIGNMENT}" in out
    assert f"| 101 | {top:g} / {top:g} |" in out and f"| 102 | 0 / {top:g} |" in out
    assert out.count("| 101 | 15 / 15 |") == 1 and out.count("| 102 | 15 / 15 |") == 1


def test_the_course_view_gives_each_student_per_notebook_and_in_total_and_what_to_teach_again(course):
    done = course.runs["report"]
    assert done.returncode == 0, done.stderr
    top = points(course, FIRST)
    assert f"| student | {FIRST} | {ASSIGNMENT} | total (of {top + 15:g}) |" in done.stdout
    assert f"| 101 | {top:g} | 15 | {top + 15:g} |" in done.stdout and "| 102 | 0 | 15 | 15 |" in done.stdout
    rates = done.stdout.split("| notebook | test cell | no points |\n|---|---|---|\n")[1].split("\n\n")[0]
    notebooks = [line.split(" | ")[0].lstrip("| ") for line in rates.splitlines()]
    shares = [line.split(" | ")[-1] for line in rates.splitlines()]
    assert notebooks == sorted(notebooks) and set(notebooks) == {FIRST, ASSIGNMENT}
    assert shares == ["50% |" if notebook == FIRST else "0% |" for notebook in notebooks]
    later = [name for name in assignments(course.course) if name not in (FIRST, ASSIGNMENT)]
    assert f"not graded yet: {', '.join(later)}" in done.stdout
    assert (course.course / "reports" / "course.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_moodle_gets_a_grading_worksheet_per_assignment_and_feedback_zips_named_as_moodle_named_the_folders(course):
    assert course.runs["export"].returncode == 0, course.runs["export"].stderr
    rows = read_csv(course.root / "out" / f"moodle-{FIRST}.csv")
    top = points(course, FIRST)
    assert rows == [{"Identifier": "Participant 101", "Full name": "Ada Adams", "Grade": f"{top:g}",
                     "Maximum Grade": f"{top:g}"},
                    {"Identifier": "Participant 102", "Full name": "Bo Brown", "Grade": "0", "Maximum Grade": f"{top:g}"}]
    with zipfile.ZipFile(course.root / "out" / f"moodle-feedback-{ASSIGNMENT}.zip") as bundle:
        assert sorted(bundle.namelist()) == [f"{name}_{participant}_assignsubmission_file_/{ASSIGNMENT}.html"
                                             for participant, name in STUDENTS.items()]


def test_with_moodle_s_worksheet_only_its_grades_change_and_unmatched_students_are_listed(course):
    done = course.runs["worksheet"]
    assert done.returncode == 0, done.stderr
    rows = read_csv(course.root / "worksheet" / f"moodle-{ASSIGNMENT}.csv")
    assert [(row["Identifier"], row["Grade"], row["Maximum Grade"], row["Status"]) for row in rows] == [
        ("Participant 101", "15", "15", "Submitted for grading"), ("Participant 103", "", "100.00", "No submission")]
    assert f"graded but not matched to an LMS row (not exported): 1\n- 102 ({ASSIGNMENT}, found as " \
           f"'Bo Brown_102_assignsubmission_file_/{ASSIGNMENT}.ipynb')" in done.stdout
    assert f"- Participant 103 ({ASSIGNMENT})" in done.stdout
