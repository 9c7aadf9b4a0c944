"""Compiled bytecode: the course environment has it, and the grader compiles an environment without it."""

import os
import subprocess
import venv
from pathlib import Path

from autograder import bytecode
from conftest import REPO_ROOT


def test_the_course_environment_has_bytecode_for_tensorflow_and_keras():
    assert bytecode.missing_counts() == {"tensorflow": 0, "keras": 0}, "run `make install` (it compiles them)"


def run_in(python, code: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([str(python), "-c", code], env=environment, capture_output=True, text=True, check=True)


def test_an_environment_without_bytecode_is_compiled_once_and_then_left_alone(tmp_path):
    venv.create(tmp_path / "env", with_pip=False)
    python = tmp_path / "env" / "bin" / "python"
    site = run_in(python, "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip()
    package = Path(site) / "toy"
    package.mkdir(parents=True)
    for name in ("__init__.py", "layers.py"):
        (package / name).write_text("VALUE = 1\n")
    check = "from autograder import bytecode; print(bytecode.missing_counts(('toy',)))"
    assert run_in(python, check).stdout.strip() == "{'toy': 2}"
    compile_ = "import sys; from autograder import bytecode; bytecode.ensure_compiled(sys.stdout, ('toy',))"
    first = run_in(python, compile_).stdout
    assert "Compiling the environment's bytecode (files without it: toy 2)" in first
    assert run_in(python, check).stdout.strip() == "{'toy': 0}"
    assert run_in(python, compile_).stdout == "", "a compiled environment is not compiled again"

