"""One learner's self-check: ``python -m autograder validate NOTEBOOK``.

Runs the notebook with nbgrader's ``Validator`` (the engine behind
``nbgrader validate``) and turns its findings into an exit status: the
``nbgrader validate`` command prints failures but exits 0 regardless.
Stderr in a graded cell counts as the grader counts it
(:class:`~autograder.grading.stderr.RelabelStderr`, after ``Execute``). Grading runs
in fast mode, so validation does too unless ``KERAS_STARTER_BUDGET`` says otherwise.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import nbformat
from nbgrader.utils import is_grade
from nbgrader.validator import Validator
from traitlets.config import Config, PyFileConfigLoader

from autograder.course import COURSE_DIR
from autograder.grading.stderr import RelabelStderr

ANSI_CODES = re.compile(r"\x1b\[[0-9;]*m")


def validator_config(cell_timeout: int | None) -> Config:
    """The course's nbgrader settings (cell time limit, ignored stderr patterns), if it is around."""
    config = Config()
    if (COURSE_DIR / "nbgrader_config.py").is_file():
        config = PyFileConfigLoader("nbgrader_config.py", path=str(COURSE_DIR)).load_config()
    if cell_timeout:
        config.Execute.timeout = cell_timeout
    config.Execute.extra_arguments = ["--IPKernelApp.log_level=ERROR"]  # no start-up warnings on the terminal
    return config


def test_cells(path: Path) -> int:
    notebook = nbformat.read(path, as_version=4)
    return sum(bool(is_grade(cell)) and cell.cell_type == "code"
               for cell in notebook.cells)


def validate(path: Path, cell_timeout: int | None = None) -> tuple[bool, str]:
    """Run ``path`` top to bottom; return whether every test cell passed, and a report to print."""
    if not path.is_file():
        raise FileNotFoundError(f"no notebook at {path}")
    os.environ.setdefault("KERAS_STARTER_BUDGET", "fast")
    validator = Validator(config=validator_config(cell_timeout),
                          preprocessors=[*Validator.class_traits()["preprocessors"].default(), RelabelStderr])
    results = validator.validate(str(path.resolve()))
    total = test_cells(path)
    if "type_changed" in results:
        cells = results["type_changed"]
        return False, f"{len(cells)} cell(s) changed type (e.g. code to markdown): restore them, then check again."
    if "changed" in results:
        heads = "\n".join(f"- {cell['source'].splitlines()[0]}" for cell in results["changed"])
        return False, (f"{len(results['changed'])} read-only test cell(s) were edited; grading uses the "
                       f"originals, so these results would not count:\n{heads}")
    failed = results.get("failed", [])
    if not failed:
        return True, f"{path.name}: all {total} test cell(s) pass."
    details = "\n\n".join(f"- {cell['source'].splitlines()[0]}\n{ANSI_CODES.sub('', cell['raw_error']).strip()}"
                            for cell in failed)
    return False, f"{path.name}: {len(failed)} of {total} test cell(s) fail:\n\n{details}"
