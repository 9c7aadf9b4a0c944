"""Packaging: pyproject and environment.yml agree; the README's commands are what CI runs."""

import re
import tomllib

import yaml

from autograder.course import REPO_ROOT


def pyproject():
    return tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())


def test_environment_yml_lists_the_same_packages_as_pyproject():
    environment = yaml.safe_load((REPO_ROOT / "environment.yml").read_text())
    pip_section = next(item["pip"] for item in environment["dependencies"] if isinstance(item, dict))
    project = pyproject()["project"]
    wanted = set(project["dependencies"]) | set(project["optional-dependencies"]["test"])
    assert set(pip_section) - {"-e ."} == wanted
    assert "-e ." in pip_section


def test_dependencies_are_minimums_colab_already_meets():
    deps = {re.split(r"[<>=]", d)[0]: d for d in pyproject()["project"]["dependencies"]}
    assert deps["tensorflow"] == "tensorflow>=2.19" and deps["keras"] == "keras>=3.10"
    assert deps["nbgrader"] == "nbgrader>=0.9,<0.10"
    assert all("==" not in spec for spec in deps.values())


def test_ci_runs_exactly_the_readme_test_command():
    readme = (REPO_ROOT / "README.md").read_text()
    commands = re.findall(r"^\s*(make \w+)\s*$", readme, flags=re.MULTILINE)
    assert "make lab" in commands and "make test" in commands
    ci_lines = [line for line in (REPO_ROOT / ".ci" / "run").read_text().splitlines()
                if line.strip() and not line.startswith("#") and not line.startswith("set ")]
    assert ci_lines == ["make test"]
