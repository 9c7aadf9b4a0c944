"""The gradebook on a real PostgreSQL server: ``python -m autograder grade --db-url postgresql://...``.

The test starts a throwaway PostgreSQL cluster (``initdb`` and ``pg_ctl`` from the Debian package
``postgresql``, which ``make test`` installs when it is missing) listening only on a Unix socket
in a temporary folder, run as the ``postgres`` user when the tests run as root, since PostgreSQL
refuses to run as root. Notebooks 01 and 03 are released into it; then two graders, started at
once, write their assignments into the same database; both run again; and every row the
gradebook holds is read back and compared with the master's points. Kernels use the digits
fallback (no MNIST): faster, and the scores do not depend on it.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from nbgrader.api import Gradebook

from grading_cases import ASSIGNMENT, answered
from notebook_tools import grade_id, is_graded, released_course

FIRST = "01-dataset-creation"
# student: {assignment: answers other than the master's}; Bo's sigmoid is wrong and Bo hands in no 01.
CLASS = {"ada": {FIRST: {}, ASSIGNMENT: {}}, "bo": {ASSIGNMENT: {"sigmoid": "return np.tanh(z)"}}}
WRONG_CELL = {("bo", ASSIGNMENT): "test_sigmoid"}


def postgres_program(name: str) -> str:
    """The path of one of PostgreSQL's server programs, which Debian keeps off ``PATH``."""
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    if found is None:
        pytest.fail(f"no PostgreSQL {name}: install the Debian package postgresql (make test does when it can)")
    return found


def as_server_user(command: list[str]) -> list[str]:
    """``command`` as the ``postgres`` user when the tests run as root, else as it is."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@pytest.fixture(scope="module")
def postgres_url():
    """The URL of an empty database on a PostgreSQL server started for these tests, stopped after them."""
    folder = Path(tempfile.mkdtemp(prefix="keras-starter-pg-"))  # not under pytest's root-only tmp folder
    if os.geteuid() == 0:
        account = pwd.getpwnam("postgres")
        os.chown(folder, account.pw_uid, account.pw_gid)
    data, socket = folder / "data", str(folder)

    def run(*command: str) -> None:
        done = subprocess.run(as_server_user(list(command)), capture_output=True, text=True)
        if done.returncode != 0:
            pytest.fail(f"{' '.join(command)} exited {done.returncode}: {done.stderr[-2000:]}")

    run(postgres_program("initdb"), "-D", str(data), "-U", "postgres", "--auth", "trust", "-E", "UTF8")
    run(postgres_program("pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"), "-w", "start",
        "-o", f"-k {socket} -c listen_addresses=''")
    try:
        run(postgres_program("createdb"), "-h", socket, "-U", "postgres", "gradebook")
        yield f"postgresql://postgres@/gradebook?host={socket}"
    finally:
        run(postgres_program("pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(folder, ignore_errors=True)


def submissions(folder: Path, course: Path, assignment: str) -> Path:
    """The class's notebooks of ``assignment`` as ``<student>/<notebook>.ipynb``."""
    release = nbformat.read(course / "release" / assignment / f"{assignment}.ipynb", as_version=4)
    master = nbformat.read(course / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    for student, answers in CLASS.items():
        if assignment in answers:
            (folder / student).mkdir(parents=True)
            nbformat.write(answered(release, master, **answers[assignment]), folder / student / f"{assignment}.ipynb")
    return folder


@pytest.fixture(scope="module")
def graded_into_postgres(tmp_path_factory, postgres_url, no_mnist):
    """Both assignments graded by two graders at once into one database, then graded again."""
    root = tmp_path_factory.mktemp("postgres")
    course, _, api = released_course(root, FIRST, ASSIGNMENT, db_url=postgres_url)
    env = {**os.environ, **no_mnist}

    def command(assignment: str) -> list[str]:
        return [sys.executable, "-m", "autograder", "grade", assignment,
                str(submissions(root / "class" / assignment, course, assignment)), "--course", str(course),
                "--db-url", postgres_url, "--workers", "1", "--cell-timeout", "90"]

    commands = {assignment: command(assignment) for assignment in (FIRST, ASSIGNMENT)}
    runs = {}
    for round_ in ("at once", "again"):
        started = {name: subprocess.Popen(line, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                   for name, line in commands.items()}
        runs[round_] = {name: SimpleNamespace(returncode=process.wait(timeout=900), stdout=process.stdout.read(),
                                              stderr=process.stderr.read()) for name, process in started.items()}
    return SimpleNamespace(api=api, course=course, runs=runs)


def expected_grades(course: Path) -> dict[tuple[str, str, str], float]:
    """(student, assignment, graded cell): the points it must get, from the masters."""
    grades = {}
    for assignment in (FIRST, ASSIGNMENT):
        master = nbformat.read(course / "source" / assignment / f"{assignment}.ipynb", as_version=4)
        for cell in filter(is_graded, master.cells):
            for student, answers in CLASS.items():
                if assignment in answers:
                    wrong = WRONG_CELL.get((student, assignment)) == grade_id(cell)
                    grades[student, assignment, grade_id(cell)] = 0 if wrong else cell.metadata["nbgrader"]["points"]
    return grades


def test_two_graders_at_once_both_finish(graded_into_postgres):
    for name, run in graded_into_postgres.runs["at once"].items():
        assert run.returncode == 0, f"{name}: {run.stderr[-3000:]}"


def test_every_grade_row_is_in_postgres_once_with_the_right_score(graded_into_postgres):
    api = graded_into_postgres.api
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gradebook:
        submitted = [(submission.student_id, assignment.name) for assignment in gradebook.assignments
                     for submission in assignment.submissions]
        rows = [(submission.student_id, assignment.name, grade.name, grade.score)
                for assignment in gradebook.assignments for submission in assignment.submissions
                for notebook in submission.notebooks for grade in notebook.grades]
    assert sorted(submitted) == sorted((student, name) for student, answers in CLASS.items() for name in answers)
    assert len(rows) == len({row[:3] for row in rows}), "a grade row is there twice"
    assert {row[:3]: row[3] for row in rows} == expected_grades(graded_into_postgres.course)


def table(stdout: str) -> list[str]:
    """The rows of the grader's end-of-run table."""
    return [line for line in stdout.splitlines() if line.startswith("| ")]


def test_grading_again_keeps_every_student_and_changes_no_score(graded_into_postgres):
    first, again = graded_into_postgres.runs["at once"], graded_into_postgres.runs["again"]
    for assignment, run in again.items():
        assert run.returncode == 0, f"{assignment}: {run.stderr[-3000:]}"
        students = sum(assignment in answers for answers in CLASS.values())
        assert f"{students} student(s) already graded for these very files: kept" in run.stderr
        assert table(run.stdout) == table(first[assignment].stdout) != []
