"""The benchmarks' plumbing: the README shows their latest tables, and the accuracy table
measures the notebooks' own recipes within the epochs the goals allow."""

from __future__ import annotations

import json
import re

import pytest

from autograder.course import COURSE_DIR, assignments
from benchmarks import accuracy, readme
from benchmarks.report import RESULTS
from notebook_tools import quoted_results

FULL_FIGURES = [  # (lesson, a full-mode figure it quotes, as group 1, the accuracy table's row that measured it)
    ("03-logistic-regression", r"In full mode, .* sigmoid network .* is at about (\d+) % after five epochs", "sigmoid"),
    ("03-logistic-regression", r"beats the (\d+) % a straight line reaches on all of MNIST in full mode", "logistic"),
    ("04-multi-layer-perceptron", r"notebook 03 reaches about (\d+) % on MNIST in full mode", "logistic"),
    ("04-multi-layer-perceptron", r"512 relu units reaches (\d+) % in full mode", "mlp"),
    ("04-multi-layer-perceptron", r"in full mode we measured (\d+\.\d) %", "mlp"),
]


def results(name: str) -> list[dict]:
    return json.loads((RESULTS / f"{name}.json").read_text())["rows"]


def quoted(name: str) -> str:
    """Every sentence of lesson ``name`` that quotes a result, one per line."""
    return "\n".join(quoted_results(name))


def test_readme_shows_the_latest_benchmark_tables():
    text = readme.README.read_text()
    assert readme.updated(text) == text, "README.md is stale: run python -m benchmarks.readme"


def test_the_accuracy_table_trains_the_notebooks_own_solutions():
    mlp = accuracy.solutions("04-multi-layer-perceptron")
    cnn = accuracy.solutions("05-convolutional-networks")
    assert mlp["build_mlp"]((28, 28), 10).count_params() == 407_050
    assert cnn["build_cnn"]((28, 28, 1), 10).count_params() == 93_322
    assert callable(mlp["train_mlp"]) and callable(cnn["train_cnn"])


def test_full_mode_trains_the_mlp_and_the_cnn_within_the_goal_epochs():
    assert accuracy.full_epochs("04-multi-layer-perceptron", "train_mlp") <= accuracy.GOAL_EPOCHS
    assert accuracy.full_epochs("05-convolutional-networks", "train_cnn") <= accuracy.GOAL_EPOCHS
    assert accuracy.full_epochs("03-logistic-regression", "train_logistic_regression") >= 1


@pytest.mark.parametrize("name, pattern, row", FULL_FIGURES,
                         ids=[f"{name[:2]}-{row}-{index}" for index, (name, _, row) in enumerate(FULL_FIGURES)])
def test_a_full_mode_figure_a_lesson_quotes_is_what_the_accuracy_benchmark_measured(name, pattern, row):
    found = re.search(pattern, quoted(name))
    assert found, f"{name} no longer quotes {pattern!r}"
    [measured] = [r["accuracy"] for r in results("accuracy_cpu") if r["key"] == row]
    assert abs(float(found.group(1)) - 100 * measured) <= 1, f"{name} quotes {found.group(1)} %, measured {measured:.2%}"


def test_each_lesson_quotes_its_fast_mode_run_time_as_the_benchmark_measured_it():
    seconds = {r["notebook"]: r["seconds"] for r in results("notebook_times") if r["mode"] == "fast"}
    for name in assignments(COURSE_DIR):
        assert re.search(r"^In fast mode, .*runs in under a minute", quoted(name), re.MULTILINE), name
        assert seconds[name] < 60, f"{name} took {seconds[name]} s in fast mode, not under a minute"
