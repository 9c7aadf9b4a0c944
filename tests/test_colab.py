"""A learner notebook on an imitation of Colab: a fresh environment with Colab's preinstalled
stack but not this course, a stand-in ``google.colab`` imported at kernel start, and the setup
cell's install pointed at a wheel of this checkout. The notebook, with the solutions filled
in from the master, must run top to bottom without touching TensorFlow and friends."""

import json
import os
import subprocess
import sys
from datetime import datetime
from importlib import metadata
from pathlib import Path

import nbformat
import pytest

from autograder.course import COURSE_DIR, LEARNER_DIR, REPO_ROOT
from notebook_tools import errors, grade_id, stderr_outputs, stdout_of

NOTEBOOK = "03-logistic-regression"
FAKE_COLAB = Path(__file__).parent / "colab"
# What Colab preinstalls, at the versions this checkout's environment has (uv's cache serves them).
COLAB_STACK = ["tensorflow", "keras", "numpy", "matplotlib", "scikit-learn", "scikit-image",
               "opencv-python-headless", "ipywidgets", "ipykernel", "pyzmq", "nbclient"]
UNTOUCHABLE = ["tensorflow", "keras", "numpy", "ipykernel", "pyzmq"]
ARTIFACTS = REPO_ROOT / "tests" / "artifacts"


def run(*command, **kwargs):
    return subprocess.run([str(c) for c in command], check=True, capture_output=True, text=True, **kwargs)


def versions(python: Path, names) -> dict[str, str]:
    code = ("import json, sys; from importlib import metadata; "
            "print(json.dumps({n: metadata.version(n) for n in sys.argv[1:]}))")
    return json.loads(run(python, "-c", code, *names).stdout)


def solved_learner_copy():
    """The learner notebook with every solution cell taken from the master, setup run twice."""
    learner = nbformat.read(LEARNER_DIR / f"{NOTEBOOK}.ipynb", as_version=4)
    master = nbformat.read(COURSE_DIR / "source" / NOTEBOOK / f"{NOTEBOOK}.ipynb", as_version=4)
    answers = {grade_id(c): c.source for c in master.cells if c.metadata.get("nbgrader", {}).get("solution")}
    for cell in learner.cells:
        if grade_id(cell) in answers:
            cell.source = answers[grade_id(cell)]
    setup_index = next(i for i, c in enumerate(learner.cells) if c.get("id") == "setup")
    again = nbformat.v4.new_code_cell(learner.cells[setup_index].source, id="setup-again")
    learner.cells.insert(setup_index + 1, again)
    return learner


@pytest.fixture(scope="module")
def fake_colab(tmp_path_factory):
    """A Python environment like Colab's, without keras-starter, and a wheel of this checkout."""
    root = tmp_path_factory.mktemp("colab")
    uv = Path(sys.executable).parent / "uv"
    run(uv, "build", "--wheel", "--out-dir", root / "dist", REPO_ROOT)
    python = root / "venv" / "bin" / "python"
    run(uv, "venv", "--seed", "--quiet", "--python", sys.executable, root / "venv")
    pins = [f"{name}=={metadata.version(name)}" for name in COLAB_STACK]
    run(uv, "pip", "install", "--quiet", "--python", python, *pins)
    return root, python, next((root / "dist").glob("keras_starter-*.whl"))


@pytest.fixture(scope="module")
def colab_run(fake_colab, mnist_settings):
    root, python, wheel = fake_colab
    startup = root / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-colab.py").write_text("import google.colab  # Colab's kernel imports it at start\n")
    workdir = root / "content"  # Colab's working folder; holds nothing of this course
    workdir.mkdir()
    nbformat.write(solved_learner_copy(), workdir / f"{NOTEBOOK}.ipynb")
    environment = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    environment.update(PYTHONPATH=str(FAKE_COLAB), IPYTHONDIR=str(root / "ipython"),
                       KERAS_STARTER_SOURCE=str(wheel), **mnist_settings,
                       FAKE_COLAB_MARKER=str(root / "widgets-enabled"), KERAS_STARTER_BUDGET="fast")
    before = versions(python, UNTOUCHABLE)
    run(python, FAKE_COLAB / "run_notebook.py", f"{NOTEBOOK}.ipynb", "executed.ipynb",
        cwd=workdir, env=environment)
    executed = nbformat.read(workdir / "executed.ipynb", as_version=4)
    return root, python, executed, before


def test_starts_without_the_course_installed(fake_colab):
    root, python, _ = fake_colab
    assert run(python, "-c", "import importlib.util as u; print(u.find_spec('starter_lib'))",
               cwd=root, env={"PATH": os.environ["PATH"]}).stdout.strip() == "None"


def test_solved_notebook_runs_clean_on_colab(colab_run):
    _, _, executed, _ = colab_run
    assert errors(executed) == []
    assert stderr_outputs(executed) == []
    assert "5 of 5 exercises done." in stdout_of(executed, "progress")


def test_setup_installs_the_course_and_leaves_colabs_stack_alone(colab_run):
    _, python, _, before = colab_run
    assert versions(python, ["keras-starter"]) == {"keras-starter": metadata.version("keras-starter")}
    assert versions(python, UNTOUCHABLE) == before


def test_setup_reports_what_to_click_and_enables_widgets(colab_run):
    root, _, executed, _ = colab_run
    report = stdout_of(executed, "setup")
    assert "Device: CPU. Runtime > Change runtime type > T4 GPU" in report
    assert (root / "widgets-enabled").read_text() == "custom widget manager enabled\n"


def test_setup_is_idempotent_and_its_time_is_recorded(colab_run):
    _, _, executed, _ = colab_run
    assert stdout_of(executed, "setup-again") == stdout_of(executed, "setup")

    def seconds(cell_id):
        timing = next(c for c in executed.cells if c.get("id") == cell_id).metadata.execution
        start, end = (datetime.fromisoformat(timing[k].replace("Z", "+00:00"))
                      for k in ("iopub.execute_input", "shell.execute_reply"))
        return (end - start).total_seconds()

    ARTIFACTS.mkdir(exist_ok=True)
    times = {"first_run_s": round(seconds("setup"), 2), "second_run_s": round(seconds("setup-again"), 2)}
    (ARTIFACTS / "colab-setup-time.json").write_text(json.dumps(times, indent=2) + "\n")
    print(f"Colab setup cell: {times}")
