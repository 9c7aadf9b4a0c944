"""A clone with nothing beside it and no MNIST anywhere still passes: tests that need MNIST skip, the rest
run on scikit-learn's digits."""

import os
import shutil
import subprocess
import sys

from conftest import REPO_ROOT


def git(*args: str, cwd=REPO_ROOT) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def clone_of_this_checkout(target):
    """``git clone`` of this repository, with the working tree's uncommitted and new files laid on top."""
    git("clone", "--quiet", str(REPO_ROOT), str(target))
    changed = git("ls-files", "--modified", "--others", "--exclude-standard").splitlines()
    for name in changed:
        source = REPO_ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
        elif not source.exists():
            (target / name).unlink(missing_ok=True)
    return target


def test_a_lone_clone_offline_passes_with_skips_that_name_the_fix(tmp_path):
    clone = clone_of_this_checkout(tmp_path / "alone" / "keras-starter")
    empty = tmp_path / "empty"
    empty.mkdir()
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("KERAS_STARTER_DATA", "PYTHONPATH", "KERAS_HOME")}
    environment.update(KERAS_STARTER_DOWNLOAD="0", KERAS_HOME=str(empty))
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rs", "tests/test_data.py",
         "tests/test_notebooks.py::test_solved_learner_copy_runs_clean_in_fast_mode[03-logistic-regression]"],
        cwd=clone, env=environment, capture_output=True, text=True, timeout=900)
    summary = run.stdout.strip().splitlines()[-1]
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "skipped" in summary and "failed" not in summary and "error" not in summary, summary
    assert "needs real MNIST" in run.stdout and "Fix: set KERAS_STARTER_DATA" in run.stdout
    assert "alone/keras-starter" in run.stdout, "the tests ran inside the clone, not this checkout"
