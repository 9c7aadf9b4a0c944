"""How much faster the classroom grader is than plain serial nbgrader, on this machine.

    python -m benchmarks.grading_speed [--assignments 03] [--students 30] [--workers 2]
    python -m benchmarks.grading_speed --assignments all --students 4 --workers 1 2

Grades the same class several ways, one after the other: N copies of each
master notebook (the instructor's solution) with plain ``nbgrader autograde``
(one notebook after another, no sandbox), then with ``python -m autograder
grade --workers W`` for each W (sandboxed, in parallel, and also writing
feedback and ``grades.csv``, which the serial run does not). Every way starts
from a fresh course folder and must give every student the same score.
Writes ``results/grading_speed`` (one assignment) or ``results/grading_throughput``
(several), with the machine's load averages: other work distorts the figures.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from nbgrader.api import Gradebook

from autograder.course import COURSE_DIR, REPO_ROOT, SOURCE_DIR, assignments, nbgrader_api
from benchmarks.report import publish, use_mnist_mirror

SERIAL = "nbgrader autograde (serial)"


def fresh_course(target: Path, names: list[str]) -> Path:
    """The course's config and sources in ``target``, with ``names`` released and an empty gradebook."""
    target.mkdir(parents=True)
    shutil.copy(COURSE_DIR / "nbgrader_config.py", target)
    shutil.copytree(SOURCE_DIR, target / "source")
    api = nbgrader_api(target)
    for name in names:
        if not api.generate_assignment(name)["success"]:
            raise RuntimeError(f"nbgrader generate_assignment {name} failed in {target}")
    return target


def timed(command: list[str], cwd: Path, env: dict[str, str], log: Path) -> dict:
    """Run ``command``; return its wall-clock seconds and the 1-minute load averages around it."""
    before = os.getloadavg()[0]
    started = time.perf_counter()
    with open(log, "w") as output:
        subprocess.run(command, cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT, check=True)
    return {"seconds": round(time.perf_counter() - started, 1), "load": f"{before:.1f} -> {os.getloadavg()[0]:.1f}"}


def totals(course: Path, name: str) -> list[float]:
    """Every student's total score for assignment ``name`` in ``course``'s gradebook."""
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "keras-starter") as gradebook:
        return sorted(submission.score for submission in gradebook.find_assignment(name).submissions)


def chosen_assignments(wanted: list[str]) -> list[str]:
    names = assignments()
    if wanted == ["all"]:
        return names
    picked = [name for name in names if name[:2] in wanted or name in wanted]
    if len(picked) != len(wanted):
        raise SystemExit(f"unknown assignment in {wanted}; the course has {', '.join(names)}")
    return picked


def write_class(names: list[str], students: int, serial: Path, class_root: Path) -> None:
    """Each student hands in every master: into serial/submitted/ and class_root/<assignment>/<student>/."""
    for name in names:
        master = SOURCE_DIR / name / f"{name}.ipynb"
        for number in range(1, students + 1):
            student = f"student{number:03d}"
            for folder in (serial / "submitted" / student / name, class_root / name / student):
                folder.mkdir(parents=True)
                shutil.copy(master, folder / f"{name}.ipynb")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assignments", nargs="+", default=["03"], help="numbers or names, or 'all'")
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--workers", type=int, nargs="+", default=[2])
    parser.add_argument("--data", default=None,
                        help="folder holding mnist.npz (default: where the course finds MNIST: "
                             "$KERAS_STARTER_DATA, data/, the Keras cache or the download)")
    args = parser.parse_args(argv)
    args.data = args.data or use_mnist_mirror()
    names = chosen_assignments(args.assignments)
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""), "KERAS_STARTER_BUDGET": "fast",
           "KERAS_STARTER_DATA": args.data, "KERAS_STARTER_DOWNLOAD": "0",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))}
    rows, same_scores = [], True
    with tempfile.TemporaryDirectory(prefix="grading-speed-") as scratch:
        scratch = Path(scratch)
        serial, class_root = fresh_course(scratch / "serial", names), scratch / "class"
        write_class(names, args.students, serial, class_root)
        for name in names:
            runs = {SERIAL: (timed(["nbgrader", "autograde", name], serial, env, scratch / f"serial-{name}.log"),
                             serial)}
            for workers in args.workers:
                course = fresh_course(scratch / f"workers{workers}-{name}", [name])
                command = [sys.executable, "-m", "autograder", "grade", name, str(class_root / name),
                           "--course", str(course), "--workers", str(workers)]
                runs[f"autograder grade --workers {workers}"] = (
                    timed(command, REPO_ROOT, env, scratch / f"workers{workers}-{name}.log"), course)
            expected = totals(serial, name)
            for method, (run, course) in runs.items():
                same = totals(course, name) == expected
                same_scores &= same
                rows.append({"notebook": name, "way": method, "seconds": run["seconds"],
                             "per notebook": round(run["seconds"] / args.students, 1),
                             "speed-up": f"{runs[SERIAL][0]['seconds'] / run['seconds']:.2f}x",
                             "same scores": "yes" if same else "NO", "load": run["load"]})
    if len(names) > 1:
        total = {method: sum(row["seconds"] for row in rows if row["way"] == method)
                 for method in dict.fromkeys(row["way"] for row in rows)}
        rows += [{"notebook": "all", "way": method, "seconds": round(seconds, 1),
                  "per notebook": round(seconds / args.students / len(names), 1),
                  "speed-up": f"{total[SERIAL] / seconds:.2f}x"} for method, seconds in total.items()]
    publish("grading_speed" if len(names) == 1 else "grading_throughput", "Grading a class: seconds",
            rows, ["notebook", "way", "seconds", "per notebook", "speed-up", "same scores", "load"],
            notes=f"{args.students} students each hand in the solution of every notebook listed, fast mode, "
                  f"{'MNIST from the mirror' if Path(args.data, 'mnist.npz').is_file() else 'no MNIST mirror'}; "
                  f"the grader also writes feedback and grades.csv; load: 1-minute load average before -> after.")
    return 0 if same_scores else 1


if __name__ == "__main__":
    sys.exit(main())
