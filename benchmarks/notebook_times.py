"""Seconds to run every master notebook top to bottom, in fast mode and in full mode.

    python -m benchmarks.notebook_times [--modes fast full] [--only 03 04]

MNIST comes from the offline mirror in ``$KERAS_STARTER_DATA``, or wherever the course finds it.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from autograder.course import REPO_ROOT, SOURCE_DIR, assignments
from benchmarks.report import publish, use_mnist_mirror


def run_notebook(name: str, mode: str) -> dict:
    """Execute one master in a scratch folder; returns seconds and any error."""
    source = SOURCE_DIR / name / f"{name}.ipynb"
    notebook = nbformat.read(source, as_version=4)
    os.environ["KERAS_STARTER_BUDGET"] = mode
    with tempfile.TemporaryDirectory() as scratch:
        nbformat.write(notebook, Path(scratch) / source.name)
        start = time.perf_counter()
        NotebookClient(notebook, timeout=3600, kernel_name="python3", allow_errors=True,
                       resources={"metadata": {"path": scratch}}).execute()
        seconds = time.perf_counter() - start
    failures = [out.ename for cell in notebook.cells if cell.cell_type == "code"
                for out in cell.outputs if out.output_type == "error"]
    return {"notebook": name, "mode": mode, "seconds": round(seconds, 1),
            "errors": ", ".join(failures) or "none"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--modes", nargs="+", default=["fast", "full"], choices=["fast", "full"])
    parser.add_argument("--only", nargs="*", help="notebook numbers, e.g. 03 05")
    args = parser.parse_args()
    use_mnist_mirror()
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))
    names = [n for n in assignments() if not args.only or n[:2] in args.only]
    rows = [run_notebook(name, mode) for mode in args.modes for name in names]
    for mode in args.modes:
        total = sum(row["seconds"] for row in rows if row["mode"] == mode)
        rows.append({"notebook": "total", "mode": mode, "seconds": round(total, 1), "errors": ""})
    publish("notebook_times", "Notebook run time, top to bottom", rows,
            ["notebook", "mode", "seconds", "errors"],
            notes="Each master notebook executed with nbclient, including kernel start and imports.")


if __name__ == "__main__":
    main()
