"""What the build adds around every notebook: badges, setup cell, progress cell, Colab metadata.

Each notebook's text source holds only its own teaching; this module writes
the parts that must be the same everywhere, from the ``[tool.keras-starter]``
settings in ``pyproject.toml``.
"""

from __future__ import annotations

import tomllib
from urllib.parse import quote

import nbformat

from autograder.course import REPO_ROOT

SETUP_GRADE_ID = "setup"
COLAB_METADATA = {"accelerator": "GPU", "colab": {"gpuType": "T4", "provenance": []}}
LOCKED = {"grade": False, "locked": True, "schema_version": 3, "solution": False, "task": False}


def settings() -> dict[str, str]:
    """Repository URL, branch and version, from ``pyproject.toml``."""
    pyproject = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    own = pyproject["tool"]["keras-starter"]
    return {"repository": own["repository"].rstrip("/"), "branch": own["branch"],
            "version": pyproject["project"]["version"]}


def badge_links(name: str, config: dict[str, str]) -> dict[str, tuple[str, str]]:
    """``{service: (badge image URL, launch URL)}`` for ``notebooks/<name>.ipynb``."""
    repo_path = config["repository"].removeprefix("https://github.com/")
    path = f"notebooks/{name}.ipynb"
    blob = f"{config['repository']}/blob/{config['branch']}/{path}"
    return {
        "Open in Colab": ("https://colab.research.google.com/assets/colab-badge.svg",
                          f"https://colab.research.google.com/github/{repo_path}/blob/{config['branch']}/{path}"),
        "Open in Kaggle": ("https://kaggle.com/static/images/open-in-kaggle.svg",
                           f"https://kaggle.com/kernels/welcome?src={blob}"),
        "Binder": ("https://mybinder.org/badge_logo.svg",
                   f"https://mybinder.org/v2/gh/{repo_path}/{config['branch']}?labpath={quote(path, safe='')}"),
    }


def badge_row(name: str, config: dict[str, str]) -> str:
    """The badges as one line of Markdown."""
    return " ".join(f"[![{label}]({image})]({link})"
                    for label, (image, link) in badge_links(name, config).items())


def setup_source(name: str, config: dict[str, str]) -> str:
    """The read-only first code cell of notebook ``name``."""
    package = f"keras-starter @ git+{config['repository']}@{config['branch']}"
    return f'''# Setup (read-only). On Colab or Kaggle it first installs the course library, leaving the
# TensorFlow, Keras and NumPy already there untouched; everywhere it quiets TensorFlow,
# seeds the random generators and reports versions, device and budget.
import importlib.util, os, subprocess, sys

on_hosted_runtime = "google.colab" in sys.modules or "KAGGLE_KERNEL_RUN_TYPE" in os.environ
if on_hosted_runtime and importlib.util.find_spec("starter_lib") is None:
    source = os.environ.get("KERAS_STARTER_SOURCE", "{package}")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--disable-pip-version-check", source], check=True)
from starter_lib import env
from starter_lib.hints import hint  # hint() gives the next hint of the exercise you are on

BUDGET = env.setup(notebook="{name}", course_version="{config['version']}")'''


PROGRESS_INTRO = """## Your progress

Run the cell below at any time: it re-runs this notebook's checks on your current code and lists
each exercise as done, failing (with what is wrong) or not started. Stuck? `hint()` gives the
next hint of the exercise you are on, `hint(3)` one of Exercise 3, `hint(3, level=2)` its second."""
PROGRESS_SOURCE = "from starter_lib.progress import show_progress\n\nshow_progress()"


def framed(notebook: nbformat.NotebookNode, name: str, config: dict[str, str]) -> nbformat.NotebookNode:
    """``notebook`` with badges and the setup cell after its title, a progress cell at the end,
    and Colab's GPU runtime metadata."""
    badges = nbformat.v4.new_markdown_cell(badge_row(name, config), id="badges")
    setup = nbformat.v4.new_code_cell(setup_source(name, config), id=SETUP_GRADE_ID)
    badges.metadata["nbgrader"] = {**LOCKED, "grade_id": "badges"}
    setup.metadata["nbgrader"] = {**LOCKED, "grade_id": SETUP_GRADE_ID}
    notebook.cells[1:1] = [badges, setup]
    intro = nbformat.v4.new_markdown_cell(PROGRESS_INTRO, id="progress-intro")
    report = nbformat.v4.new_code_cell(PROGRESS_SOURCE, id="progress")
    report.metadata["nbgrader"] = {**LOCKED, "grade_id": "progress"}
    notebook.cells.extend([intro, report])
    notebook.metadata.update(COLAB_METADATA)
    return notebook
