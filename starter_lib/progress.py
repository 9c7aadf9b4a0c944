"""Self-study progress: which exercises of a notebook are done, failing or not started.

:func:`show_progress` reads the notebook the learner has open and re-runs its
visible check cells against the learner's current variables, so the answer
is always about the code as it stands now; an answer edited but not run
again is named.
"""

from __future__ import annotations

import ast
import contextlib
import inspect
import io
import json
import os
import re
import textwrap
from pathlib import Path

from starter_lib.checks.core import is_stub

NOTEBOOK_VARIABLE = "KERAS_STARTER_NOTEBOOK"  # set by env.setup(notebook=...)
DONE, FAILING, NOT_STARTED = "done", "failing", "not started"


EXERCISE_HEADING = re.compile(r"^#+\s*(Exercise\b.*)$", re.MULTILINE)


def titled_code_cells(notebook: dict) -> list[tuple[str, str, dict]]:
    """``(title, source, nbgrader metadata)`` of each code cell, titled by the last exercise heading above it
    (or, before the first exercise, the last heading)."""
    found, title = [], "Exercise"
    for cell in notebook["cells"]:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        exercises = EXERCISE_HEADING.findall(source) if cell["cell_type"] == "markdown" else []
        if exercises:
            title = exercises[-1].strip()
        elif cell["cell_type"] == "markdown" and source.lstrip().startswith("#") and not title.startswith("Exercise"):
            title = source.strip().splitlines()[0].lstrip("#").strip()
        elif cell["cell_type"] == "code":
            found.append((title, source, cell.get("metadata", {}).get("nbgrader", {})))
    return found


def _functions(source: str) -> dict[str, str]:
    """``{name: syntax tree, dumped}`` of each function ``source`` defines at its top level."""
    with contextlib.suppress(SyntaxError):
        return {node.name: ast.dump(node) for node in ast.parse(textwrap.dedent(source)).body
                if isinstance(node, ast.FunctionDef)}
    return {}


def changed_since_run(notebook: dict, namespace: dict) -> list[str]:
    """Answer functions whose code in ``notebook`` differs from the code that ran (comments and spacing aside).

    A function whose source Python cannot recover (defined outside a cell) is taken as current.
    """
    written = {}
    for _, source, nbgrader in titled_code_cells(notebook):
        if nbgrader.get("solution"):
            written.update(_functions(source))
    changed = []
    for name, tree in written.items():
        with contextlib.suppress(TypeError, OSError):  # no source to be had: a builtin, or code outside a cell
            ran = _functions(inspect.getsource(namespace[name])).get(name) if name in namespace else None
            if ran is not None and ran != tree:
                changed.append(name)
    return changed


def exercise_cells(notebook: dict) -> list[tuple[str, str, list[str]]]:
    """``(title, source, answer functions)`` of each graded check cell, titled by its exercise heading;
    the answer functions are the names its exercise's solution cells define."""
    found, answers = [], []
    for title, source, nbgrader in titled_code_cells(notebook):
        if nbgrader.get("solution"):
            answers += list(_functions(source))
        elif nbgrader.get("grade"):
            found.append((title, source, answers))
            answers = []
    return found


def top_level_bindings(tree: ast.AST) -> set[str]:
    """Names a cell's code binds at module level (function bodies left out)."""
    if isinstance(tree, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {tree.name}
    if isinstance(tree, ast.Lambda):
        return set()
    if isinstance(tree, ast.Name) and not isinstance(tree.ctx, ast.Load):
        return {tree.id}
    if isinstance(tree, (ast.Import, ast.ImportFrom)):
        return {(alias.asname or alias.name).split(".")[0] for alias in tree.names}
    return set().union(*(top_level_bindings(child) for child in ast.iter_child_nodes(tree)))


def exercise_making(notebook: dict, name: str, before: str | None = None) -> str | None:
    """``"Exercise N"`` when the last cell binding ``name`` above the cell ``before`` (a source) belongs to
    Exercise N: its answer cell, the cells after it, or its check cell; otherwise None."""
    found, inside = None, False
    for title, source, nbgrader in titled_code_cells(notebook):
        if before is not None and source.strip() == before.strip():
            break
        inside = bool(nbgrader.get("solution")) or (inside and not nbgrader.get("grade"))
        with contextlib.suppress(SyntaxError):
            if name in top_level_bindings(ast.parse(source)):
                number = exercise_number(title)
                found = f"Exercise {number}" if number and (inside or nbgrader.get("grade")) else None
    return found


def exercise_number(title: str) -> int | None:
    """The number of an exercise title such as ``"Exercise 3 (2 points): ..."``; None for other titles."""
    found = re.match(r"Exercise (\d+)", title)
    return int(found.group(1)) if found else None


def run_check(source: str, namespace: dict, answers: list[str] = ()) -> tuple[str, str]:
    """Run one check cell's code in ``namespace``; return ``(status, message)``.

    An exercise whose answer functions (``answers``) still hold their stub is not started.
    """
    if any(is_stub(namespace.get(name)) for name in answers):
        return NOT_STARTED, ""
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(source, "<check cell>", "exec"), namespace)
    except NotImplementedError:
        return NOT_STARTED, ""
    except NameError as error:
        if error.name not in namespace and error.name in source:
            return NOT_STARTED, f"run the cells above it first ({error.name!r} is not defined yet)"
        return FAILING, f"NameError: {error}"
    except Exception as error:  # a learner's code can fail in any way; report it, never crash
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
        return FAILING, f"{type(error).__name__}: {first_line}".rstrip(": ")
    return DONE, ""


def exercise_status(notebook: dict, namespace: dict) -> list[dict[str, str]]:
    """The status of every exercise of ``notebook`` given the learner's ``namespace``.

    Where an answer cell was edited after it last ran, the status is that of the code that ran,
    and the message says to run the cell again.
    """
    changed, rows = set(changed_since_run(notebook, namespace)), []
    for title, source, answers in exercise_cells(notebook):
        status, message = run_check(source, namespace, answers)
        edited = [name for name in answers if name in changed]
        if edited:
            note = f"`{edited[0]}` was edited after it ran: run its cell again, then the cells below it"
            message = f"{message}; {note}" if message else note
        rows.append({"exercise": title, "status": status, "message": message})
    return rows


def open_notebook(path: str | os.PathLike | None = None) -> dict | None:
    """The learner's notebook: ``path``, else the one open in JupyterLab or Colab, else by name."""
    if path is None:
        with contextlib.suppress(Exception):  # only works inside a Colab runtime
            from google.colab import _message

            return _message.blocking_request("get_ipynb", timeout_sec=10)["ipynb"]
    candidates = [path, os.environ.get("JPY_SESSION_NAME")]
    if os.environ.get(NOTEBOOK_VARIABLE):
        candidates.append(f"{os.environ[NOTEBOOK_VARIABLE]}.ipynb")
    for candidate in filter(None, candidates):
        for file in (Path(candidate), Path.cwd() / Path(candidate).name):
            if file.is_file():
                return json.loads(file.read_text(encoding="utf-8"))
    return None


def show_progress(path: str | os.PathLike | None = None) -> None:
    """Print each exercise of the open notebook as done, failing (with why) or not started."""
    from IPython import get_ipython

    notebook = open_notebook(path)
    if notebook is None:
        print("Could not find this notebook's file; pass its path: show_progress('my-notebook.ipynb').")
        return
    shell = get_ipython()
    namespace = shell.user_ns if shell is not None else {}
    from starter_lib.hints import hints_of

    rows, offered = exercise_status(notebook, namespace), hints_of(notebook)
    width = max((len(row["exercise"]) for row in rows), default=0)
    for row in rows:
        detail = f": {row['message']}" if row["message"] else ""
        number = exercise_number(row["exercise"])
        stuck = f" (stuck? hint({number}))" if row["status"] == FAILING and number in offered else ""
        print(f"{row['exercise']:<{width}}  {row['status']}{detail}{stuck}")
    done = sum(row["status"] == DONE for row in rows)
    print(f"\n{done} of {len(rows)} exercises done.")
