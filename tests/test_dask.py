"""Grading on a Dask cluster: ``python -m autograder grade ... --cluster tcp://HOST:PORT`` or ``local:N``.

The first fixture starts what a cluster runs, as separate processes on localhost: a ``dask
scheduler`` and two ``dask worker`` processes (one notebook at a time each). It grades part of
the hostile fixture class of notebook 03 through them and kills one worker in the middle of a
notebook; the class must still come out as the local pool grades it (``grading_cases.CASES``),
each student once. The second grades the whole hostile class with ``--cluster local:2``, stops
the grader with SIGTERM mid-run, then runs it again to the end: every case as the local pool
grades it. Kernels use the digits fallback (no MNIST).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder.grading import executors
from autograder.grading.state import flag_kinds
from benchmarks.grading_scale import start_cluster
from grading_cases import ASSIGNMENT, CASES, LIMITS, build_class, write_class
from notebook_tools import descendants, released_course

pytest.importorskip("distributed", reason="Dask distributed is in the instructor extra, which make test installs")

# Cheap cases that still cover a right answer, a wrong one, memory, a kernel that exits, the
# sandbox as a whole, the network and a file that is no notebook.
CLASS = ("solution", "wrong-function", "memory-hog", "kernel-exit", "forked-memory-hogs", "network-call",
         "corrupt-json")
# Through --cluster local:2, every case of the hostile class must grade as through the local pool.
WHOLE_CLASS = tuple(CASES)


def the_class(root: Path, course: Path, db_url: str, students: tuple[str, ...]) -> Path:
    release = nbformat.read(course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    master = nbformat.read(course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    victim = course / "submitted" / "solution" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    cases = build_class(release, master, Path(db_url.removeprefix("sqlite:///")), victim)
    return write_class(root / "submissions", {name: cases[name] for name in students})


def grade_command(submissions: Path, course: Path, db_url: str, cluster: str) -> list[str]:
    return [sys.executable, "-m", "autograder", "grade", ASSIGNMENT, str(submissions), "--course", str(course),
            "--db-url", db_url, "--cluster", cluster, *LIMITS]


def busy(pid: int, since: dict[str, float], seconds: float = 2) -> bool:
    """Whether process ``pid`` has had a sandboxed kernel below it for ``seconds``."""
    if not any(b"bwrap" in line for line in descendants(pid).values()):
        since.pop(str(pid), None)
        return False
    return time.monotonic() - since.setdefault(str(pid), time.monotonic()) >= seconds


def alive(pid: str) -> bool:
    """Whether process ``pid`` still runs (a zombie, ended and not yet waited for, does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def reports(course: Path) -> dict[str, dict]:
    return {path.stem: json.loads(path.read_text()) for path in (course / "reports" / ASSIGNMENT).glob("*.json")}


def unlike_the_local_pool(course: Path, students: tuple[str, ...]) -> list[str]:
    """The students whose score or kinds of flag differ from what the local pool gives them (``CASES``)."""
    graded = reports(course)
    assert sorted(graded) == sorted(students)
    return [f"{student}: {graded[student]['score']} {graded[student]['status']} {graded[student]['flags']}"
            for student in students
            if (graded[student]["score"], flag_kinds(graded[student])) !=
            CASES[student]]


@pytest.fixture(scope="module")
def cluster_graded(tmp_path_factory, no_mnist):
    """The class graded through a real scheduler and two workers, one of them killed mid-notebook."""
    root = tmp_path_factory.mktemp("dask")
    course, db_url, api = released_course(root, ASSIGNMENT)
    submissions = the_class(root, course, db_url, CLASS)
    env = {**os.environ, **no_mnist}
    address, started = start_cluster(2, env, root)
    workers = started[1:]
    try:
        grader = subprocess.Popen(grade_command(submissions, course, db_url, address), env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        killed, since = None, {}
        while grader.poll() is None and killed is None:
            # Once a student is recorded the canary has passed; then stop a worker in mid-notebook.
            if reports(course):
                killed = next((w for w in workers if w.poll() is None and busy(w.pid, since)), None)
                if killed is not None:
                    killed.kill()
            time.sleep(0.1)
        stdout, stderr = grader.communicate(timeout=900)
        return SimpleNamespace(course=course, api=api, grader=grader, stdout=stdout, stderr=stderr, killed=killed,
                               still_running=[w.poll() is None for w in workers])
    finally:
        for process in started:
            process.kill()
            process.wait()


def test_the_class_graded_on_the_cluster_scores_as_on_the_local_pool(cluster_graded):
    assert cluster_graded.grader.returncode == 0, cluster_graded.stderr[-3000:]
    assert cluster_graded.killed is not None, "no worker was seen busy with a notebook, so none was killed"
    assert sorted(cluster_graded.still_running) == [False, True], "not exactly one worker was killed"
    assert unlike_the_local_pool(cluster_graded.course, CLASS) == []


def test_every_student_is_recorded_once_although_a_worker_died(cluster_graded):
    progress = [line for line in cluster_graded.stderr.replace("\r", "\n").splitlines() if " graded, " in line]
    for student in CLASS:
        assert sum(f": {student}: " in line for line in progress) == 1, f"{student} in:\n" + "\n".join(progress)
    with Gradebook(cluster_graded.api.coursedir.db_url, cluster_graded.api.coursedir.course_id) as gradebook:
        assert sorted(s.student_id for s in gradebook.find_assignment(ASSIGNMENT).submissions) == sorted(CLASS)


@pytest.fixture(scope="module")
def stopped_and_finished(tmp_path_factory, no_mnist):
    """``--cluster local:2`` stopped with SIGTERM while a notebook runs, then the same command again."""
    root = tmp_path_factory.mktemp("dask-local")
    course, db_url, _ = released_course(root, ASSIGNMENT)
    command = grade_command(the_class(root, course, db_url, WHOLE_CLASS), course, db_url, "local:2")
    env = {**os.environ, **no_mnist}
    grader = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    since, tree = {}, {}
    while grader.poll() is None and not busy(grader.pid, since, seconds=3):
        time.sleep(0.1)
    tree = descendants(grader.pid)
    grader.send_signal(signal.SIGTERM)
    stopped = SimpleNamespace(returncode=grader.wait(timeout=120), stderr=grader.stderr.read(), tree=tree)
    deadline = time.monotonic() + 30  # worker processes the grader killed may take a moment to end
    while (left := [pid for pid in tree if alive(pid)]) and time.monotonic() < deadline:
        time.sleep(0.5)
    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
    return SimpleNamespace(course=course, stopped=stopped, left=left, again=again)


def test_sigterm_stops_a_local_cluster_and_every_process_of_it(stopped_and_finished):
    stopped = stopped_and_finished.stopped
    assert any(b"bwrap" in line for line in stopped.tree.values()), "SIGTERM came before any notebook ran"
    assert stopped.returncode == 130, stopped.stderr[-3000:]
    assert "interrupted: the running notebooks were stopped" in stopped.stderr
    assert stopped_and_finished.left == [], "processes of the grader outlived it by 30 s"


def test_the_run_after_a_stop_grades_the_rest_as_the_local_pool_does(stopped_and_finished):
    again = stopped_and_finished.again
    assert again.returncode == 0, again.stderr[-3000:]
    assert unlike_the_local_pool(stopped_and_finished.course, WHOLE_CLASS) == []


@pytest.mark.parametrize("address, expected", [
    ("local:0", "needs a positive number of workers"),
    ("local:two", "needs a positive number of workers"),
    ("scheduler.example.org:8786", "takes tcp://HOST:PORT"),
])
def test_a_cluster_address_of_the_wrong_form_is_refused_naming_both_forms(address, expected):
    with pytest.raises(ValueError, match=expected):
        executors.DaskCluster(address)


def test_workers_and_cluster_together_are_refused(tmp_path):
    from autograder.grading import grade

    with pytest.raises(ValueError, match="give --workers or --cluster, not both"):
        grade.grade(ASSIGNMENT, tmp_path, workers=2, cluster="local:2")
