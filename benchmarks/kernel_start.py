"""CPU and wall seconds a kernel needs before its first lesson cell, with and without compiled bytecode.

    python -m benchmarks.kernel_start [--runs 3]

Two measurements, each taken in turns with and without bytecode so that a busy
machine weighs on both alike: ``python -c "import tensorflow, keras"``, and a
fresh kernel from its start to the end of notebook 03's setup cell. "Without"
points ``PYTHONPYCACHEPREFIX`` at an empty folder with ``PYTHONDONTWRITEBYTECODE=1``,
so Python finds no ``.pyc`` and compiles every module from source, as in an
environment that a plain ``uv pip install`` wrote.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from unittest.mock import patch

import nbformat
from nbclient import NotebookClient

from autograder.course import LEARNER_DIR, REPO_ROOT
from benchmarks.report import publish

NOTEBOOK = "03-logistic-regression"


@contextmanager
def bytecode(used: bool):
    """This process's environment for one run: bytecode used, or hidden from Python."""
    with tempfile.TemporaryDirectory(prefix="no-pyc-") as empty, patch.dict(os.environ, PYTHONDONTWRITEBYTECODE="1"):
        if not used:
            os.environ["PYTHONPYCACHEPREFIX"] = empty
        yield


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(action) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child processes) of ``action()``."""
    cpu, start = children_cpu(), time.perf_counter()
    action()
    return time.perf_counter() - start, children_cpu() - cpu


def import_tensorflow() -> None:
    subprocess.run([sys.executable, "-c", "import tensorflow, keras"], check=True, capture_output=True)


def kernel_through_setup() -> None:
    """Start a kernel, run the learner notebook's setup cell, and shut the kernel down."""
    notebook = nbformat.read(LEARNER_DIR / f"{NOTEBOOK}.ipynb", as_version=4)
    notebook.cells = [cell for cell in notebook.cells if cell.get("id") == "setup"]
    NotebookClient(notebook, timeout=600, kernel_name="python3").execute()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each measurement with and without bytecode")
    args = parser.parse_args(argv)
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))
    os.environ.setdefault("KERAS_STARTER_BUDGET", "fast")
    os.environ.pop("PYTHONPYCACHEPREFIX", None)
    measured = {}
    for what, action in (("import tensorflow, keras", import_tensorflow),
                         (f"kernel start to end of setup cell ({NOTEBOOK})", kernel_through_setup)):
        for _ in range(args.runs):
            for used in (False, True):
                with bytecode(used):
                    measured.setdefault((what, used), []).append(timed(action))
    rows = []
    for what in dict.fromkeys(what for what, _ in measured):
        without, with_ = ([statistics.median(run[i] for run in measured[(what, used)]) for i in (0, 1)]
                          for used in (False, True))
        rows.append({"what": what, "CPU s without bytecode": f"{without[1]:.1f}",
                     "CPU s with bytecode": f"{with_[1]:.1f}", "CPU ratio": f"{without[1] / with_[1]:.1f}x",
                     "wall s without": f"{without[0]:.1f}", "wall s with": f"{with_[0]:.1f}"})
    publish("kernel_start", "Kernel start, with and without compiled bytecode", rows,
            ["what", "CPU s without bytecode", "CPU s with bytecode", "CPU ratio", "wall s without", "wall s with"],
            notes=f"Medians of {args.runs} runs each, taken in turns; CPU is that of the child processes.")


if __name__ == "__main__":
    main()
