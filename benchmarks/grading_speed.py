"""How much faster the classroom grader is than plain serial nbgrader, on this machine.

    python benchmarks/grading_speed.py [--students 30] [--workers 2] [--data DIR]

Grades the same class twice, side by side: N copies of notebook 03 (the
instructor's solution) with plain ``nbgrader autograde`` (one notebook after
another, no sandbox), then with ``python -m autograder grade --workers W``
(sandboxed, in parallel, and also writing feedback and ``grades.csv``, which
the serial run does not). Prints a Markdown table and writes the figures, with
the machine's load averages, to ``benchmarks/results/grading_speed.json``.
Other work on the machine distorts the figures: compare the load averages.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbgrader
from nbgrader.api import Gradebook

from autograder.course import COURSE_DIR, REPO_ROOT, nbgrader_api

ASSIGNMENT = "03-logistic-regression"
RESULTS = REPO_ROOT / "benchmarks" / "results" / "grading_speed.json"


def fresh_course(target: Path) -> Path:
    """The course's config and sources in ``target``, released, with an empty gradebook."""
    target.mkdir(parents=True)
    shutil.copy(COURSE_DIR / "nbgrader_config.py", target)
    shutil.copytree(COURSE_DIR / "source", target / "source")
    if not nbgrader_api(target).generate_assignment(ASSIGNMENT)["success"]:
        raise RuntimeError(f"nbgrader generate_assignment {ASSIGNMENT} failed in {target}")
    return target


def timed(command: list[str], cwd: Path, env: dict[str, str], log: Path) -> dict:
    """Run ``command``; return its wall-clock seconds and the load averages around it."""
    before = os.getloadavg()
    started = time.perf_counter()
    with open(log, "w") as output:
        subprocess.run(command, cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT, check=True)
    return {"seconds": round(time.perf_counter() - started, 1), "load_before": before, "load_after": os.getloadavg()}


def totals(course: Path) -> list[float]:
    """Every student's total score in ``course``'s gradebook."""
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "keras-starter") as gradebook:
        return sorted(submission.score for submission in gradebook.find_assignment(ASSIGNMENT).submissions)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--data", default=os.environ.get("KERAS_STARTER_DATA", ""),
                        help="folder holding mnist.npz (default: $KERAS_STARTER_DATA; none: the digits fallback)")
    args = parser.parse_args(argv)
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""), "KERAS_STARTER_BUDGET": "fast",
           "KERAS_STARTER_DATA": args.data, "KERAS_STARTER_DOWNLOAD": "0",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))}
    master = COURSE_DIR / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    with tempfile.TemporaryDirectory(prefix="grading-speed-") as scratch:
        scratch = Path(scratch)
        serial, parallel, class_folder = fresh_course(scratch / "serial"), fresh_course(scratch / "parallel"), \
            scratch / "class"
        for number in range(1, args.students + 1):
            student = f"student{number:03d}"
            for folder in (serial / "submitted" / student / ASSIGNMENT, class_folder / student):
                folder.mkdir(parents=True)
                shutil.copy(master, folder / f"{ASSIGNMENT}.ipynb")
        runs = {
            "nbgrader autograde (serial)": timed(["nbgrader", "autograde", ASSIGNMENT], serial, env,
                                                 scratch / "serial.log"),
            f"autograder grade --workers {args.workers}": timed(
                [sys.executable, "-m", "autograder", "grade", ASSIGNMENT, str(class_folder), "--course",
                 str(parallel), "--workers", str(args.workers)], REPO_ROOT, env, scratch / "parallel.log"),
        }
        scores = {name: totals(course) for name, course in zip(runs, (serial, parallel))}
    baseline, ours = (run["seconds"] for run in runs.values())
    result = {"students": args.students, "workers": args.workers, "cpu_count": os.cpu_count(),
              "data": "mnist" if args.data else "digits fallback", "python": platform.python_version(),
              "nbgrader": nbgrader.__version__, "runs": runs, "speedup": round(baseline / ours, 2),
              "same_scores": scores[next(iter(runs))] == scores[list(runs)[1]],
              "measured_at": time.strftime("%Y-%m-%d %H:%M")}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"| {args.students} copies of notebook {ASSIGNMENT[:2]} | seconds | per notebook | load before -> after |")
    print("|---|---|---|---|")
    for name, run in runs.items():
        load = f"{run['load_before'][0]:.1f} -> {run['load_after'][0]:.1f}"
        print(f"| {name} | {run['seconds']:g} | {run['seconds'] / args.students:.1f} | {load} |")
    print(f"\nspeed-up {result['speedup']}x on {os.cpu_count()} CPU cores; identical scores: {result['same_scores']}; "
          f"written to {RESULTS.relative_to(REPO_ROOT)}")
    return 0 if result["same_scores"] else 1


if __name__ == "__main__":
    sys.exit(main())
