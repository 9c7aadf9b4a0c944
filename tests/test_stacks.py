"""Every learner notebook, with the master's answers filled in, on the stacks learners really have.

A stack is a constraints file in ``tests/stacks/`` whose header names its Python. ``colab`` and
``kaggle`` imitate those runtimes: a fresh environment with their preinstalled versions but not
this course, which the setup cell installs from a wheel of this checkout (Colab: a stand-in
``google.colab`` imported at kernel start; Kaggle: its environment variable). ``floor`` installs
the course at the lowest versions ``pyproject.toml`` allows; ``latest`` is the project's own
environment. On each, every visible check passes, no cell writes to stderr, the setup cell
installs nothing already there and names the device, and nbgrader, running the stack's kernel,
gives the notebook full marks.

CI runs ``colab`` (``latest`` would repeat in the project's own environment what test_notebooks
runs there); ``make test-stacks`` runs all four (``KERAS_STARTER_STACKS=all``, or
``make test-stacks STACKS=floor,kaggle``) and writes the table the README shows
(``benchmarks/results/stack_matrix.md``).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from importlib import metadata
from pathlib import Path

import nbformat
import pytest
import tomllib
from packaging.requirements import Requirement

from autograder.course import COURSE_DIR, REPO_ROOT, assignments, nbgrader_api
from autograder.grading.record import scores
from environments import build_wheel, freeze, new_venv, run, uv
from notebook_tools import (copy_course, environment, errors, is_graded, solved_learner_copy, stderr_outputs,
                            stdout_of, submit)

STACKS_DIR = Path(__file__).parent / "stacks"
FAKE_COLAB = Path(__file__).parent / "colab"
ARTIFACTS = REPO_ROOT / "tests" / "artifacts"
ALL_STACKS = ("latest", "colab", "kaggle", "floor")
CHOSEN = os.environ.get("KERAS_STARTER_STACKS", "colab")
STACKS = ALL_STACKS if CHOSEN == "all" else tuple(CHOSEN.split(","))
HOSTED = ("colab", "kaggle")
KERNEL_PACKAGES = ["ipykernel", "nbclient"]  # what runs the notebooks, at the stack's own versions
DEVICE_LINES = {"colab": "Device: CPU. Runtime > Change runtime type > T4 GPU",
                "kaggle": "Device: CPU. Settings > Accelerator > GPU T4 x2",
                "floor": "Device: CPU. no GPU found", "latest": "Device: CPU. no GPU found"}
NOTEBOOKS = assignments()
RESULTS: dict[tuple[str, str], dict] = {}  # (stack, notebook): seconds and problems, for the table


def header(stack: str) -> dict[str, str]:
    """The ``# key: value`` lines at the top of a stack's constraints file (none for ``latest``, which has none)."""
    if stack == "latest":
        return {}
    lines = (STACKS_DIR / f"{stack}.txt").read_text().splitlines()
    return dict(line[2:].split(": ", 1) for line in lines if line.startswith("# ") and ": " in line)


def without_course(packages: list[str]) -> list[str]:
    return [line for line in packages if not line.startswith("keras-starter")]


def core_packages() -> list[str]:
    """The names of the course's own dependencies (no extras), from ``pyproject.toml``."""
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    return [Requirement(spec).name for spec in project["dependencies"]]


@dataclass
class Stack:
    name: str
    python: Path
    root: Path
    wheel: Path | None  # None on latest, which runs this checkout
    course_preinstalled: bool  # whether starter_lib could be imported before any notebook ran
    versions: dict[str, str]  # name -> version, as built


@pytest.fixture(scope="session")
def wheel(tmp_path_factory) -> Path:
    """A wheel of this checkout: what the setup cell installs on the hosted stacks."""
    return build_wheel(REPO_ROOT, tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="session")
def stack(request, tmp_path_factory) -> Stack:
    """The environment of one stack, built once per session from uv's cache."""
    name = request.param
    root = tmp_path_factory.mktemp(name)
    wheel = None if name == "latest" else request.getfixturevalue("wheel")
    python = Path(sys.executable) if name == "latest" else root / "venv" / "bin" / "python"
    if name != "latest":
        new_venv(root / "venv", header(name)["python"])
        course = [] if name in HOSTED else [wheel]
        # compiled bytecode, as the hosted images have it: each kernel then imports TensorFlow in a third of the CPU
        run(uv(), "pip", "install", "--quiet", "--compile-bytecode", "--python", python, "--constraints", STACKS_DIR / f"{name}.txt",
            *core_packages(), *KERNEL_PACKAGES, *course)
    found = run(python, "-c", "import importlib.util as u; print(u.find_spec('starter_lib') is not None)",
                cwd=root, env={"PATH": os.environ["PATH"]}).stdout.strip() == "True"
    versions = dict(line.split("==", 1) for line in freeze(python) if "==" in line)
    versions["python"] = run(python, "-c", "import platform; print(platform.python_version())").stdout.strip()
    return Stack(name, python, root, wheel, found, versions)


def pytest_generate_tests(metafunc):
    """``stack`` fixtures take the chosen stacks; ``hosted_stack`` only Colab and Kaggle."""
    for argument, names in (("hosted_stack", [s for s in STACKS if s in HOSTED]), ("stack", STACKS)):
        if argument in metafunc.fixturenames:
            metafunc.parametrize("stack", names, indirect=True, scope="session")
            break
    if "notebook" in metafunc.fixturenames:
        metafunc.parametrize("notebook", NOTEBOOKS)


@pytest.fixture
def hosted_stack(stack) -> Stack:
    return stack


def kernel_environment(stack: Stack, mnist_settings: dict[str, str]) -> dict[str, str]:
    """What the stack's kernels see: this checkout only on ``latest``, and the hosted runtime's marks."""
    settings = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    settings.update(mnist_settings, KERAS_STARTER_BUDGET="fast")
    if stack.name == "latest":
        settings["PYTHONPATH"] = os.environ["PYTHONPATH"]
    if stack.name in HOSTED:
        settings["KERAS_STARTER_SOURCE"] = str(stack.wheel)
    if stack.name == "kaggle":
        settings["KAGGLE_KERNEL_RUN_TYPE"] = "Interactive"
    if stack.name == "colab":
        startup = stack.root / "ipython" / "profile_default" / "startup"
        startup.mkdir(parents=True, exist_ok=True)
        (startup / "00-colab.py").write_text("import google.colab  # Colab's kernel imports it at start\n")
        settings.update(PYTHONPATH=str(FAKE_COLAB), IPYTHONDIR=str(stack.root / "ipython"),
                        FAKE_COLAB_MARKER=str(stack.root / "widgets-enabled"))
    return settings


@pytest.fixture(scope="session")
def released(tmp_path_factory):
    """``released(name)``: a course copy where ``name`` is released, once per session."""
    courses = {}

    def course_of(name: str) -> Path:
        if name not in courses:
            courses[name] = copy_course(COURSE_DIR, tmp_path_factory.mktemp(name) / "course")
            assert nbgrader_api(courses[name]).generate_assignment(name)["success"]
        return courses[name]
    return course_of


def grade(stack: Stack, course: Path, name: str, solved, mnist_settings: dict[str, str]) -> dict[str, float]:
    """nbgrader's autograde of ``solved`` as student ``stack.name``, run by the stack's own ``python3`` kernel."""
    kernels = stack.root / "jupyter" / "kernels"
    (kernels / "python3").mkdir(parents=True, exist_ok=True)
    (kernels / "python3" / "kernel.json").write_text(json.dumps({
        "argv": [str(stack.python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": f"Python 3 ({stack.name})", "language": "python"}))
    with environment(JUPYTER_PATH=str(kernels.parent), **mnist_settings):
        api = nbgrader_api(course)
        submit(course, name, stack.name, solved)
        result = api.autograde(name, stack.name)
    if not result["success"]:  # reported with the run's other problems
        return {"total": None, "log": result["log"][-1000:]}
    return scores(api, name, stack.name)


def problems(stack: Stack, name: str, executed, before, after, marks) -> list[str]:
    """Everything wrong with one solved notebook's run on one stack (empty when all holds)."""
    master = nbformat.read(COURSE_DIR / "source" / name / f"{name}.ipynb", as_version=4)
    points = sum(cell.metadata["nbgrader"]["points"] for cell in master.cells if is_graded(cell))
    exercises = sum(1 for cell in master.cells if is_graded(cell))
    found = [f"cell {index}: {ename}: {message}" for index, ename, message in errors(executed)]
    found += [f"stderr in cell {index}: {text[:300]}" for index, text in stderr_outputs(executed)]
    if f"{exercises} of {exercises} exercises done." not in stdout_of(executed, "progress"):
        found.append("show_progress() does not list every exercise as done")
    if without_course(before) != without_course(after):
        found.append(f"the setup cell changed packages: {sorted(set(before) ^ set(after))}")
    if DEVICE_LINES[stack.name] not in stdout_of(executed, "setup"):
        found.append(f"no {DEVICE_LINES[stack.name]!r} line in: {stdout_of(executed, 'setup')}")
    if marks["total"] != points:
        found.append(f"nbgrader gave {marks['total']} of {points} points: {marks}")
    return found


@pytest.fixture
def solved_run(stack, notebook, released, mnist_settings) -> dict:
    """The solved learner copy of ``notebook`` executed on ``stack``, then graded there."""
    workdir = stack.root / "content" / notebook  # like Colab's /content: nothing of this course
    workdir.mkdir(parents=True)
    solved = solved_learner_copy(notebook)
    nbformat.write(solved, workdir / f"{notebook}.ipynb")
    before = freeze(stack.python)
    start = time.perf_counter()
    run(stack.python, FAKE_COLAB / "run_notebook.py", f"{notebook}.ipynb", "executed.ipynb", cwd=workdir,
        env=kernel_environment(stack, mnist_settings))
    seconds = time.perf_counter() - start
    executed = nbformat.read(workdir / "executed.ipynb", as_version=4)
    after = freeze(stack.python)
    marks = grade(stack, released(notebook), notebook, solved, mnist_settings)
    outcome = {"seconds": seconds, "problems": problems(stack, notebook, executed, before, after, marks),
               "executed": executed, "versions": stack.versions}
    RESULTS[stack.name, notebook] = outcome
    return outcome


def test_every_stack_but_latest_names_its_python_and_date_for_the_table():
    """What the stack table and the environment builds read from each constraints file's header."""
    assert header("latest") == {}
    for name in ALL_STACKS[1:]:
        assert header(name)["stack"] == name and re.fullmatch(r"3\.\d+", header(name)["python"])
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", header(name)["date"])


def test_solved_learner_copy_passes_and_grades_full_on_the_stack(solved_run):
    assert solved_run["problems"] == []


def test_hosted_stack_starts_without_the_course(hosted_stack):
    assert not hosted_stack.course_preinstalled, "on Colab and Kaggle the course comes from the setup cell"


def test_setup_installs_this_version_and_pip_check_finds_nothing_of_it(hosted_stack):
    if not any(stack == hosted_stack.name for stack, _ in RESULTS):
        pytest.skip("no notebook ran on this stack in this session")
    assert run(hosted_stack.python, "-c", "from importlib import metadata; print(metadata.version('keras-starter'))"
               ).stdout.strip() == metadata.version("keras-starter")
    check = subprocess.run([hosted_stack.python, "-m", "pip", "check"], capture_output=True, text=True)
    assert [line for line in check.stdout.splitlines() if "keras-starter" in line] == []


def test_colab_widget_manager_only_for_ipywidgets_8(hosted_stack):
    if hosted_stack.name != "colab" or not any(stack == "colab" for stack, _ in RESULTS):
        pytest.skip("only Colab has the custom widget manager; it shows once a notebook ran there")
    major = int(run(hosted_stack.python, "-c", "import ipywidgets; print(ipywidgets.__version__)").stdout.split(".")[0])
    # Real Colab renders ipywidgets 7 itself and needs its custom widget manager for 8.
    assert (hosted_stack.root / "widgets-enabled").exists() == (major >= 8)


def explorer_controls(python: Path, target: Path) -> dict:
    """What ``tests/stacks/describe_explorers.py`` finds in every explorer, built with ``python``."""
    run(python, STACKS_DIR / "describe_explorers.py", target, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)})
    return json.loads(target.read_text())


def test_explorers_have_the_same_controls_as_on_latest(stack):
    """Colab's ipywidgets 7.7.1 and Lab's or Kaggle's 8.x build the same explorers."""
    if stack.name == "latest":
        pytest.skip("latest is the reference")
    assert (explorer_controls(stack.python, stack.root / "explorers.json")
            == explorer_controls(Path(sys.executable), stack.root / "explorers-latest.json"))


def test_setup_is_idempotent_and_its_time_is_recorded(hosted_stack):
    executed = next((outcome["executed"] for (stack, _), outcome in RESULTS.items() if stack == hosted_stack.name),
                    None)
    if executed is None:
        pytest.skip("no notebook ran on this stack in this session")
    first = stdout_of(executed, "setup")
    assert first.startswith("Loading TensorFlow...\n") and re.search(r" \(loaded in \d+ s\)\n", first), first
    without_load_time = re.sub(r" \(loaded in \d+ s\)", "", first.removeprefix("Loading TensorFlow...\n"))
    assert stdout_of(executed, "setup-again") == without_load_time  # a rerun has nothing to load

    def seconds(cell_id):
        timing = next(c for c in executed.cells if c.get("id") == cell_id).metadata.execution
        start, end = (datetime.fromisoformat(timing[k].replace("Z", "+00:00"))
                      for k in ("iopub.execute_input", "shell.execute_reply"))
        return (end - start).total_seconds()

    ARTIFACTS.mkdir(exist_ok=True)
    times = {"first_run_s": round(seconds("setup"), 2), "second_run_s": round(seconds("setup-again"), 2)}
    (ARTIFACTS / f"{hosted_stack.name}-setup-time.json").write_text(json.dumps(times, indent=2) + "\n")


@pytest.fixture(scope="session", autouse=True)
def stack_matrix():
    """With ``KERAS_STARTER_STACK_TABLE=1`` (``make test-stacks``), write the README's table: a row
    for each stack on which every notebook ran now, earlier rows kept for the stacks that did not."""
    yield
    complete = [name for name in ALL_STACKS if all((name, notebook) in RESULTS for notebook in NOTEBOOKS)]
    if not os.environ.get("KERAS_STARTER_STACK_TABLE") or not complete:
        return
    from benchmarks.report import RESULTS as RESULTS_DIR, publish

    earlier = RESULTS_DIR / "stack_matrix.json"
    rows = {row["stack"]: row for row in json.loads(earlier.read_text())["rows"]} if earlier.is_file() else {}
    for name in complete:
        versions = RESULTS[name, NOTEBOOKS[0]]["versions"]
        row = {"stack": name, "list of": header(name).get("date", ""), "run on": f"{datetime.now():%Y-%m-%d}",
               "Python": versions["python"]}
        row.update({label: versions.get(package, "") for label, package in
                    (("TensorFlow", "tensorflow"), ("Keras", "keras"), ("NumPy", "numpy"), ("ipywidgets", "ipywidgets"))})
        for notebook in NOTEBOOKS:
            outcome = RESULTS[name, notebook]
            row[notebook[:2]] = f"{'fail' if outcome['problems'] else 'pass'}, {outcome['seconds']:.0f} s"
        rows[name] = row
    ordered = [rows[name] for name in ALL_STACKS if name in rows]
    publish("stack_matrix", "Learner notebooks with the master's answers, on each stack", ordered, list(ordered[0]),
            notes="Each cell: visible checks pass, no stderr, the setup cell installs nothing already there and "
                  "names the device, nbgrader gives full marks with the stack's kernel (pass or fail); seconds "
                  "to run the notebook top to bottom in fast mode, kernel start included. `make test-stacks`.")
