"""The grader's parts one at a time: the scan, the repair, collecting submissions, the sandbox.

Sandbox tests run real kernels in bubblewrap on small notebooks without
TensorFlow, so each takes a few seconds.
"""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import nbformat
import pytest
from nbgrader.utils import determine_grade
from traitlets.config import Config

from autograder.authoring import validate
from autograder.course import COURSE_DIR, LEARNER_DIR
from autograder.grading import feedback, prepare, record, sandbox, scan, similar, stages, submissions, worker
from autograder.grading.state import Flag, Kind, Result, Status
from grading_cases import ASSIGNMENT, answer, answered, cell
from notebook_tools import copy_course

RELEASE = LEARNER_DIR / f"{ASSIGNMENT}.ipynb"
MASTER = COURSE_DIR / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"


@pytest.fixture(scope="module")
def release():
    return nbformat.read(RELEASE, as_version=4)


@pytest.fixture(scope="module")
def master():
    return nbformat.read(MASTER, as_version=4)


@pytest.fixture(scope="module")
def solution(release, master):
    return answered(release, master)


def scanned(code: str) -> list[str]:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import numpy as np\nfrom starter_lib "
                                                                         "import checks"),
                                               nbformat.v4.new_code_cell(code)])
    return [str(flag) for flag in scan.scan(notebook)]


# --- the tamper scan -----------------------------------------------------------------

def test_a_right_answer_raises_no_flag(solution, release):
    locked = {g for g, c in prepare.nbgrader_cells(release).items() if c.metadata.nbgrader.get("locked")}
    assert scan.scan(solution, trusted=locked) == []


@pytest.mark.parametrize("code, flag", [
    ("get_ipython().showtraceback = lambda *a: None", "tamper: touches the error reporting hook showtraceback"),
    ("get_ipython().set_custom_exc((Exception,), print)", "tamper: touches the error reporting hook set_custom_exc"),
    ("import sys\nsys.modules['starter_lib.checks'] = None", "tamper: touches sys.modules"),
    ("import builtins\nbuiltins.print = None", "tamper: imports builtins"),
    ("checks.check_sigmoid = lambda f: None", "tamper: replaces library attribute checks.check_sigmoid"),
    ("np.allclose = lambda *a, **k: True", "tamper: replaces library attribute np.allclose"),
    ("setattr(checks, 'expect', print)", "tamper: setattr on library object checks"),
    ("class A:\n    def __eq__(self, other):\n        return True", "tamper: defines an always-true __eq__"),
    ("class A:\n    __eq__ = lambda self, other: True", "tamper: defines an always-true __eq__"),
    ("import sys\nframe = sys._getframe(1)", "tamper: inspects the interpreter (sys._getframe)"),
    ("text = open('../../gradebook.db').read()", "file access: names a path outside the notebook's folder"),
    ("import socket", "network: imports socket"),
    ("import os\nos.system('ls')", "process: calls os.system()"),
])
def test_the_scan_flags_attempts_on_the_grader(code, flag):
    assert any(found.startswith(flag) for found in scanned(code)), scanned(code)


def test_the_scan_reads_magics_and_skips_cells_that_are_not_python():
    assert scanned("%matplotlib inline\nx = 1") == []
    assert scanned("def broken(:\n    pass") == []


# --- feedback ------------------------------------------------------------------------------

def test_feedback_hides_hidden_tests_and_grader_folders_unless_asked_to_show_everything(master):
    notebook = copy.deepcopy(master)
    cell(notebook, "test_softmax").outputs = [worker.error_output("AssertionError", "softmax underflows")]
    cell(notebook, "sigmoid").outputs = [nbformat.v4.new_output(
        "error", ename="NameError", evalue="name 'q' is not defined",
        traceback=["File /tmp/ag-1234/runs/0003/work/helper.py:2", "NameError: name 'q' is not defined"])]
    hidden, _ = feedback.HideHiddenTests(grader_paths=["/tmp/ag-1234"])(notebook, {})
    test = cell(hidden, "test_softmax")
    assert "BEGIN HIDDEN TESTS" not in test.source and "default_rng" not in test.source
    assert test.source.startswith("checks.check_softmax(softmax)\n" + feedback.HIDDEN_NOTE)
    assert test.outputs[0].traceback == ["AssertionError: softmax underflows"]
    assert cell(hidden, "sigmoid").outputs[0].traceback[0] == "File .../runs/0003/work/helper.py:2"
    assert feedback.HideHiddenTests not in feedback.chain(show_everything=True)
    assert feedback.exercise_titles(master)["test_softmax"] == "Exercise 2 (3 points): a numerically stable softmax"


# --- similar answers ---------------------------------------------------------------------

def test_answers_alike_under_other_names_and_layout_are_paired_and_others_not(solution, release):
    renamed = copy.deepcopy(solution)
    for grade_id in ("sigmoid", "softmax"):
        source = re.sub(r"\bz\b", "x_in", re.sub(r"\bscores\b", "s", cell(renamed, grade_id).source))
        cell(renamed, grade_id).source = source.replace("\n", "\n\n    # my own work\n", 1)
    other = copy.deepcopy(release)
    answer(other, "sigmoid", "return np.tanh(z)")
    answer(other, "softmax", "return scores")
    pairs = similar.similar_pairs({"ada": solution, "bo": renamed, "cy": other, "di": release}, release)
    assert [(first, second) for first, second, _ in pairs] == [("ada", "bo")]
    assert {"sigmoid", "softmax"} <= set(pairs[0][2])


# --- comparing with the release and repairing ------------------------------------------

def test_compare_finds_nothing_in_an_untouched_copy(release):
    assert prepare.compare(release, release) == []


def test_repair_clears_tags_and_restores_metadata_and_deleted_tests(solution, release, tmp_path):
    changed = copy.deepcopy(solution)
    cell(changed, "test_sigmoid").metadata["tags"] = ["skip-execution"]
    cell(changed, "test_softmax").metadata["nbgrader"]["points"] = 30
    cell(changed, "test_softmax").metadata["nbgrader"]["grade"] = False
    changed.cells.remove(cell(changed, "test_cross_entropy"))
    folder = tmp_path / "release" / ASSIGNMENT
    folder.mkdir(parents=True)
    nbformat.write(release, folder / RELEASE.name)
    repair = prepare.Repair(config=Config({"CourseDirectory": {"root": str(tmp_path)}}))
    fixed, _ = repair(changed, {"nbgrader": {"assignment": ASSIGNMENT, "notebook": ASSIGNMENT}})
    assert "tags" not in cell(fixed, "test_sigmoid").metadata
    assert cell(fixed, "test_softmax").metadata.nbgrader == cell(release, "test_softmax").metadata.nbgrader
    order = [c.metadata.get("nbgrader", {}).get("grade_id") for c in fixed.cells]
    assert order.index("test_cross_entropy") == order.index("cross_entropy") + 1


def test_compare_names_each_change(solution, release):
    changed = copy.deepcopy(solution)
    cell(changed, "test_sigmoid").metadata["tags"] = ["skip-execution"]
    cell(changed, "test_softmax").source = "pass"
    cell(changed, "test_trained_model").metadata["nbgrader"]["points"] = 50
    changed.cells.remove(cell(changed, "test_cross_entropy"))
    assert [str(flag) for flag in prepare.compare(changed, release)] == [
        "edited: test cell test_softmax (the original is graded)",
        "deleted: test cell test_cross_entropy (restored for grading)",
        "metadata: test cell test_trained_model changed points (restored)",
        "tags: skip-execution on test_sigmoid (removed)",
    ]


# --- collecting submissions ------------------------------------------------------------

CANVAS_PATTERN = r"^(?P<student_id>[^_/]+)_(?:LATE_)?(?P<timestamp>\d{8}T\d{6})_(?P<file_id>.+\.ipynb)$"


def test_an_lms_zip_is_collected_by_pattern_with_timestamps(release, tmp_path):
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr(f"ada_20250301T120000_{ASSIGNMENT}.ipynb", nbformat.writes(release))
        bundle.writestr(f"bo_LATE_20250302T090000_{ASSIGNMENT}-1.ipynb", nbformat.writes(release))
        bundle.writestr("readme.txt", "not a notebook")
    found, unmatched = submissions.find(submissions.unpack(archive, tmp_path / "unpacked"), CANVAS_PATTERN)
    assert sorted(found) == ["ada", "bo"] and unmatched == []
    for student, submission in found.items():
        submissions.choose(submission, RELEASE.name, release)
        submissions.file_into(submission, tmp_path / "submitted" / student / ASSIGNMENT, RELEASE.name, RELEASE)
    assert found["bo"].flags == [
        Flag(Kind.RENAMED, f"graded 'bo_LATE_20250302T090000_{ASSIGNMENT}-1.ipynb' as {RELEASE.name}")]
    assert (tmp_path / "submitted" / "ada" / ASSIGNMENT / "timestamp.txt").read_text() == "20250301T120000"
    assert sorted(p.name for p in (tmp_path / "submitted" / "bo" / ASSIGNMENT).iterdir()) == [
        RELEASE.name, "timestamp.txt"]


@pytest.mark.parametrize("pattern, right, resubmitted", [
    ("folders", f"ada/{ASSIGNMENT}.ipynb", f"bo/{ASSIGNMENT} (1).ipynb"),
    ("canvas", f"adamsada_10001_501_{ASSIGNMENT}.ipynb", f"bosbo_LATE_10002_502_{ASSIGNMENT}-1.ipynb"),
    ("moodle", f"Ada Adams_10001_assignsubmission_file_/{ASSIGNMENT}.ipynb",
     f"Bo Bos_10002_assignsubmission_file_/{ASSIGNMENT} (1).ipynb"),
])
def test_only_a_resubmission_name_is_flagged_renamed(pattern, right, resubmitted, release, tmp_path):
    for name in (right, resubmitted):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(release, tmp_path / name)
    found, unmatched = submissions.find(tmp_path, pattern)
    assert len(found) == 2 and unmatched == []
    for submission in found.values():
        submissions.choose(submission, RELEASE.name, release)
    flags = {submission.chosen.relative_to(tmp_path).as_posix(): submission.flags for submission in found.values()}
    assert flags == {right: [], resubmitted: [Flag(Kind.RENAMED, f"graded {Path(resubmitted).name!r} as {RELEASE.name}")]}


def test_late_is_the_lms_marker_or_a_timestamp_past_the_due_date(release, tmp_path):
    for name in (f"ada_20250301T120000_{ASSIGNMENT}.ipynb", f"bo_20250302T090000_{ASSIGNMENT}.ipynb",
                 f"cy_LATE_20250301T110000_{ASSIGNMENT}.ipynb"):
        nbformat.write(release, tmp_path / name)
    pattern = r"^(?P<student_id>[^_/]+)_(?P<late>LATE_)?(?P<timestamp>\d{8}T\d{6})_(?P<file_id>.+\.ipynb)$"
    found, _ = submissions.find(tmp_path, pattern)
    due = datetime(2025, 3, 1, 18, 0)
    assert {name: submissions.lateness(submission, due) for name, submission in found.items()} == {
        "ada": [], "bo": [Flag(Kind.LATE, "submitted 2025-03-02 09:00, after the due date 2025-03-01 18:00 (UTC)")],
        "cy": [Flag(Kind.LATE, "the LMS marked it late")]}
    assert submissions.lateness(found["bo"], None) == []


def test_in_a_tree_of_several_assignments_a_notebook_goes_to_the_one_it_is_named_after_or_whose_cells_it_has(
        release, tmp_path):
    other = "01-dataset-creation"
    releases = {ASSIGNMENT: release, other: nbformat.read(LEARNER_DIR / f"{other}.ipynb", as_version=4)}
    nbformat.write(release, tmp_path / "Untitled.ipynb")
    nbformat.write(nbformat.v4.new_notebook(), tmp_path / "empty.ipynb")
    assert submissions.owner(tmp_path / "x.ipynb", f"{ASSIGNMENT} (1).ipynb", releases) == ASSIGNMENT
    assert submissions.owner(tmp_path / "x.ipynb", f"{other}.ipynb", releases) == other
    assert submissions.owner(tmp_path / "Untitled.ipynb", "Untitled.ipynb", releases) == ASSIGNMENT
    assert submissions.owner(tmp_path / "empty.ipynb", "empty.ipynb", releases) is None


def test_a_zip_member_outside_the_archive_is_refused(tmp_path):
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("../escape.ipynb", "{}")
    with pytest.raises(ValueError, match="outside the archive"):
        submissions.unpack(archive, tmp_path / "unpacked")
    assert not (tmp_path / "escape.ipynb").exists()


def test_a_pattern_without_the_named_groups_is_refused(tmp_path):
    with pytest.raises(ValueError, match="named groups student_id and file_id"):
        submissions.find(tmp_path, r"(?P<name>.+)\.ipynb")


def test_a_students_own_files_come_along_but_never_a_timestamp(release, tmp_path):
    folder = tmp_path / "class" / "ada"
    folder.mkdir(parents=True)
    nbformat.write(release, folder / RELEASE.name)
    (folder / "notes.csv").write_text("a,b\n")
    (folder / "timestamp.txt").write_text("2000-01-01 00:00:00")
    found, _ = submissions.find(tmp_path / "class")
    submissions.choose(found["ada"], RELEASE.name, release)
    target = submissions.file_into(found["ada"], tmp_path / "out", RELEASE.name, RELEASE)
    assert sorted(p.name for p in target.parent.iterdir()) == [RELEASE.name, "notes.csv"]


# --- the sandbox -----------------------------------------------------------------------

def small_notebook(sources: list[str]) -> nbformat.NotebookNode:
    """A notebook of code cells whose last cell is a graded test worth one point."""
    cells = [nbformat.v4.new_code_cell(source) for source in sources]
    cells[-1].metadata["nbgrader"] = {"grade": True, "grade_id": "test", "points": 1, "solution": False,
                                      "locked": True, "schema_version": 3}
    return nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": {
        "name": "python3", "display_name": "Python 3", "language": "python"}})


def run_cells(tmp_path: Path, sources: list[str], timeout: int = 60, cell_timeout: int = 20,
              memory_mb: int = 1024, readable: list[str] = ()) -> tuple[Result, nbformat.NotebookNode]:
    """Run a small notebook through the grader's worker; the last cell is a graded test."""
    for name in ("work", "sockets"):
        (tmp_path / name).mkdir(parents=True)
    nbformat.write(small_notebook(sources), tmp_path / "prepared.ipynb")
    job = worker.Job(str(tmp_path / "prepared.ipynb"), str(tmp_path / "executed.ipynb"), str(tmp_path / "result.json"),
                     str(tmp_path / "work"), str(tmp_path / "sockets"), cell_timeout, timeout, memory_mb, list(readable))
    result = worker.run(job)
    assert Result.from_json((tmp_path / "result.json").read_text()) == result
    return result, nbformat.read(tmp_path / "executed.ipynb", as_version=4)


def outputs(notebook, index: int) -> str:
    return "".join(out.get("text", "") + out.get("ename", "") for out in notebook.cells[index].outputs)


def test_the_kernel_sees_only_its_own_folder_a_data_folder_and_no_network(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "digits.txt").write_text("0123456789")
    result, executed = run_cells(tmp_path, [
        "import os, socket\nprint(os.getcwd())\nprint(sorted(os.listdir('.')))",
        f"print(os.path.exists({str(COURSE_DIR)!r}), os.path.exists({str(tmp_path / 'prepared.ipynb')!r}))",
        "open('answer.txt', 'w').write('42')\nhome = os.path.expanduser('~')\nprint(home, os.access(home, os.W_OK))",
        "try:\n    socket.create_connection(('1.1.1.1', 53), timeout=3)\nexcept OSError as error:\n"
        "    print('offline', type(error).__name__)",
        f"print(open({str(tmp_path / 'data' / 'digits.txt')!r}).read())",
    ], readable=[str(tmp_path / "data")])
    assert result.status is Status.OK
    assert outputs(executed, 0) == f"{tmp_path / 'work'}\n[]\n"
    assert outputs(executed, 1) == "False False\n"
    assert outputs(executed, 2) == f"{sandbox.HOME} True\n"
    assert outputs(executed, 3).startswith("offline")
    assert outputs(executed, 4) == "0123456789\n"
    assert (tmp_path / "work" / "answer.txt").read_text() == "42"


def test_the_whole_notebook_limit_stops_cells_that_each_keep_within_theirs(tmp_path):
    result, executed = run_cells(tmp_path, ["import time\ntime.sleep(3)", "time.sleep(3)", "time.sleep(3)",
                                            "print('graded cell')"], timeout=5, cell_timeout=10)
    assert result.status is Status.TIMEOUT
    assert executed.cells[-1].outputs[-1].ename == worker.TIMEOUT_ENAME
    assert Flag(Kind.TIMEOUT, "the notebook exceeded its time limit of 5 s; 1 graded cell(s) not run") in result.flags


def test_a_cell_that_ignores_the_interrupt_ends_the_run(tmp_path):
    result, executed = run_cells(tmp_path, [
        "import time\nwhile True:\n    try:\n        time.sleep(0.1)\n    except KeyboardInterrupt:\n        pass",
        "print('graded cell')",
    ], timeout=60, cell_timeout=3)
    assert result.status is Status.UNRESPONSIVE and result.seconds < 30
    assert executed.cells[-1].outputs[-1].ename == worker.TIMEOUT_ENAME


def test_the_memory_limit_raises_memory_error_and_later_cells_still_run(tmp_path):
    result, executed = run_cells(tmp_path, [
        "def hog():\n    blocks = []\n    while True:\n        blocks.append(bytearray(2**26))",
        "hog()",
        "data = bytearray(2**28)\nprint('fits again')",
    ], memory_mb=512)
    assert "MemoryError" in outputs(executed, 1)
    assert outputs(executed, 2) == "fits again\n"
    assert Flag(Kind.MEMORY, "cell 2 ran out of memory (limit 512 MiB)") in result.flags


def test_a_print_loop_keeps_only_the_first_mebibyte_of_output_but_every_error(tmp_path):
    _, executed = run_cells(tmp_path, ["for _ in range(300):\n    print('x' * 100_000)",
                                       "print('y' * 2**21)\nraise AssertionError('wrong')"])
    kept = outputs(executed, 0)
    assert len(kept) < 1.1 * worker.MAX_CELL_OUTPUT and kept.endswith("bytes dropped]\n")
    assert executed.cells[1].outputs[-1].ename == "AssertionError"


def test_a_graded_cell_that_writes_to_stderr_passes_in_validate_and_in_grade(tmp_path):
    sources = ["import sys\nanswer = 42", "print('checking', file=sys.stderr)\nassert answer == 42"]
    result, executed = run_cells(tmp_path / "grade", sources)
    assert determine_grade(executed.cells[-1]) == (1.0, 1.0)  # nbgrader autograde's own scoring
    assert result.flags == [Flag(Kind.STDERR, "test wrote to stderr (shown as ordinary output, not counted as a failure)")]
    nbformat.write(small_notebook(sources), tmp_path / "learner.ipynb")
    passed, text = validate.validate(tmp_path / "learner.ipynb")
    assert passed, text


def test_grading_without_bubblewrap_names_the_fix(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(sandbox.SandboxUnavailable, match="apt-get install bubblewrap"):
        sandbox.check_available()


def test_a_pattern_that_matches_nothing_fails_naming_it_and_three_names_it_saw(tmp_path):
    (tmp_path / "course").mkdir()
    shutil.copyfile(COURSE_DIR / "nbgrader_config.py", tmp_path / "course" / "nbgrader_config.py")
    names = [f"{student}_1000{index}_50{index}_{ASSIGNMENT}.ipynb" for index, student in enumerate("abcd")]
    (tmp_path / "canvas").mkdir()
    for name in names:
        (tmp_path / "canvas" / name).write_text("{}")
    result = subprocess.run([sys.executable, "-m", "autograder", "grade", ASSIGNMENT, str(tmp_path / "canvas"),
                             "--course", str(tmp_path / "course")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert f"no notebook in {tmp_path / 'canvas'} matches the pattern 'folders'" in result.stderr
    assert sum(repr(name) in result.stderr for name in names) == 3
    assert sorted(path.name for path in (tmp_path / "course").iterdir()) == ["nbgrader_config.py"]


def test_the_command_line_rejects_a_missing_submissions_folder(tmp_path):
    result = subprocess.run([sys.executable, "-m", "autograder", "grade", ASSIGNMENT, str(tmp_path / "nowhere"),
                             "--course", str(tmp_path / "course")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "SUBMISSIONS must be a folder or a zip file" in result.stderr


# --- nbgrader's folders --------------------------------------------------------------------

def test_collect_and_prepare_use_the_folders_of_the_courses_own_directory_structure(solution, tmp_path):
    course = copy_course(COURSE_DIR, tmp_path / "course")
    with open(course / "nbgrader_config.py", "a", encoding="utf-8") as config:
        config.write('\nc.CourseDirectory.directory_structure = "{assignment_id}/{nbgrader_step}/{student_id}"\n')
    (course / ASSIGNMENT).mkdir()
    shutil.move(course / "source" / ASSIGNMENT, course / ASSIGNMENT / "source")
    api = record.recording_api(course, tmp_path / "executed", f"sqlite:///{tmp_path / 'gradebook.db'}")
    assert api.generate_assignment(ASSIGNMENT, force=True)["success"]
    assert (course / ASSIGNMENT / "release" / RELEASE.name).is_file()
    (tmp_path / "handed-in" / "ada").mkdir(parents=True)
    nbformat.write(solution, tmp_path / "handed-in" / "ada" / RELEASE.name)
    found, _ = submissions.find(tmp_path / "handed-in")
    assignment = stages.Assignment(api, ASSIGNMENT, stages.Limits())
    [submission] = stages.collect(found, assignment, due=None)
    assert (course / ASSIGNMENT / "submitted" / "ada" / RELEASE.name).is_file()
    task = stages.prepare(assignment, submission, sharing=1)
    assert isinstance(task, worker.Task) and submission.flags == []
    prepared = {c.metadata.nbgrader["grade_id"]: c.source for c in nbformat.reads(task.notebook, as_version=4).cells
                if "nbgrader" in c.metadata}
    assert prepared["sigmoid"] == cell(solution, "sigmoid").source
    assert "### BEGIN HIDDEN TESTS" in prepared["test_sigmoid"]  # the graded test as the gradebook keeps it
