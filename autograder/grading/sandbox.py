"""A bubblewrap sandbox for one student's kernel.

The kernel sees the operating system read-only, the Python installation and
``starter_lib`` read-only, a private home and ``/tmp``, and exactly two
writable folders: the student's working copy and the kernel's socket folder.
The gradebook, the course sources and every other student's files are simply
not there. It has no network (a new network namespace with only loopback),
its own process tree (all of it dies with the kernel), a memory limit per process and a
file-size limit; where the grader may make control groups, :mod:`autograder.grading.cgroups` limits
memory, processes and CPU for the sandbox as a whole. The grader talks to it over Unix sockets
in the socket folder.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager

SYSTEM_DIRS = ("usr", "bin", "sbin", "lib", "lib32", "lib64")
# Only what dynamic linking, fonts and time zones need: not passwd, shadow or ssh keys.
SYSTEM_FILES = ("etc/ld.so.cache", "etc/ld.so.conf", "etc/ld.so.conf.d", "etc/localtime", "etc/fonts")
HOME = "/home/student"
SCRATCH_BYTES = 512 * 2**20  # size of each private tmpfs (home, /tmp)
FILE_BYTES = 512 * 2**20  # largest file the student's code may write
# Variables a kernel may inherit from the grader; everything else is dropped.
PASSED_PREFIXES = ("KERAS_STARTER_", "KERAS_BACKEND", "TF_", "OMP_", "MKL_", "OPENBLAS_", "PYTHONPATH",
                   "MPLBACKEND", "LANG", "LC_")

# What the sandbox cannot enforce, said plainly in every grading summary.
PER_PROCESS_ONLY = (
    "memory is limited per process (RLIMIT_DATA: heap and anonymous mappings), not for the "
    "sandbox as a whole: a student's code that starts extra processes gets the limit once per process "
    "(the grader may not make control groups here)",
    "CPU use and the number of processes are not limited; the time limits and the private process "
    "tree (everything is killed with the kernel) bound them instead",
)
ALWAYS_NOT_ENFORCED = (
    "disk use is limited per file (RLIMIT_FSIZE) and per private tmpfs, not in total for the working folder",
    "student code shares the kernel with the tests (nbgrader's design): the sandbox protects the gradebook, "
    "other students and the machine, and the tamper scan flags code that targets the tests themselves",
)


def not_enforced(hierarchy) -> tuple[str, ...]:
    """What the sandbox cannot enforce, given the control groups it may use (``None``: none)."""
    return (() if hierarchy is not None else PER_PROCESS_ONLY) + ALWAYS_NOT_ENFORCED


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing or cannot create namespaces on this machine."""


def python_paths() -> list[Path]:
    """Folders the kernel's Python needs: the environment, its base install, ``starter_lib``."""
    paths = {Path(sys.prefix), Path(sys.base_prefix), Path(sys.exec_prefix)}
    spec = importlib.util.find_spec("starter_lib")
    if spec is not None and spec.origin:
        paths.add(Path(spec.origin).resolve().parent)
    return sorted(paths)


def readable_folders(course_dir: Path) -> list[str]:
    """Dataset folders named by the course's settings (``KERAS_STARTER_DATA``), shown read-only to kernels."""
    folders = [(key, Path(value)) for key, value in os.environ.items()
               if key.startswith("KERAS_STARTER_") and os.path.isabs(value) and os.path.isdir(value)]
    for key, folder in folders:
        if course_dir.resolve().is_relative_to(folder.resolve()):
            raise ValueError(f"{key}={folder} holds the course folder {course_dir}: showing it to student code "
                             "would show the gradebook too; point it at the data folder alone")
    return [str(folder) for _, folder in folders]


def kernel_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment inside the sandbox: a fixed base plus the course's own settings."""
    env = {key: value for key, value in os.environ.items() if key.startswith(PASSED_PREFIXES)}
    env.update({"HOME": HOME, "USER": "student", "LOGNAME": "student", "TMPDIR": "/tmp",
                "PATH": os.pathsep.join([str(Path(sys.executable).parent), "/usr/local/bin", "/usr/bin", "/bin"]),
                "MPLBACKEND": env.get("MPLBACKEND", "agg"), "NBGRADER_EXECUTION": "autograde"})
    env.update(extra or {})
    return env


def command(workdir: Path, socket_dir: Path, memory_mb: int, readable: list[Path] = (),
            env: dict[str, str] | None = None) -> list[str]:
    """The ``bwrap ... prlimit ... --`` prefix that runs a command inside the sandbox.

    Parameters
    ----------
    workdir : the student's working copy: writable, and the current folder.
    socket_dir : where the kernel's connection file and Unix sockets live: writable.
    memory_mb : the per-process memory limit (RLIMIT_DATA), in MiB.
    readable : extra folders to show read-only at the same path (e.g. a dataset mirror).
    env : variables for the kernel (default: :func:`kernel_environment`).
    """
    if memory_mb <= 0:
        raise ValueError(f"memory_mb must be a positive number of MiB, got {memory_mb}")
    args = ["bwrap", "--unshare-all", "--die-with-parent", "--uid", "1000", "--gid", "1000"]
    for name in SYSTEM_DIRS:
        path = Path("/", name)
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            args += ["--ro-bind", str(path), str(path)]
    args += [arg for name in SYSTEM_FILES if Path("/", name).exists()
             for arg in ("--ro-bind", f"/{name}", f"/{name}")]
    # The private /tmp and home first: later mounts (a venv or a class under /tmp) go on top of them.
    args += ["--proc", "/proc", "--dev", "/dev",
             "--size", str(SCRATCH_BYTES), "--tmpfs", "/tmp",
             "--size", str(SCRATCH_BYTES), "--tmpfs", HOME]
    for path in [*python_paths(), *map(Path, readable)]:
        if path.exists() and not any(path.is_relative_to(f"/{name}") for name in SYSTEM_DIRS):
            args += ["--ro-bind", str(path), str(path)]
    args += ["--bind", str(socket_dir), str(socket_dir), "--bind", str(workdir), str(workdir),
             "--chdir", str(workdir), "--clearenv"]
    for key, value in sorted((env if env is not None else kernel_environment()).items()):
        args += ["--setenv", key, value]
    return args + ["--", "prlimit", f"--data={memory_mb * 2**20}", f"--fsize={FILE_BYTES}", "--core=0", "--"]


def check_available() -> None:
    """Raise :class:`SandboxUnavailable` naming the fix when sandboxed kernels cannot start."""
    missing = [tool for tool in ("bwrap", "prlimit") if shutil.which(tool) is None]
    if missing:
        raise SandboxUnavailable(
            f"grading needs {' and '.join(missing)} on PATH (Debian/Ubuntu: apt-get install bubblewrap "
            "util-linux); nothing was graded")
    probe = subprocess.run(["bwrap", "--unshare-all", "--ro-bind", "/", "/", "--", "true"],
                           capture_output=True, text=True, timeout=30)
    if probe.returncode != 0:
        raise SandboxUnavailable(
            "bubblewrap cannot create namespaces here (it said: "
            f"{probe.stderr.strip() or probe.returncode}); allow unprivileged user namespaces "
            "(sysctl kernel.unprivileged_userns_clone=1) or run the grader as root; nothing was graded")


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager that starts its kernel inside :func:`command`'s sandbox.

    The kernel and the grader talk over Unix sockets in ``socket_dir`` (the
    sandbox has no network, so TCP cannot cross it), and interrupts go as
    messages because signals to the sandbox would end it.
    """

    def __init__(self, sandbox: list[str], socket_dir: Path, log_path: Path, **kwargs):
        super().__init__(transport="ipc", ip=str(socket_dir / "kernel"),
                         connection_file=str(socket_dir / "connection.json"), **kwargs)
        self.sandbox = sandbox
        self.log_path = log_path

    @property
    def kernel_spec(self):
        spec = super().kernel_spec
        if spec is not None:
            spec.interrupt_mode = "message"
        return spec

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw) -> None:
        # The kernel's own stdout and stderr (not the notebook's outputs) go to a log file.
        with open(self.log_path, "ab") as log:
            kw.update(stdout=log, stderr=subprocess.STDOUT, env={"PATH": os.environ.get("PATH", "")})
            await super()._async_launch_kernel(self.sandbox + kernel_cmd, **kw)

    def kill_sandbox(self) -> None:
        """End the sandbox and everything in it at once (used for the notebook time limit)."""
        process = getattr(self.provisioner, "process", None)
        if process is not None and process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                process.kill()
