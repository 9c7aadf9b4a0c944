"""Where the course's files live, and an nbgrader API bound to the course."""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
COURSE_DIR = REPO_ROOT / "course"
SOURCE_DIR = COURSE_DIR / "source"
LEARNER_DIR = REPO_ROOT / "notebooks"


def assignments(course_dir: Path = COURSE_DIR) -> list[str]:
    """Names of the course's assignments (``NN-name`` folders under ``source/``)."""
    return sorted(p.name for p in (course_dir / "source").iterdir() if (p / f"{p.name}.py").is_file())


def nbgrader_api(course_dir: Path = COURSE_DIR, **settings):
    """An ``NbGraderAPI`` reading ``course_dir/nbgrader_config.py``, rooted there.

    ``settings`` maps ``"Section.option"`` to a value, e.g.
    ``{"Execute.timeout": 60}``, and overrides the config file.
    """
    # nbgrader runs the `alembic` and `jupyter` commands of its own environment as
    # subprocesses: make sure they are found even when that environment isn't activated.
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config, PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(course_dir)).load_config()
    overrides = Config()
    overrides.CourseDirectory.root = str(course_dir)
    for key, value in settings.items():
        section, option = key.split(".")
        overrides[section][option] = value
    config.merge(overrides)
    return NbGraderAPI(config=config)
