"""Where the notebook runs, quiet TensorFlow, seeds and the fast/full budget.

Call :func:`quiet_tensorflow` before TensorFlow or Keras is imported: once
TensorFlow has loaded its C++ runtime, its start-up chatter can no longer be
silenced, and nbgrader scores any cell that writes to stderr as zero.
"""

from __future__ import annotations

import contextlib
import logging
import os
import random
import sys
import warnings

BUDGET_VARIABLE = "KERAS_STARTER_BUDGET"
SEED_VARIABLE = "KERAS_STARTER_SEED"
DEFAULT_SEED = 42
BUDGETS = ("fast", "full")

NO_GPU_ADVICE = {
    "colab": "Runtime > Change runtime type > T4 GPU, then run the notebook again.",
    "kaggle": "Settings > Accelerator > GPU T4 x2 in the notebook's right-hand panel.",
    "local": "no GPU found; the notebook runs on the CPU (fast mode keeps it to minutes).",
}


@contextlib.contextmanager
def _stderr_discarded():
    """Send everything written to file descriptor 2 to /dev/null meanwhile.

    TensorFlow's C++ runtime writes its start-up messages straight to the
    descriptor, below Python's ``sys.stderr``, where no logging setting reaches.
    """
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def quiet_tensorflow() -> None:
    """Import TensorFlow silently and keep its own loggers to errors.

    Only TensorFlow's start-up chatter is silenced: its C++ log lines, the
    warnings Python raises while it loads, and its ``tensorflow`` and ``absl``
    loggers below ERROR. Every later warning still shows, the Keras
    deprecation warnings the lessons talk about included.

    Safe to call more than once. Call it before anything imports TensorFlow
    or Keras: the messages printed while TensorFlow loads cannot be silenced
    afterwards, and nbgrader scores any graded cell that writes to stderr as zero.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    for logger in ("tensorflow", "absl"):
        logging.getLogger(logger).setLevel(logging.ERROR)
    # Keras 3.15 warns on every fit() of a tf.data.Dataset that fit's default shuffle=True is ignored;
    # the course's datasets shuffle themselves, so that one message is noise.
    warnings.filterwarnings("ignore", message=r"`shuffle=True` was passed, but will be ignored", category=UserWarning)
    if "tensorflow" in sys.modules:
        return
    with _stderr_discarded(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # only while TensorFlow loads
        import tensorflow as tf

        tf.config.list_physical_devices("GPU")  # the CUDA probe also prints at first use


def platform() -> str:
    """Return ``"colab"``, ``"kaggle"`` or ``"local"``."""
    if "google.colab" in sys.modules:  # Colab's kernel imports it at start-up
        return "colab"
    if "KAGGLE_KERNEL_RUN_TYPE" in os.environ:
        return "kaggle"
    return "local"


def gpu_names() -> list[str]:
    """Names of the GPUs TensorFlow can see (empty on a CPU-only machine)."""
    import tensorflow as tf

    names = []
    for device in tf.config.list_physical_devices("GPU"):
        details = tf.config.experimental.get_device_details(device)
        names.append(details.get("device_name", device.name))
    return names


def device_report() -> str:
    """One line: the GPU in use, or exactly what to click to get one."""
    gpus = gpu_names()
    if gpus:
        return f"Device: GPU ({', '.join(gpus)})"
    return f"Device: CPU. {NO_GPU_ADVICE[platform()]}"


def budget() -> str:
    """The run budget: ``"fast"`` or ``"full"``.

    Set by the environment variable ``KERAS_STARTER_BUDGET``. When it is unset,
    a machine with a GPU gets ``"full"`` (the headline accuracies) and a CPU
    gets ``"fast"`` (every notebook in about a minute).
    """
    chosen = os.environ.get(BUDGET_VARIABLE, "").strip().lower()
    if not chosen:
        return "full" if gpu_names() else "fast"
    if chosen not in BUDGETS:
        raise ValueError(
            f"{BUDGET_VARIABLE} must be one of {BUDGETS}, got {chosen!r}."
        )
    return chosen


def pick(fast, full):
    """Return ``fast`` or ``full`` according to :func:`budget`.

    Notebooks write ``epochs = env.pick(fast=2, full=10)`` instead of editing
    numbers by hand when moving between a laptop and a GPU.
    """
    return fast if budget() == "fast" else full


def seed_everything(seed: int | None = None) -> None:
    """Seed Python, NumPy and Keras so that reruns give the same numbers.

    Without ``seed``, uses ``KERAS_STARTER_SEED`` (default 42): training cells call
    this first, so their result never hangs on what earlier cells drew.
    """
    import keras
    import numpy as np

    if seed is None:
        seed = int(os.environ.get(SEED_VARIABLE, DEFAULT_SEED))

    random.seed(seed)
    np.random.seed(seed)
    keras.utils.set_random_seed(seed)


def enable_colab_widgets() -> None:
    """Let ipywidgets 8 render on Colab (7.x, Colab's long-time default, needs nothing)."""
    import ipywidgets

    if int(ipywidgets.__version__.split(".")[0]) >= 8:
        from google.colab import output

        output.enable_custom_widget_manager()


def setup(seed: int | None = None, notebook: str | None = None, course_version: str | None = None) -> str:
    """Everything a notebook's first cell needs; returns the budget.

    Quiets TensorFlow, shows failing exercises in the short form (see
    :mod:`starter_lib.failures`), seeds every generator and prints the
    versions, the device and the budget in use. On Colab or Kaggle it also turns on
    ipywidgets and fetches the datasets ``notebook`` needs, and it warns when
    the installed library is not the ``course_version`` the notebook was built for.
    """
    import starter_lib
    from starter_lib import data, failures, progress

    quiet_tensorflow()
    failures.install()
    import keras
    import tensorflow as tf

    if notebook:
        os.environ[progress.NOTEBOOK_VARIABLE] = notebook  # lets progress.show_progress find it
    where = platform()
    if where == "colab":
        enable_colab_widgets()
    if notebook and where != "local":
        data.prefetch(notebook)
    if course_version and course_version != starter_lib.__version__:
        print(f"Note: this notebook was written for keras-starter {course_version}, "
              f"but {starter_lib.__version__} is installed; some cells may differ.")
    seed_everything(seed)
    chosen = budget()
    print(f"TensorFlow {tf.__version__}, Keras {keras.__version__}, budget: {chosen}")
    print(device_report())
    return chosen
