"""The lowest and the highest Python the course supports: it installs, the instructor commands
work, and notebook 03 runs clean in fast mode.

Each Python gets a fresh environment, which takes minutes, so this runs with
``make test-pythons`` (``KERAS_STARTER_TEST_PYTHONS=1``), not in ``make test``.
"""

from __future__ import annotations

import os

import nbformat
import pytest

from autograder.course import COURSE_DIR, REPO_ROOT
from environments import new_venv, run, uv
from notebook_tools import errors, stderr_outputs

PYTHONS = ("3.11", "3.13")  # the ends of requires-python (tests/test_packaging.py checks them)
NOTEBOOK = "03-logistic-regression"
RUNNER = REPO_ROOT / "tests" / "colab" / "run_notebook.py"

pytestmark = pytest.mark.skipif(not os.environ.get("KERAS_STARTER_TEST_PYTHONS"),
                                reason="slow: run with make test-pythons")


@pytest.fixture(scope="module", params=PYTHONS)
def python(request, tmp_path_factory):
    """A fresh environment on one Python with the course and its instructor extra installed."""
    python = new_venv(tmp_path_factory.mktemp(f"python{request.param}") / "venv", request.param)
    run(uv(), "pip", "install", "--quiet", "--python", python, f"{REPO_ROOT}[instructor]", "ipykernel")
    assert run(python, "-c", "import sys; print(sys.version)").stdout.startswith(request.param)
    return python


def test_autograder_help(python):
    assert "build" in run(python, "-m", "autograder", "--help", cwd=REPO_ROOT).stdout


def test_build_check_finds_nothing_stale(python):
    run(python, "-m", "autograder", "build", "--check", cwd=REPO_ROOT)


def test_notebook_03_runs_clean_in_fast_mode(python, mnist_settings, tmp_path):
    master = COURSE_DIR / "source" / NOTEBOOK / f"{NOTEBOOK}.ipynb"
    nbformat.write(nbformat.read(master, as_version=4), tmp_path / master.name)
    settings = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    settings.update(mnist_settings, KERAS_STARTER_BUDGET="fast")
    run(python, RUNNER, master.name, "executed.ipynb", cwd=tmp_path, env=settings)
    executed = nbformat.read(tmp_path / "executed.ipynb", as_version=4)
    assert errors(executed) == []
    assert stderr_outputs(executed) == []
