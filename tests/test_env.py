"""starter_lib.env: budgets, platform detection, device report, quiet imports."""

import subprocess
import sys
import types

import pytest

from starter_lib import env


@pytest.mark.parametrize("value, expected", [("fast", "fast"), ("full", "full"), (" FULL ", "full")])
def test_budget_comes_from_the_environment(monkeypatch, value, expected):
    monkeypatch.setenv(env.BUDGET_VARIABLE, value)
    assert env.budget() == expected


def test_budget_rejects_unknown_values_naming_the_choices(monkeypatch):
    monkeypatch.setenv(env.BUDGET_VARIABLE, "turbo")
    with pytest.raises(ValueError, match=r"KERAS_STARTER_BUDGET must be one of \('fast', 'full'\), got 'turbo'"):
        env.budget()


def test_budget_defaults_to_fast_without_a_gpu(monkeypatch):
    monkeypatch.delenv(env.BUDGET_VARIABLE, raising=False)
    assert env.gpu_names() == []  # the test machines have no GPU
    assert env.budget() == "fast"


def test_pick_follows_the_budget(monkeypatch):
    monkeypatch.setenv(env.BUDGET_VARIABLE, "fast")
    assert env.pick(fast=2, full=20) == 2
    monkeypatch.setenv(env.BUDGET_VARIABLE, "full")
    assert env.pick(fast=2, full=20) == 20


def test_platform_detects_colab_and_kaggle(monkeypatch):
    monkeypatch.delenv("KAGGLE_KERNEL_RUN_TYPE", raising=False)
    assert env.platform() == "local"
    monkeypatch.setenv("KAGGLE_KERNEL_RUN_TYPE", "Interactive")
    assert env.platform() == "kaggle"
    google = types.ModuleType("google")
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    monkeypatch.setitem(sys.modules, "google", google)
    assert env.platform() == "colab"


def test_device_report_says_what_to_click_without_a_gpu(monkeypatch):
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    assert env.device_report() == "Device: CPU. Runtime > Change runtime type > T4 GPU, then run the notebook again."


def test_seeding_makes_keras_repeatable():
    import keras

    env.seed_everything(7)
    first = keras.random.uniform((3,)).numpy()
    env.seed_everything(7)
    assert (keras.random.uniform((3,)).numpy() == first).all()


def test_seed_everything_without_a_seed_reads_the_seed_variable(monkeypatch):
    import keras

    monkeypatch.setenv(env.SEED_VARIABLE, "7")
    env.seed_everything()
    first = keras.random.uniform((3,)).numpy()
    env.seed_everything(7)
    assert (keras.random.uniform((3,)).numpy() == first).all()


def test_quiet_tensorflow_leaves_stderr_empty():
    code = ("from starter_lib import env; env.quiet_tensorflow(); import keras, numpy; "
            "keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)]).predict(numpy.ones((1, 3)), verbose=0)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stderr == ""


def test_setup_prints_versions_device_and_budget(monkeypatch, capsys):
    monkeypatch.setenv(env.BUDGET_VARIABLE, "fast")
    assert env.setup() == "fast"
    out = capsys.readouterr().out
    assert "TensorFlow 2." in out and "Keras 3." in out and "budget: fast" in out
    assert "Device: CPU." in out


def test_quiet_tensorflow_keeps_later_warnings():
    code = ("import warnings; from starter_lib import env; env.quiet_tensorflow(); "
            "warnings.warn('Argument `input_shape` is deprecated', DeprecationWarning)")
    run = subprocess.run([sys.executable, "-W", "default", "-c", code], capture_output=True, text=True, check=True)
    assert "DeprecationWarning: Argument `input_shape` is deprecated" in run.stderr


def test_setup_installs_the_short_failures_in_ipython():
    code = ("from IPython.testing.globalipapp import start_ipython; shell = start_ipython(); "
            "from starter_lib import env; env.setup(); print(shell.custom_exceptions)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip().endswith("(<class 'Exception'>,)")
