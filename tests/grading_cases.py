"""A class of fixture submissions of notebook 03, built from the master and the learner copy.

Each case is a learner copy (what students receive) with answers filled in
from the master's solutions, then changed the way a student might change it.
``CASES`` maps a student name to the score the case deserves out of 15 and the
kinds of flag its report must carry.
"""

from __future__ import annotations

import copy
import re
import textwrap
from pathlib import Path

import nbformat

from autograder.grading import cgroups

ASSIGNMENT = "03-logistic-regression"
STUB = re.compile(r"^(?P<indent>[ \t]*)# YOUR CODE HERE\n[ \t]*raise NotImplementedError\(\)", re.MULTILINE)
SOLUTION = re.compile(r"[ \t]*### BEGIN SOLUTION\n(?P<body>.*?)[ \t]*### END SOLUTION", re.DOTALL)

# The grader's limits under which the cases deserve what CASES says.
LIMITS = ["--timeout", "300", "--cell-timeout", "90", "--memory", "2048"]
# student: (deserved score out of 15, kinds of flag in the report)
CASES = {
    "solution": (15, set()),
    "blank": (0, set()),
    "wrong-function": (13, set()),              # sigmoid answers with tanh: test_sigmoid (2) fails
    "top-level-exception": (7, set()),          # build cell raises before its def: build (3) and training (5)
    "infinite-loop": (12, {"timeout"}),         # softmax never returns: its test (3) is stopped
    "memory-hog": (13, {"memory"}),             # cross_entropy eats memory: its test (2) fails
    "edited-test": (13, {"edited"}),            # wrong sigmoid behind a test edited to pass
    "deleted-test": (15, {"deleted"}),          # right answers, test_softmax deleted: it is put back
    "skip-execution-tag": (13, {"tags"}),       # blank sigmoid behind a test tagged to be skipped
    "patched-showtraceback": (0, {"tamper"}),   # blank answers, error display switched off
    "always-true-eq": (13, {"tamper"}),         # cross_entropy returns a float equal to anything
    "reads-gradebook": (0, {"file access"}),    # blank answers plus an attempt to write grades
    "writes-other-student": (15, {"file access"}),  # right answers plus an attempt to spoil "solution"
    "network-call": (15, {"network"}),          # right answers plus a call home
    "corrupt-json": (0, {"unreadable"}),
    "renamed-notebook": (15, {"renamed"}),
    "stderr-noise": (15, {"stderr"}),           # right answers that also print to stderr
    "kernel-exit": (10, {"kernel", "process"}),  # training ends the kernel: test_trained_model (5) is lost
    # The build cell starts 8 processes of 600 MiB each: past twice --memory (2048) together, not alone.
    # With a control group the sandbox is stopped there: build (3) and training (5) are lost.
    "forked-memory-hogs": (7, {"memory", "process"}) if cgroups.find() else (15, {"process"}),
}


def cell(notebook, grade_id: str):
    return next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def master_answers(master) -> dict[str, str]:
    """The master's solution body of every answer cell, dedented."""
    return {c.metadata.nbgrader["grade_id"]: textwrap.dedent(SOLUTION.search(c.source)["body"])
            for c in master.cells if c.metadata.get("nbgrader", {}).get("solution")}


def answer(notebook, grade_id: str, body: str) -> None:
    """Write ``body`` in place of the ``YOUR CODE HERE`` stub of one answer cell."""
    target = cell(notebook, grade_id)
    match = STUB.search(target.source)
    assert match, f"{grade_id} has no stub left"
    indented = textwrap.indent(textwrap.dedent(body).strip("\n"), match["indent"])
    target.source = target.source[:match.start()] + indented + target.source[match.end():]


def answered(release, master, **bodies: str):
    """A learner copy with every answer from the master, except those given in ``bodies``."""
    notebook = copy.deepcopy(release)
    for grade_id, body in {**master_answers(master), **bodies}.items():
        answer(notebook, grade_id, body)
    return notebook


def prepend(notebook, grade_id: str, code: str):
    """Top-level code at the start of one answer cell (it runs when the cell runs)."""
    target = cell(notebook, grade_id)
    target.source = textwrap.dedent(code).strip("\n") + "\n\n" + target.source
    return notebook


def build_class(release, master, gradebook: Path, victim: Path) -> dict[str, object]:
    """Every case as a notebook, except ``corrupt-json`` (bytes) and ``renamed-notebook`` (a path)."""
    blank = copy.deepcopy(release)
    cases = {"solution": answered(release, master), "blank": blank,
             "wrong-function": answered(release, master, sigmoid="return np.tanh(z)")}
    cases["top-level-exception"] = prepend(answered(release, master), "build_logistic_regression",
                                           'raise RuntimeError("left over from debugging")')
    cases["infinite-loop"] = answered(release, master, softmax="while True:\n    pass")
    cases["memory-hog"] = answered(release, master, cross_entropy="""
        hog = []
        while True:
            hog.append(np.ones(2**24))""")
    edited = answered(release, master, sigmoid="return np.tanh(z)")
    cell(edited, "test_sigmoid").source = 'print("sigmoid: checks passed.")'
    cases["edited-test"] = edited
    deleted = answered(release, master)
    deleted.cells.remove(cell(deleted, "test_softmax"))
    cases["deleted-test"] = deleted
    skipped = answered(release, master, sigmoid="raise NotImplementedError()")
    cell(skipped, "test_sigmoid").metadata["tags"] = ["skip-execution"]
    cases["skip-execution-tag"] = skipped
    cases["patched-showtraceback"] = prepend(copy.deepcopy(blank), "sigmoid", """
        get_ipython().showtraceback = lambda *args, **kwargs: None""")
    cases["always-true-eq"] = answered(release, master, cross_entropy="""
        class Agreeable(float):
            def __eq__(self, other):
                return True
        return Agreeable()""")
    cases["reads-gradebook"] = prepend(copy.deepcopy(blank), "sigmoid", f"""
        import sqlite3
        for path in [{str(gradebook)!r}, "../../../gradebook.db", "../../gradebook.db"]:
            try:
                open(path, "rb").read(16)
                with sqlite3.connect(f"file:{{path}}?mode=rw", uri=True) as db:
                    db.execute("UPDATE grade SET manual_score = 100")
                print("gradebook reached:", path)
            except Exception as error:
                print("gradebook not reachable:", path, type(error).__name__)""")
    cases["writes-other-student"] = prepend(answered(release, master), "sigmoid", f"""
        for path in [{str(victim)!r}, "../solution/{ASSIGNMENT}.ipynb"]:
            try:
                with open(path, "w") as target:
                    target.write("{{}}")
                print("wrote into another student's folder:", path)
            except OSError as error:
                print("other student's folder not reachable:", path, type(error).__name__)""")
    cases["network-call"] = prepend(answered(release, master), "sigmoid", """
        import urllib.request
        try:
            urllib.request.urlopen("https://pypi.org/simple/", timeout=5)
            print("network reached")
        except OSError as error:
            print("network not reachable:", type(error).__name__)""")
    cases["stderr-noise"] = answered(release, master, sigmoid="""
        import sys
        print("debug: computing sigmoid", file=sys.stderr)
        return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))""")
    cases["kernel-exit"] = answered(release, master, train_logistic_regression="""
        import os
        os._exit(1)""")
    cases["forked-memory-hogs"] = prepend(answered(release, master), "build_logistic_regression", """
        import subprocess, sys
        hog = "import time; block = b'x' * (600 * 2**20); time.sleep(20)"
        for process in [subprocess.Popen([sys.executable, "-c", hog]) for _ in range(8)]:
            process.wait()""")
    cases["renamed-notebook"] = answered(release, master)
    cases["corrupt-json"] = nbformat.writes(answered(release, master))[:5000]
    return cases


def write_class(folder: Path, cases: dict[str, object]) -> Path:
    """Lay the class out as an LMS folder export: ``<student>/<notebook>.ipynb``."""
    for student, content in cases.items():
        name = f"{ASSIGNMENT} (1).ipynb" if student == "renamed-notebook" else f"{ASSIGNMENT}.ipynb"
        target = folder / student / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            target.write_text(content, encoding="utf-8")
        else:
            nbformat.write(content, target)
    return folder
