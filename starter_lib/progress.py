"""Self-study progress: which exercises of a notebook are done, failing or not started.

:func:`show_progress` reads the notebook the learner has open and re-runs its
visible check cells against the learner's current variables, so the answer
is always about the code as it stands now.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
from pathlib import Path

NOTEBOOK_VARIABLE = "KERAS_STARTER_NOTEBOOK"  # set by env.setup(notebook=...)
DONE, FAILING, NOT_STARTED = "done", "failing", "not started"


def titled_code_cells(notebook: dict) -> list[tuple[str, str, dict]]:
    """``(title, source, nbgrader metadata)`` of each code cell, titled by the last heading above it."""
    found, title = [], "Exercise"
    for cell in notebook["cells"]:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "markdown" and source.lstrip().startswith("#"):
            title = source.strip().splitlines()[0].lstrip("#").strip()
        elif cell["cell_type"] == "code":
            found.append((title, source, cell.get("metadata", {}).get("nbgrader", {})))
    return found


def exercise_cells(notebook: dict) -> list[tuple[str, str]]:
    """``(title, source)`` of each graded check cell, titled by the heading above it."""
    return [(title, source) for title, source, nbgrader in titled_code_cells(notebook) if nbgrader.get("grade")]


def run_check(source: str, namespace: dict) -> tuple[str, str]:
    """Run one check cell's code in ``namespace``; return ``(status, message)``."""
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
    """The status of every exercise of ``notebook`` given the learner's ``namespace``."""
    return [{"exercise": title, **dict(zip(("status", "message"), run_check(source, namespace)))}
            for title, source in exercise_cells(notebook)]


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
    rows = exercise_status(notebook, namespace)
    width = max((len(row["exercise"]) for row in rows), default=0)
    for row in rows:
        detail = f": {row['message']}" if row["message"] else ""
        print(f"{row['exercise']:<{width}}  {row['status']}{detail}")
    done = sum(row["status"] == DONE for row in rows)
    print(f"\n{done} of {len(rows)} exercises done.")
