"""What grading on a Dask cluster costs, and how far it scales, measured on this machine.

    python -m benchmarks.grading_scale [--students 30] [--tasks 2000] [--workers 40] [--parts class scheduling]

- ``class``: the same class (N copies of notebook 03's master) graded twice, each from a fresh
  course folder: ``--workers 2`` (the local pool), then ``--cluster tcp://...`` on a ``dask
  scheduler`` and two ``dask worker`` processes started for it. Wall and CPU seconds of each,
  the grader's own CPU per student (with Dask, the grader's process runs no notebook), and the
  Dask run's extra seconds per notebook.
- ``scheduling``: Dask's cost per task at scale, without TensorFlow: ``--tasks`` tasks, each
  carrying a real task's payload (notebook 03, with its files) and sleeping 1 s, on a
  LocalCluster of ``--workers`` single-threaded worker processes (its scheduler in this process).
  The overhead per task is the wall time past the ideal (tasks x 1 s / workers), times the
  workers, over the tasks.

Writes ``results/grading_scale``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from autograder.course import REPO_ROOT, SOURCE_DIR
from autograder.grading import worker
from benchmarks.grading_speed import fresh_course, totals, write_class
from benchmarks.report import publish, use_mnist_mirror

ASSIGNMENT = "03-logistic-regression"


def cpu_seconds(usage: resource.struct_rusage) -> float:
    return usage.ru_utime + usage.ru_stime


def run_measured(command: list[str], env: dict[str, str], log: Path) -> dict:
    """Run ``command``; its wall seconds and the CPU seconds of it and everything it waited for."""
    load, started = os.getloadavg()[0], time.perf_counter()
    with open(log, "w") as output:
        process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(command[:5])} ... failed; see {log}")
    return {"wall": time.perf_counter() - started, "cpu": cpu_seconds(usage),
            "load": f"{load:.1f} -> {os.getloadavg()[0]:.1f}"}


def stop_measured(processes: list[subprocess.Popen]) -> float:
    """Stop ``processes`` (SIGTERM); the CPU seconds they and their children used."""
    for process in processes:
        process.terminate()
    return sum(cpu_seconds(os.wait4(process.pid, 0)[2]) for process in processes)


def start_cluster(workers: int, env: dict[str, str], folder: Path,
                  seconds: float = 60) -> tuple[str, list[subprocess.Popen]]:
    """A ``dask scheduler`` and ``workers`` single-threaded ``dask worker`` processes on localhost, as separate
    processes as on a cluster (tests/test_dask.py starts its cluster here too); the scheduler first, then its
    address and every process started. Raises when the scheduler has no address after ``seconds``."""
    dask = str(Path(sys.executable).with_name("dask"))
    address_file = folder / "scheduler.json"
    address_file.unlink(missing_ok=True)  # an earlier cluster's, whose scheduler is gone
    started = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                 "--scheduler-file", str(address_file)], env=env, stderr=subprocess.DEVNULL)]
    deadline = time.monotonic() + seconds
    while not address_file.is_file():
        if time.monotonic() > deadline or started[0].poll() is not None:
            started[0].kill()
            raise RuntimeError(f"the dask scheduler wrote no address to {address_file} in {seconds:g} s")
        time.sleep(0.2)
    address = json.loads(address_file.read_text())["address"]
    started += [subprocess.Popen([dask, "worker", address, "--nthreads", "1", "--no-nanny", "--no-dashboard"],
                                 env=env, stderr=subprocess.DEVNULL) for _ in range(workers)]
    return address, started


def class_rows(students: int, env: dict[str, str], scratch: Path) -> list[dict]:
    """The local pool and a two-worker Dask cluster grading the same class, one after the other."""
    class_root = scratch / "class"
    write_class([ASSIGNMENT], students, fresh_course(scratch / "serial", [ASSIGNMENT]), class_root)

    def command(course: Path, *how: str) -> list[str]:
        return [sys.executable, "-m", "autograder", "grade", ASSIGNMENT, str(class_root / ASSIGNMENT),
                "--course", str(course), *how]

    pool_course = fresh_course(scratch / "pool", [ASSIGNMENT])
    pool = run_measured(command(pool_course, "--workers", "2"), env, scratch / "pool.log")
    dask_course = fresh_course(scratch / "dask", [ASSIGNMENT])
    address, cluster = start_cluster(2, env, scratch)
    try:
        dask = run_measured(command(dask_course, "--cluster", address), env, scratch / "dask.log")
    finally:
        workers_cpu = stop_measured(cluster)
    same = totals(pool_course, ASSIGNMENT) == totals(dask_course, ASSIGNMENT)
    rows = []
    for way, run, total_cpu, grader_cpu in (
            ("local pool, --workers 2", pool, pool["cpu"], None),
            ("Dask, 2 workers (--cluster tcp://...)", dask, dask["cpu"] + workers_cpu, dask["cpu"])):
        rows.append({"measure": f"{students} students: {way}", "wall s": round(run["wall"], 1),
                     "CPU s": round(total_cpu, 1),
                     "grader's own CPU s per student": "-" if grader_cpu is None else round(grader_cpu / students, 2),
                     "per notebook": f"{run['wall'] / students:.2f} s", "same scores": "yes" if same else "NO",
                     "load": run["load"]})
    rows.append({"measure": "Dask against the local pool", "wall s": f"{dask['wall'] / pool['wall']:.3f}x",
                 "CPU s": "", "grader's own CPU s per student": "",
                 "per notebook": f"{(dask['wall'] - pool['wall']) / students * 1000:+.0f} ms", "same scores": "",
                 "load": ""})
    return rows


def synthetic(task: dict, seconds: float) -> dict:
    """A task that carries a real payload and only sleeps: what Dask itself costs per task."""
    time.sleep(seconds)
    return {"notebook": task["notebook"], "result": {"status": "ok", "detail": "", "seconds": seconds, "flags": []}}


def payload() -> dict:
    """What the grader sends for one student of notebook 03 (the master, its folder's files, the limits), as plain
    data: the workers then need not import the grader (4-5 s of CPU each) for a task that only sleeps."""
    folder = SOURCE_DIR / ASSIGNMENT
    files = {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*")
             if path.is_file() and path.suffix != ".ipynb"}
    notebook = nbformat.read(folder / f"{ASSIGNMENT}.ipynb", as_version=4)
    return dataclasses.asdict(worker.Task(notebook=nbformat.writes(notebook), files=files, cell_timeout=90,
                                          timeout=600, memory_mb=4096, env={}, cpus=1, course_root=str(folder.parent)))


def scheduling_row(tasks: int, workers: int) -> dict:
    """``tasks`` sleeping tasks through a LocalCluster of ``workers`` processes: Dask's overhead per task."""
    from distributed import Client, LocalCluster, as_completed

    task, sleep = payload(), 1.0
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        client.wait_for_workers(workers, timeout=600)
        client.submit(synthetic, task, 0.0, pure=False).result()
        cpu_before, started = cpu_seconds(resource.getrusage(resource.RUSAGE_SELF)), time.perf_counter()
        load = f"{os.getloadavg()[0]:.1f}"
        futures = [client.submit(synthetic, task, sleep, pure=False) for _ in range(tasks)]
        done = sum(future.result()["result"]["status"] == "ok" for future in as_completed(futures))
        wall = time.perf_counter() - started
        client_cpu = cpu_seconds(resource.getrusage(resource.RUSAGE_SELF)) - cpu_before
        load += f" -> {os.getloadavg()[0]:.1f}"
    ideal = tasks * sleep / workers
    return {"measure": f"{tasks} tasks of 1 s on {workers} Dask workers", "wall s": round(wall, 1), "load": load,
            "CPU s": f"{client_cpu:.1f} (client and scheduler)", "grader's own CPU s per student": "",
            "per notebook": f"{(wall - ideal) * workers / tasks * 1000:.0f} ms overhead per task "
                            f"(ideal {ideal:.0f} s; {done} done)", "same scores": ""}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=20, help="Dask worker processes for the scheduling part")
    parser.add_argument("--parts", nargs="+", choices=["class", "scheduling"], default=["class", "scheduling"])
    args = parser.parse_args(argv)
    env = {**os.environ, "KERAS_STARTER_BUDGET": "fast", "KERAS_STARTER_DATA": use_mnist_mirror(),
           "KERAS_STARTER_DOWNLOAD": "0",  # and the workers import this module to run its synthetic task
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))}
    rows = []
    with tempfile.TemporaryDirectory(prefix="grading-scale-") as scratch:
        if "class" in args.parts:
            rows += class_rows(args.students, env, Path(scratch))
        if "scheduling" in args.parts:
            rows.append(scheduling_row(args.tasks, args.workers))
    publish("grading_scale", "Grading on a Dask cluster: cost and scale", rows,
            ["measure", "wall s", "CPU s", "grader's own CPU s per student", "per notebook", "same scores", "load"],
            notes="Notebook 03 in fast mode, MNIST from the mirror. CPU s of a grading run counts the processes "
                  "it waited for (the grader, its forked workers or the Dask workers), not the sandboxed kernels, "
                  "which their workers do not wait for; load: 1-minute load average before -> after, other work "
                  "on the machine distorts the figures.")
    return 0 if all(row["same scores"] != "NO" for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
