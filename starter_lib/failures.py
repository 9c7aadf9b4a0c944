"""How a failing exercise cell shows in the notebook: one short block instead of a traceback.

:func:`install` (called by ``env.setup``) hooks IPython's ``set_custom_exc``.
A failing check then prints the exercise's title and the check's message; an
error raised in the learner's own code prints the learner's line and the
error, without the frames inside the library; an exercise still holding its
stub says what to replace. The cell still ends in an error output, so
nbgrader scores it 0 and its feedback shows the same short block. Errors
elsewhere keep IPython's usual traceback.
"""

from __future__ import annotations

import linecache
import os
import re
import traceback
from pathlib import Path

from starter_lib import progress

CHECKS_DIR = Path(__file__).resolve().parent / "checks"
HIDDEN_TESTS = re.compile(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS\n?", re.DOTALL)
EXERCISE_NUMBER = re.compile(r"\bExercise (\d+)")
MESSAGE_LINES = 3  # the first lines of an error's message; Keras's run long


def is_cell(filename: str) -> bool:
    """Whether code compiled from ``filename`` came from a notebook cell (IPython keeps it in memory only)."""
    return not os.path.isfile(filename) and bool(linecache.getlines(filename))


def cell_title(notebook: dict | None, filename: str) -> tuple[str | None, bool]:
    """The exercise title of the notebook cell whose code ran as ``filename``, and whether that cell is graded.

    Only an exercise's answer and test cells have a title; other cells give ``(None, False)``.

    Hidden tests are left out of the comparison: the notebook on disk may lack
    them while the grader runs them.
    """
    wanted = HIDDEN_TESTS.sub("", "".join(linecache.getlines(filename))).strip()
    for title, source, nbgrader in progress.titled_code_cells(notebook or {"cells": []}):
        if HIDDEN_TESTS.sub("", source).strip() == wanted and (nbgrader.get("grade") or nbgrader.get("solution")):
            return title, bool(nbgrader.get("grade"))
    return None, False


def _error(etype, value) -> list[str]:
    message = str(value).strip().splitlines()[:MESSAGE_LINES]
    return [f"{etype.__name__}: {message[0] if message else ''}".rstrip(": "), *message[1:]]


def _in_checks(frame) -> bool:
    return Path(frame.filename).resolve().is_relative_to(CHECKS_DIR)


def _not_done(title: str | None, where: str) -> list[str]:
    number = EXERCISE_NUMBER.search(title or "")
    exercise = f"Exercise {number.group(1)}" if number else "This exercise"
    return ([title] if title else []) + [
        f"{exercise} is not done yet: replace `raise NotImplementedError()` in {where} with your answer."]


def short_failure(etype, value, tb, notebook: dict | None) -> list[str] | None:
    """The lines that show this failure, or None where IPython's usual traceback serves better."""
    frames = traceback.extract_tb(tb)
    cells = [frame for frame in frames if is_cell(frame.filename)]
    if not cells:
        return None
    running, raised = cells[0], frames[-1]
    title, graded = cell_title(notebook, running.filename)
    if issubclass(etype, NotImplementedError) and raised in cells and \
            (raised.line or "").startswith("raise NotImplementedError"):
        where = "this cell" if raised.filename == running.filename else "the cell above" if graded else "its code cell"
        return _not_done(cell_title(notebook, raised.filename)[0] or title, where)
    if not (graded or any(_in_checks(frame) for frame in frames)):
        return None
    lines = [title] if title else []
    if issubclass(etype, AssertionError) and (raised is running or _in_checks(raised)):
        return lines + _error(etype, value)  # a check's or a hidden test's message says it all
    learner = cells[-1]
    where = "this cell" if learner is running else f"your {learner.name}" if learner.name != "<module>" else "a cell"
    return lines + [f"In {where}, line {learner.lineno}:", f"    {learner.line}", *_error(etype, value)]


def _show(shell, etype, value, tb, tb_offset=None):
    """IPython's custom exception handler: the short block where it applies, else the usual traceback."""
    lines = short_failure(etype, value, tb, progress.open_notebook())
    if lines is None:
        shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
    else:
        shell._showtraceback(etype, value, lines)  # the error output, as IPython itself sends it


def install(shell=None) -> bool:
    """Show failing exercises in the short form in ``shell`` (default: the running IPython); False outside IPython."""
    if shell is None:
        from IPython import get_ipython

        shell = get_ipython()
    if shell is None:
        return False
    shell.set_custom_exc((Exception,), _show)
    return True
