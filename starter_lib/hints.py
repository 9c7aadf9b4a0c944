"""Tiered hints: two or three per exercise, from the idea, to the function to use, to the shape of the code.

The lesson sources hold them in markdown cells tagged ``hints``; the build moves
them into the notebook's metadata (``keras_starter.hints``), so they ship with the
learner copy without showing as cells or in any graded output. :func:`hint` prints
the next one of the exercise being worked on.
"""

from __future__ import annotations

import re

from starter_lib import progress

TAG = "hints"
ITEM = re.compile(r"^\s*(\d+)\.\s+", re.MULTILINE)
_shown: dict[int, int] = {}  # exercise number -> the last hint level shown


def items(text: str) -> list[str]:
    """The numbered items of a hints cell's markdown, each on one line."""
    parts = ITEM.split(text)[1:]
    return [" ".join(body.split()) for _, body in zip(parts[::2], parts[1::2])]


def hints_of(notebook: dict | None) -> dict[int, list[str]]:
    """``{exercise number: hints}`` stored in ``notebook``'s metadata."""
    stored = ((notebook or {}).get("metadata", {}).get("keras_starter", {})).get("hints", {})
    return {int(number): list(texts) for number, texts in stored.items()}


def working_on(notebook: dict, namespace: dict) -> int | None:
    """The first exercise of ``notebook`` that is not done for ``namespace``; None when all are."""
    for row in progress.exercise_status(notebook, namespace):
        if row["status"] != progress.DONE:
            return progress.exercise_number(row["exercise"])
    return None


def hint(exercise: int | None = None, level: int | None = None, path=None) -> None:
    """Print a hint: ``hint()`` the next one of the exercise being worked on, ``hint(3, level=2)`` a given one."""
    from IPython import get_ipython

    notebook = progress.open_notebook(path)
    known = hints_of(notebook)
    if not known:
        print("This notebook has no hints, or its file could not be found; pass its path: hint(path='...').")
        return
    if exercise is None:
        shell = get_ipython()
        exercise = working_on(notebook, shell.user_ns if shell is not None else {})
        if exercise is None:
            print("Every exercise is done: no hint needed.")
            return
    if exercise not in known:
        print(f"There is no Exercise {exercise} here; the exercises are {', '.join(map(str, sorted(known)))}.")
        return
    texts = known[exercise]
    level = level or min(_shown.get(exercise, 0) + 1, len(texts))
    level = max(1, min(level, len(texts)))
    _shown[exercise] = max(level, _shown.get(exercise, 0))
    more = f" (hint({exercise}) again for the next)" if level < len(texts) else ""
    print(f"Exercise {exercise}, hint {level} of {len(texts)}{more}:\n{texts[level - 1]}")
