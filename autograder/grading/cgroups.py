"""Limits for a sandbox as a whole, with a control group of its own, where the grader may make one.

The grader looks at the control groups it runs in. cgroup v2: its own group in the unified
hierarchy, when that group's ``cgroup.subtree_control`` already hands the ``memory``, ``pids`` and
``cpu`` controllers down to child groups (a container's root group, say; the grader does not move
itself into a leaf group to enable them). cgroup v1: writable ``memory``, ``pids`` and ``cpu``
hierarchies, as in many containers. Each sandbox then gets a child group that
limits all its processes together: memory, number of processes and CPU time. Where neither is
writable, :func:`find` returns ``None`` and the per-process limits of :mod:`autograder.grading.sandbox` are
all there is; the grading summary says which applied.
"""

from __future__ import annotations

import os
import shlex
import signal
import time
from dataclasses import dataclass
from pathlib import Path

CONTROLLERS = ("memory", "pids", "cpu")
SANDBOX_MEMORY_FACTOR = 2  # the whole sandbox may use twice a kernel's own (per-process) memory limit
PIDS_MAX = 1024  # processes and threads in one sandbox: TensorFlow starts dozens of threads, more on big machines
CPU_PERIOD_US = 100_000


@dataclass(frozen=True)
class Hierarchy:
    """Where the grader may make child groups: one folder (v2) or one per controller (v1)."""

    version: int
    parents: dict[str, str]  # controller -> folder of the grader's own group ("" -> the v2 folder)


def own_groups(proc_cgroup: str) -> dict[str, str]:
    """``/proc/self/cgroup`` as controller -> path; the v2 entry under the key ``""``."""
    groups = {}
    for line in proc_cgroup.splitlines():
        _, names, path = line.split(":", 2)
        for name in names.split(",") if names else [""]:
            groups[name] = path
    return groups


def mounts(proc_mounts: str) -> dict[str, str]:
    """cgroup mount points as controller -> folder, the v2 mount under the key ``""``."""
    found = {}
    for line in proc_mounts.splitlines():
        _, folder, kind, options, *_ = line.split()
        if kind == "cgroup2":
            found[""] = folder
        elif kind == "cgroup":
            for name in options.split(","):
                if name in CONTROLLERS:
                    found.setdefault(name, folder)
    return found


def writable(folder: Path) -> bool:
    """Whether a child group can be made in ``folder`` (tried, then removed)."""
    probe = folder / f"keras-starter-probe-{os.getpid()}"
    try:
        probe.mkdir()
        probe.rmdir()
        return True
    except OSError:
        return False


def find(proc_cgroup: str | None = None, proc_mounts: str | None = None) -> Hierarchy | None:
    """The hierarchy this process may make sandbox groups in, or ``None``."""
    groups = own_groups(proc_cgroup if proc_cgroup is not None else Path("/proc/self/cgroup").read_text())
    points = mounts(proc_mounts if proc_mounts is not None else Path("/proc/self/mounts").read_text())
    if "" in points and "" in groups:
        parent = Path(points[""], groups[""].lstrip("/"))
        handed_down = (parent / "cgroup.subtree_control").read_text().split() \
            if (parent / "cgroup.subtree_control").is_file() else []
        if set(CONTROLLERS) <= set(handed_down) and writable(parent):
            return Hierarchy(2, {"": str(parent)})
    if all(name in points and name in groups for name in CONTROLLERS):
        parents = {name: Path(points[name], groups[name].lstrip("/")) for name in CONTROLLERS}
        if all(writable(folder) for folder in parents.values()):
            return Hierarchy(1, {name: str(folder) for name, folder in parents.items()})
    return None


class Group:
    """One sandbox's control group, named after the worker that runs the sandbox."""

    def __init__(self, hierarchy: Hierarchy, name: str):
        self.version = hierarchy.version
        self.folders = {controller: Path(parent, name) for controller, parent in hierarchy.parents.items()}

    def create(self, memory_mb: int, cpus: int) -> None:
        """Make the group with its limits: ``memory_mb`` for all its processes, :data:`PIDS_MAX`, ``cpus``."""
        for folder in self.folders.values():
            folder.mkdir(exist_ok=True)
        memory, quota = memory_mb * 2**20, cpus * CPU_PERIOD_US
        if self.version == 2:
            self.write("", "memory.max", memory)
            self.write("", "memory.swap.max", 0, optional=True)
            self.write("", "pids.max", PIDS_MAX)
            self.write("", "cpu.max", f"{quota} {CPU_PERIOD_US}")
        else:
            self.write("memory", "memory.limit_in_bytes", memory)
            self.write("memory", "memory.memsw.limit_in_bytes", memory, optional=True)  # no swapping past it
            self.write("pids", "pids.max", PIDS_MAX)
            self.write("cpu", "cpu.cfs_period_us", CPU_PERIOD_US)
            self.write("cpu", "cpu.cfs_quota_us", quota)

    def write(self, controller: str, name: str, value, optional: bool = False) -> None:
        path = self.folders[controller] / name
        if optional and not path.exists():
            return
        path.write_text(f"{value}\n")

    def join_prefix(self) -> list[str]:
        """A command prefix that moves the command into this group before it starts (its children follow)."""
        procs = " ".join(shlex.quote(str(folder / "cgroup.procs")) for folder in self.folders.values())
        return ["sh", "-c", f'echo $$ | tee {procs} >/dev/null && exec "$@"', "sh"]

    def oom_kills(self) -> int:
        """How many processes of the group the kernel's out-of-memory killer has ended."""
        folder = self.folders["" if self.version == 2 else "memory"]
        events = folder / ("memory.events" if self.version == 2 else "memory.oom_control")
        for line in events.read_text().splitlines():
            key, _, value = line.partition(" ")
            if key == "oom_kill":
                return int(value)
        return 0

    def remove(self) -> None:
        """Kill what is left in the group, then remove it (nothing to do when it is gone already)."""
        present = [folder for folder in self.folders.values() if folder.is_dir()]
        for pid in {int(pid) for folder in present for pid in (folder / "cgroup.procs").read_text().split()}:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for folder in present:
            for _ in range(50):
                try:
                    folder.rmdir()
                    break
                except OSError:  # busy until the killed processes are gone
                    time.sleep(0.1)
