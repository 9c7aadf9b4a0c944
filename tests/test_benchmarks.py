"""The benchmarks' plumbing: the README shows their latest tables, and the accuracy table
measures the notebooks' own recipes within the epochs the goals allow."""

from __future__ import annotations

from benchmarks import accuracy, readme


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
