"""Packaging: pyproject, environment.yml and the stacks agree; the README's commands are what CI runs."""

import re
import subprocess
import tomllib
import zipfile

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from autograder.course import REPO_ROOT
from environments import build_wheel

STACKS = REPO_ROOT / "tests" / "stacks"


def pyproject():
    return tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())


def core_requirements() -> list[Requirement]:
    return [Requirement(spec) for spec in pyproject()["project"]["dependencies"]]


def stack_versions(stack: str) -> dict[str, Version]:
    """``{canonical name: version}`` of a constraints file in tests/stacks/."""
    lines = (STACKS / f"{stack}.txt").read_text().splitlines()
    pins = [line.split("==") for line in lines if "==" in line and not line.startswith("#")]
    return {canonicalize_name(name): Version(version) for name, version in pins}


def test_environment_yml_lists_what_make_installs():
    environment = yaml.safe_load((REPO_ROOT / "environment.yml").read_text())
    pip_section = next(item["pip"] for item in environment["dependencies"] if isinstance(item, dict))
    project = pyproject()["project"]
    extras = project["optional-dependencies"]
    wanted = set(project["dependencies"]) | set(extras["lab"]) | set(extras["instructor"]) | set(extras["test"])
    assert set(pip_section) - {"-e ."} == wanted
    assert "-e ." in pip_section


def test_the_core_is_what_notebooks_import_and_the_rest_are_extras():
    core = {requirement.name for requirement in core_requirements()}
    assert core == {"tensorflow", "keras", "numpy", "matplotlib", "scikit-learn", "scikit-image",
                    "opencv-python-headless", "pillow", "ipywidgets", "tensorboard", "statsmodels"}
    extras = pyproject()["project"]["optional-dependencies"]
    assert {Requirement(spec).name for spec in extras["lab"]} == {"jupyterlab", "jupytext"}
    assert "nbgrader" in {Requirement(spec).name for spec in extras["instructor"]}


def test_make_installs_the_lab_and_instructor_extras():
    assert '-e ".[lab,instructor,test]"' in (REPO_ROOT / "Makefile").read_text()


@pytest.mark.parametrize("stack", ["colab", "kaggle"])
def test_hosted_stacks_meet_every_core_minimum(stack):
    versions = stack_versions(stack)
    unmet = [f"{requirement} (has {versions.get(canonicalize_name(requirement.name))})"
             for requirement in core_requirements()
             if versions.get(canonicalize_name(requirement.name)) not in requirement.specifier]
    assert unmet == []


def test_floor_stack_pins_each_core_minimum():
    versions = stack_versions("floor")
    for requirement in core_requirements():
        minimum = Version(next(spec.version for spec in requirement.specifier if spec.operator == ">="))
        pinned = versions[canonicalize_name(requirement.name)]
        assert pinned.release[:len(minimum.release)] == minimum.release, (requirement, pinned)


def test_requires_python_covers_exactly_the_tested_pythons():
    tested = {(STACKS / f"{stack}.txt").read_text().split("# python: ", 1)[1].split()[0]
              for stack in ("colab", "kaggle", "floor")}
    supported = SpecifierSet(pyproject()["project"]["requires-python"])
    assert all(version in supported for version in tested)
    assert min(tested, key=Version) == "3.11" and "3.10" not in supported
    assert max(tested, key=Version) == "3.13" and "3.14" not in supported


def test_ci_runs_exactly_the_readme_test_command():
    readme = (REPO_ROOT / "README.md").read_text()
    commands = re.findall(r"^\s*(make \w+)\s*$", readme, flags=re.MULTILINE)
    assert "make lab" in commands and "make test" in commands
    ci_lines = [line for line in (REPO_ROOT / ".ci" / "run").read_text().splitlines()
                if line.strip() and not line.startswith("#") and not line.startswith("set ")]
    assert ci_lines[-1] == "make test"
    # before it, at most: point KERAS_STARTER_DATA at ../shared/data when our CI has it there
    mirror_setup = re.compile(r"if \[ -f \.\./shared/data/mnist\.npz \]; then|\s+export KERAS_STARTER_DATA=.*|fi")
    assert all(mirror_setup.fullmatch(line) for line in ci_lines[:-1]), ci_lines


def test_the_wheel_holds_every_module_git_tracks(tmp_path):
    """Colab's setup cell installs a wheel built from the repository: no module may be left out."""
    tracked = subprocess.run(["git", "ls-files", "starter_lib", "autograder"], cwd=REPO_ROOT,
                             capture_output=True, text=True, check=True).stdout.split()
    modules = {name for name in tracked if name.endswith(".py")}
    source = tmp_path / "source"
    for name in tracked + ["pyproject.toml", "README.md", "LICENSE"]:
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_bytes((REPO_ROOT / name).read_bytes())
    wheel = build_wheel(source, tmp_path)
    packed = {name for name in zipfile.ZipFile(wheel).namelist() if name.endswith(".py")}
    assert modules - packed == set(), "modules the wheel leaves out: fix [tool.setuptools] in pyproject.toml"
