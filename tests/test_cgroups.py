"""Control groups for whole-sandbox limits: finding where the grader may make them, and one real group.

The grading class (tests/test_grading.py, case ``forked-memory-hogs``) shows the whole path: a
submission whose processes together go past the limit is stopped and flagged ``memory``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograder.grading import cgroups, sandbox


def fake_v1(root: Path) -> tuple[str, str]:
    """``/proc/self/cgroup`` and ``/proc/self/mounts`` of a process in v1 hierarchies under ``root``."""
    for name in cgroups.CONTROLLERS:
        (root / name / "box").mkdir(parents=True)
    mounts = "".join(f"cgroup {root / name} cgroup rw,relatime,{name} 0 0\n" for name in cgroups.CONTROLLERS)
    own = "".join(f"{index}:{name}:/box\n" for index, name in enumerate(cgroups.CONTROLLERS, 1)) + "0::/\n"
    return own, mounts + f"cgroup2 {root / 'unified'} cgroup2 rw 0 0\n"


def fake_v2(root: Path, handed_down: str) -> tuple[str, str]:
    (root / "user.slice").mkdir(parents=True)
    (root / "user.slice" / "cgroup.subtree_control").write_text(handed_down + "\n")
    return "0::/user.slice\n", f"cgroup2 {root} cgroup2 rw,nsdelegate 0 0\n"


def test_v1_hierarchies_give_one_parent_per_controller(tmp_path):
    found = cgroups.find(*fake_v1(tmp_path))
    assert found == cgroups.Hierarchy(1, {name: str(tmp_path / name / "box") for name in cgroups.CONTROLLERS})


def test_a_v2_group_that_hands_down_the_controllers_is_used(tmp_path):
    assert cgroups.find(*fake_v2(tmp_path, "cpu memory pids io")) == cgroups.Hierarchy(2, {"": str(tmp_path / "user.slice")})


def test_without_delegated_controllers_there_is_nothing_to_use(tmp_path):
    assert cgroups.find(*fake_v2(tmp_path, "cpu pids")) is None
    assert "memory is limited per process" in " ".join(sandbox.not_enforced(None))


def test_the_limits_are_written_for_every_controller(tmp_path):
    group = cgroups.Group(cgroups.find(*fake_v1(tmp_path)), "keras-starter-1")
    group.create(memory_mb=512, cpus=2)
    assert (group.folders["memory"] / "memory.limit_in_bytes").read_text() == f"{512 * 2**20}\n"
    assert (group.folders["pids"] / "pids.max").read_text() == f"{cgroups.PIDS_MAX}\n"
    assert (group.folders["cpu"] / "cpu.cfs_quota_us").read_text() == f"{2 * cgroups.CPU_PERIOD_US}\n"
    assert not (group.folders["memory"] / "memory.memsw.limit_in_bytes").exists()  # only where the kernel has it


@pytest.fixture
def real_group():
    hierarchy = cgroups.find()
    if hierarchy is None:
        pytest.skip("the grader may not make control groups on this machine; summaries say limits are per process")
    group = cgroups.Group(hierarchy, f"keras-starter-test-{os.getpid()}")  # one per pytest process
    group.create(memory_mb=256, cpus=1)
    yield group
    group.remove()


def test_a_command_joins_the_group_with_its_children_and_is_killed_past_the_memory_limit(real_group):
    inside = subprocess.run(real_group.join_prefix() + ["sh", "-c", "cat /proc/self/cgroup"],
                            capture_output=True, text=True, check=True).stdout
    assert f"keras-starter-test-{os.getpid()}" in inside
    allocation = f"block = b'x' * ({400 * 2**20}); print('survived')"  # past 256 MiB, no per-process limit
    hog = subprocess.run(real_group.join_prefix() + [sys.executable, "-c", allocation], capture_output=True, text=True)
    assert hog.returncode == -9 and "survived" not in hog.stdout
    assert real_group.oom_kills() == 1


def test_removing_a_group_ends_what_is_left_in_it(real_group):
    sleeper = subprocess.Popen(real_group.join_prefix() + ["sleep", "60"])
    procs = next(iter(real_group.folders.values())) / "cgroup.procs"
    deadline = time.monotonic() + 10
    while not procs.read_text().split() and time.monotonic() < deadline:  # until the sleeper has joined
        time.sleep(0.05)
    real_group.remove()
    assert sleeper.wait(timeout=10) == -9
    assert not any(folder.exists() for folder in real_group.folders.values())
