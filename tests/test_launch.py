"""One-click launch: every badge points at the file it sits in; notebooks ask for a GPU;
the setup cell installs the course without touching Colab's own stack."""

import re

import nbformat
import pytest

from autograder.authoring import frame
from autograder.course import LEARNER_DIR, REPO_ROOT, assignments

BADGE = re.compile(r"\[!\[(?P<label>[^\]]+)\]\((?P<image>[^)]+)\)\]\((?P<link>[^)]+)\)")
ASSIGNMENTS = assignments()
SETTINGS = frame.settings()
REPO = SETTINGS["repository"].removeprefix("https://github.com/")


def expected_links(path: str) -> dict[str, str]:
    branch = SETTINGS["branch"]
    return {
        "Open in Colab": f"https://colab.research.google.com/github/{REPO}/blob/{branch}/{path}",
        "Open in Kaggle": f"https://kaggle.com/kernels/welcome?src=https://github.com/{REPO}/blob/{branch}/{path}",
        "Binder": f"https://mybinder.org/v2/gh/{REPO}/{branch}?labpath={path.replace('/', '%2F')}",
    }


def learner(name):
    return nbformat.read(LEARNER_DIR / f"{name}.ipynb", as_version=4)


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_notebook_badges_point_at_that_notebook(name):
    badges = [m.groupdict() for cell in learner(name).cells if cell.cell_type == "markdown"
              for m in BADGE.finditer(cell.source)]
    assert {b["label"]: b["link"] for b in badges} == expected_links(f"notebooks/{name}.ipynb")
    assert all(b["image"].startswith("https://") and b["image"].endswith(".svg") for b in badges)


def test_readme_course_map_badges_point_at_the_notebook_of_their_row():
    rows = [line for line in (REPO_ROOT / "README.md").read_text().splitlines() if "](notebooks/" in line]
    assert len(rows) == len(ASSIGNMENTS)
    for row in rows:
        path = re.search(r"\]\((notebooks/[^)]+\.ipynb)\)", row).group(1)
        assert (REPO_ROOT / path).is_file()
        assert {m["label"]: m["link"] for m in BADGE.finditer(row)} == expected_links(path)


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_notebooks_ask_colab_for_a_t4_gpu(name):
    metadata = learner(name).metadata
    assert metadata["accelerator"] == "GPU" and metadata["colab"]["gpuType"] == "T4"


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_setup_cell_installs_only_the_course_and_from_the_configured_repository(name):
    setup = next(cell for cell in learner(name).cells if cell.get("id") == "setup")
    assert f"keras-starter @ git+{SETTINGS['repository']}@{SETTINGS['branch']}" in setup.source
    install = setup.source[setup.source.index('[sys.executable, "-m", "pip"'):]
    install = install[:install.index("check=True")]
    assert '"--no-deps"' in install
    for untouchable in ("tensorflow", "keras\"", "numpy", "ipykernel", "pyzmq", "--upgrade", "-U"):
        assert untouchable not in install
    assert f'env.setup(notebook="{name}", course_version="{SETTINGS["version"]}")' in setup.source
