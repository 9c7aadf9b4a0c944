"""Execute one prepared notebook in the sandbox.

A :class:`Task` is all of one notebook's run: the prepared notebook, the
student's files and the limits, so that it runs on any machine with the course
environment (:mod:`autograder.grading.executors` sends it to a forked process here or to
a Dask worker). :func:`run` runs nbgrader's own ``Execute`` preprocessor against
a kernel inside :mod:`autograder.grading.sandbox`, enforces the whole-notebook time
limit, and writes two files atomically: the executed notebook and a small JSON
:class:`~autograder.grading.state.Result`; :func:`outcome` reads them back. The
executing side stays outside the sandbox, so whatever the student's code does
to its kernel, the outputs recorded up to that point survive.
"""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbgrader.preprocessors import Execute
from nbgrader.utils import is_grade, is_locked

from autograder.grading import cgroups, sandbox
from autograder.grading.interrupts import release_held
from autograder.grading.state import Flag, Kind, Result, Status
from autograder.grading.stderr import RelabelStderr

TIMEOUT_ENAME = "NotebookTimeout"
MAX_CELL_OUTPUT = 2**20  # bytes of output kept per cell; a print loop must not fill the grader's memory
# After a MemoryError, IPython keeps the failed frames (and so the memory they filled) alive
# through the last traceback; this frees them so that later cells are graded on their own.
RELEASE_FAILED_FRAMES = ("import gc as _grader_gc, sys as _grader_sys\n"
                         "_grader_sys.last_type = _grader_sys.last_value = _grader_sys.last_traceback = None\n"
                         "get_ipython().InteractiveTB.tb = get_ipython().last_execution_result = None\n"
                         "_grader_gc.collect()\n"
                         "del _grader_gc, _grader_sys")


@dataclass
class Job:
    """Everything one worker needs: files, folders and limits."""

    prepared: str
    executed: str
    result: str
    workdir: str
    socket_dir: str
    cell_timeout: int
    timeout: int
    memory_mb: int
    readable: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    hierarchy: cgroups.Hierarchy | None = None  # where the sandbox gets a control group of its own
    cpus: int = 1  # CPU time the whole sandbox may use, in cores, when it has a control group
    # The sandbox's control group: named at random, since process ids come round again within minutes.
    group: str = field(default_factory=lambda: f"keras-starter-{uuid.uuid4().hex[:16]}")

    @property
    def sandbox_memory_mb(self) -> int:
        """Memory for all of the sandbox's processes together, when it has a control group."""
        return cgroups.SANDBOX_MEMORY_FACTOR * self.memory_mb


@dataclass
class Task:
    """One notebook to execute, with everything its run needs, so that it can run on another machine."""

    notebook: str  # the prepared notebook, as JSON
    files: dict[str, bytes]  # its working copy, by path relative to it: the student's files and the data files
    cell_timeout: int
    timeout: int
    memory_mb: int
    env: dict[str, str]  # course settings for the kernel
    cpus: int
    course_root: str  # the gradebook's folder, which no folder shown to the kernel may hold

    def job(self, run: Path, hierarchy: cgroups.Hierarchy | None) -> Job:
        """Write the notebook and the working copy into the run folder ``run``; the job that executes them."""
        (run / "sockets").mkdir(parents=True, exist_ok=True)
        (run / "work").mkdir(exist_ok=True)
        (run / "prepared.ipynb").write_text(self.notebook, encoding="utf-8")
        for name, data in self.files.items():
            target = run / "work" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        return Job(prepared=str(run / "prepared.ipynb"), executed=str(run / "executed.ipynb"),
                   result=str(run / "result.json"), workdir=str(run / "work"), socket_dir=str(run / "sockets"),
                   cell_timeout=self.cell_timeout, timeout=self.timeout, memory_mb=self.memory_mb,
                   readable=sandbox.readable_folders(Path(self.course_root)), env=self.env, hierarchy=hierarchy,
                   cpus=self.cpus)


@dataclass
class Outcome:
    """What a task gives back: the executed notebook (JSON) and the result of its run."""

    notebook: str
    result: Result


def outcome(run: Path, exitcode: int | None, seconds: float) -> Outcome:
    """What the run in folder ``run`` left, or, if it ended without a result, a lost run (:func:`lost`)."""
    result, executed = run / "result.json", run / "executed.ipynb"
    if result.is_file() and executed.is_file():
        return Outcome(executed.read_text(encoding="utf-8"), Result.from_json(result.read_text(encoding="utf-8")))
    return lost((run / "prepared.ipynb").read_text(encoding="utf-8"),
                f"the worker ended without a result (exit code {exitcode})", seconds)


def lost(prepared: str, why: str, seconds: float) -> Outcome:
    """The outcome of a run that gave no result: every graded cell of ``prepared`` fails, saying ``why``."""
    notebook = nbformat.reads(prepared, as_version=4)
    fail_unfinished(notebook, set(), "GraderStopped", f"not run: {why}")
    return Outcome(nbformat.writes(notebook), Result(Status.GRADER_STOPPED, round(seconds, 1),
                                                     [Flag(Kind.GRADER, f"{why}; grade this student again")], why))


class TrackedExecute(Execute):
    """nbgrader's ``Execute`` that remembers which cells got a reply and cleans up after MemoryError."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.finished: set[int] = set()
        self.output_bytes: dict[int, int] = {}

    def output(self, outs, msg, display_id, cell_index):
        """Keep a cell's printed and displayed output up to :data:`MAX_CELL_OUTPUT` bytes, then one note.

        Errors and results always pass: they decide the cell's score.
        """
        if msg["msg_type"] not in ("stream", "display_data", "update_display_data"):
            return super().output(outs, msg, display_id, cell_index)
        before = self.output_bytes.get(cell_index, 0)
        self.output_bytes[cell_index] = before + len(json.dumps(msg["content"]))
        if self.output_bytes[cell_index] <= MAX_CELL_OUTPUT:
            return super().output(outs, msg, display_id, cell_index)
        if before <= MAX_CELL_OUTPUT:
            outs.append(nbformat.v4.new_output(
                "stream", name="stdout", text=f"\n[grader: output beyond {MAX_CELL_OUTPUT} bytes dropped]\n"))
        return None

    def on_cell_executed(self, **kwargs):
        super().on_cell_executed(**kwargs)
        self.finished.add(kwargs["cell_index"])

    async def on_cell_error(self, **kwargs):
        if kwargs["execute_reply"]["content"].get("ename") == "MemoryError":
            await self.async_wait_for_reply(self.kc.execute(RELEASE_FAILED_FRAMES, silent=True, store_history=False))


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the whole new one."""
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def error_output(ename: str, message: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_output("error", ename=ename, evalue=message, traceback=[f"{ename}: {message}"])


def fail_unfinished(notebook, finished: set[int], ename: str, message: str) -> list[str]:
    """Give every graded cell that never finished an error output; return their grade ids."""
    failed = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code" and is_grade(cell) and index not in finished:
            cell.outputs.append(error_output(ename, message))
            failed.append(cell.metadata.nbgrader.get("grade_id", f"cell {index}"))
    return failed


def read_only_errors(notebook) -> list[str]:
    """``"<grade id>: <error>"`` for each read-only code cell (locked, not graded) that raised."""
    found = []
    for cell in notebook.cells:
        if cell.cell_type == "code" and is_locked(cell) and not is_grade(cell):
            found += [f"{cell.metadata.nbgrader.get('grade_id', 'a read-only cell')}: {out.ename}: {out.evalue}"
                      for out in cell.outputs if out.output_type == "error"]
    return found


def stop_reason(status: Status, detail: str, job: Job) -> str:
    """Why the notebook stopped early, in the words a student's feedback shows."""
    if status is Status.TIMEOUT:
        return f"the notebook exceeded its time limit of {job.timeout} s"
    if status is Status.UNRESPONSIVE:
        return f"a cell ran past the cell limit of {job.cell_timeout} s and ignored the interrupt"
    if status is Status.ERROR:
        return f"the grader could not run the notebook ({detail}); grade this student again"
    if status is Status.MEMORY:
        return f"the sandbox went past its memory limit of {job.sandbox_memory_mb} MiB, all its processes together"
    if status is Status.GRADER_STOPPED:
        return "the grader stopped before the notebook finished; grade this student again"
    return f"the kernel stopped ({status})"


def runtime_flags(notebook, job: Job, status: Status, detail: str, unfinished: list[str],
                  relabelled: list[str]) -> list[Flag]:
    """Flags for what happened while the notebook ran: limits reached, a kernel that stopped, stderr."""
    flags = []
    for index, cell in enumerate(notebook.cells):
        where = cell.metadata.get("nbgrader", {}).get("grade_id") or f"cell {index + 1}"
        names = {out.ename for out in cell.get("outputs", []) if out.output_type == "error"}
        if "CellTimeoutError" in names:
            flags.append(Flag(Kind.TIMEOUT, f"{where} stopped at the cell limit of {job.cell_timeout} s"))
        if "MemoryError" in names:
            flags.append(Flag(Kind.MEMORY, f"{where} ran out of memory (limit {job.memory_mb} MiB)"))
    if status is not Status.OK:
        flags.append(Flag(status.flag_kind, f"{stop_reason(status, detail, job)}; {len(unfinished)} graded cell(s) "
                                            "not run"))
    flags += [Flag(Kind.STDERR, f"{grade_id} wrote to stderr (shown as ordinary output, not counted as a failure)")
              for grade_id in relabelled]
    return flags


def parent_gone() -> Callable[[], bool]:
    """Whether the process that started this one has ended, asked later."""
    parent = os.getppid()
    return lambda: os.getppid() != parent


def watch(manager: sandbox.SandboxedKernelManager, seconds: int, group: cgroups.Group | None,
          abandoned: Callable[[], bool], stop: threading.Event, fired: list[Status]) -> None:
    """Kill the sandbox when the time limit passes, the grader no longer waits for the run (``abandoned``),
    or the sandbox's control group ran out of memory (which kills one process of it, not all)."""
    deadline = time.monotonic() + seconds
    while not stop.wait(0.5):
        if time.monotonic() > deadline:
            fired.append(Status.TIMEOUT)
        elif abandoned():
            fired.append(Status.GRADER_STOPPED)
        elif group is not None and group.oom_kills():
            fired.append(Status.MEMORY)
        else:
            continue
        manager.kill_sandbox()
        return


def entry(job: Job, log_path: Path) -> None:
    """Start of a forked worker: send its own stdout and stderr to ``log_path``, then :func:`run`."""
    release_held()  # the grader holds Ctrl-C and SIGTERM while it forks
    log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(log, 1)
    os.dup2(log, 2)
    run(job)


def run(job: Job, abandoned: Callable[[], bool] | None = None) -> Result:
    """Execute ``job.prepared`` in the sandbox; write the executed notebook and return the result.

    The sandbox is killed as soon as ``abandoned()`` holds (by default: once the parent process is gone).
    """
    notebook = nbformat.read(job.prepared, as_version=4)
    socket_dir = Path(job.socket_dir)
    group, prefix = None, []
    if job.hierarchy is not None:
        group = cgroups.Group(job.hierarchy, job.group)
        group.create(job.sandbox_memory_mb, job.cpus)
        prefix = group.join_prefix()
    manager = sandbox.SandboxedKernelManager(
        prefix + sandbox.command(Path(job.workdir), socket_dir, job.memory_mb, job.readable,
                                 sandbox.kernel_environment(job.env)),
        socket_dir, socket_dir.parent / "kernel.log",
        kernel_name=notebook.metadata.get("kernelspec", {}).get("name", "python3"))
    executor = TrackedExecute(timeout=job.cell_timeout)
    stop, fired = threading.Event(), []
    abandoned = abandoned or parent_gone()
    watchdog = threading.Thread(target=watch, args=(manager, job.timeout, group, abandoned, stop, fired), daemon=True)
    started = time.monotonic()
    status, detail = Status.OK, ""
    watchdog.start()
    try:
        executor.preprocess(notebook, {"metadata": {"path": job.workdir}}, km=manager)
    except DeadKernelError:
        status = fired[0] if fired else Status.KERNEL_DIED
    except CellTimeoutError:  # the kernel was still busy after the interrupt
        status = Status.UNRESPONSIVE
    except Exception as error:  # noqa: BLE001 - any failure is this student's result, not the class's
        status, detail = Status.ERROR, f"{type(error).__name__}: {error}"
    finally:
        stop.set()
        watchdog.join()
        if group is not None:
            # The out-of-memory killer ended the kernel, or a process of it after the watchdog's last look.
            if status in (Status.OK, Status.KERNEL_DIED) and group.oom_kills():
                status = Status.MEMORY
            group.remove()
    seconds = time.monotonic() - started
    unfinished = []
    if status is not Status.OK:
        ename = TIMEOUT_ENAME if status.flag_kind is Kind.TIMEOUT else "KernelStopped"
        unfinished = fail_unfinished(notebook, executor.finished, ename, f"not run: {stop_reason(status, detail, job)}")
    relabel = RelabelStderr()
    notebook, _ = relabel.preprocess(notebook, {})
    relabelled = relabel.relabelled
    result = Result(status, round(seconds, 1), runtime_flags(notebook, job, status, detail, unfinished, relabelled),
                    detail)
    write_atomically(Path(job.executed), nbformat.writes(notebook))
    write_atomically(Path(job.result), result.to_json())
    return result
