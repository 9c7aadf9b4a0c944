"""Where the notebooks run: worker processes forked on this machine, or the workers of a Dask cluster.

Both take a :class:`worker.Task` (the prepared notebook, the student's files and the
limits) and give back a :class:`worker.Outcome`; the grader only schedules and records.

- :class:`LocalPool`, the default: one forked process per notebook, nothing to start.
- :class:`DaskCluster`: ``tcp://HOST:PORT`` sends each task to a running Dask scheduler,
  ``local:N`` starts a ``LocalCluster`` of N worker processes here. Tasks carry their
  files, so workers need no shared folder; Dask runs a task again on another worker when
  its worker dies, and the grader records each student once, when the task's result comes.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import tempfile
import time
import uuid
from pathlib import Path

from autograder.grading import cgroups, worker
from autograder.grading.interrupts import uninterrupted

GRACE_SECONDS = 60  # past the notebook limit, a worker that has not finished is killed outright
STOP_SECONDS = 10  # how long a stopping grader waits for the cluster's tasks to stop


class LocalRun:
    """One notebook executing in a forked worker process."""

    def __init__(self, process: multiprocessing.Process, run: Path, timeout: int):
        self.process, self.run, self.timeout = process, run, timeout
        self.started = time.monotonic()

    def done(self) -> bool:
        """Whether the worker has ended; one still running past the limit and its grace is killed first."""
        if self.process.is_alive() and time.monotonic() - self.started > self.timeout + GRACE_SECONDS:
            self.process.kill()
        return not self.process.is_alive()

    def outcome(self) -> worker.Outcome:
        self.process.join()
        return worker.outcome(self.run, self.process.exitcode, time.monotonic() - self.started)


class LocalPool:
    """Fork one worker process per notebook on this machine, ``workers`` at a time."""

    def __init__(self, workers: int, scratch: Path):
        self.workers, self.scratch = workers, scratch
        self.hierarchy = cgroups.find()
        self.started: list[tuple[multiprocessing.Process, worker.Job]] = []

    def capacity(self) -> int:
        """How many notebooks to keep executing at once."""
        return self.workers

    def per_machine(self) -> int:
        """How many notebooks share one machine's cores at once."""
        return self.workers

    def submit(self, task: worker.Task, key: str) -> LocalRun:
        """Fork a worker that executes ``task`` in the sandbox, in the run folder ``runs/<key>``."""
        run = self.scratch / "runs" / key
        job = task.job(run, self.hierarchy)
        process = multiprocessing.get_context("fork").Process(target=worker.entry, args=(job, run / "worker.log"),
                                                              name=f"grade-{key}")
        with uninterrupted():  # Ctrl-C raised in one of the fork's hooks would be ignored
            process.start()
            self.started.append((process, job))
        return LocalRun(process, run, task.timeout)

    def close(self) -> None:
        """Kill every worker still running; their sandboxes die with them."""
        for process, _ in self.started:
            if process.is_alive():
                process.kill()
        for process, job in self.started:
            process.join()
            if self.hierarchy is not None:  # a killed worker leaves its sandbox's group behind
                cgroups.Group(self.hierarchy, job.group).remove()


def run_on_dask_worker(task: worker.Task, stop_event: str) -> worker.Outcome:
    """Execute ``task`` on the Dask worker this runs on, in a scratch folder of its own.

    The sandbox is killed as soon as the grader sets the Dask event ``stop_event`` (Ctrl-C), or
    when this worker's parent (its nanny) is gone.
    """
    from distributed import Event, get_client

    # Bound to this worker's client here: the watchdog thread that asks it has none of its own.
    stopped, parent_gone = Event(stop_event, client=get_client()), worker.parent_gone()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="keras-starter-run-") as folder:
        run = Path(folder)
        job = task.job(run, cgroups.find())
        worker.run(job, abandoned=lambda: parent_gone() or stopped.is_set())
        return worker.outcome(run, None, time.monotonic() - started)


class DaskRun:
    """One notebook sent to a Dask cluster."""

    def __init__(self, future, task: worker.Task):
        self.future, self.task = future, task
        self.started = time.monotonic()

    def done(self) -> bool:
        return self.future.done()

    def outcome(self) -> worker.Outcome:
        """The task's outcome, or a lost run when Dask gave up on it (its workers kept dying, say)."""
        try:
            return self.future.result()
        except Exception as error:  # noqa: BLE001 - this student's run, not the class's
            return worker.lost(self.task.notebook, f"the Dask cluster could not run it ({type(error).__name__}: "
                               f"{str(error).strip()[:300]})", time.monotonic() - self.started)


class DaskCluster:
    """Send each notebook to a worker of a Dask cluster: ``tcp://HOST:PORT`` or ``local:N``."""

    def __init__(self, address: str):
        try:
            from distributed import Client, Event, LocalCluster
        except ImportError as error:
            raise RuntimeError(f"--cluster {address} needs Dask distributed, which is not installed here "
                               "(pip install 'keras-starter[instructor]', or run make)") from error
        self.cluster = None
        if address.startswith("local:"):
            workers = address.removeprefix("local:")
            if not workers.isdigit() or int(workers) <= 0:
                raise ValueError(f"--cluster local:N needs a positive number of workers, got {address!r}")
            # One thread each: a worker runs one notebook at a time, as a forked worker does.
            self.cluster = LocalCluster(n_workers=int(workers), threads_per_worker=1, processes=True,
                                        dashboard_address=None)
            self.client = Client(self.cluster)
        elif address.startswith("tcp://"):
            try:
                self.client = Client(address, timeout="30s")
            except OSError as error:
                raise RuntimeError(f"no Dask scheduler answers at {address} ({error}); start one there with "
                                   "`dask scheduler` and its workers with `dask worker " + address + "`") from error
        else:
            raise ValueError(f"--cluster takes tcp://HOST:PORT (a running Dask scheduler) or local:N, got {address!r}")
        self.stop_event = Event(f"keras-starter-stop-{uuid.uuid4().hex}", client=self.client)
        self.futures = []

    def workers(self) -> dict[str, dict]:
        return self.client.scheduler_info(n_workers=-1)["workers"]

    def capacity(self) -> int:
        """Notebooks to keep in flight: one per worker thread in the cluster now (at least one)."""
        return max(1, sum(info["nthreads"] for info in self.workers().values()))

    def per_machine(self) -> int:
        """The most worker threads that share one host: each kernel's share of that host's cores."""
        hosts: dict[str, int] = {}
        for info in self.workers().values():
            hosts[info["host"]] = hosts.get(info["host"], 0) + info["nthreads"]
        return max(hosts.values(), default=1)

    def submit(self, task: worker.Task, key: str) -> DaskRun:
        future = self.client.submit(run_on_dask_worker, task, self.stop_event.name, pure=False,
                                    key=f"grade-{key}-{uuid.uuid4().hex[:8]}")
        self.futures.append(future)
        return DaskRun(future, task)

    def close(self) -> None:
        """Stop every task still running (their sandboxes are killed), then let go of the cluster."""
        from distributed import wait

        # Whatever state the cluster is in (its scheduler gone, say), the grader still lets go of it.
        with contextlib.suppress(Exception):
            self.stop_event.set()
            # A stopped task ends within a second or two, its scratch folder removed; then none is left to kill.
            wait([future for future in self.futures if not future.done()], timeout=STOP_SECONDS)
        with contextlib.suppress(Exception):
            self.client.cancel(self.futures)
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def executor(cluster: str | None, workers: int, scratch: Path) -> LocalPool | DaskCluster:
    """The local pool of ``workers`` processes, or the Dask cluster named by ``cluster``."""
    return LocalPool(workers, scratch) if cluster is None else DaskCluster(cluster)
