"""Shared fixtures: paths, MNIST found the way the course finds it, and a clean kernel environment."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from starter_lib import data

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def mnist_file() -> Path | None:
    """The real ``mnist.npz`` as the course finds it (mirrors, Keras cache, download), or ``None``."""
    if data.mnist_path() is None and data.downloads_allowed():
        try:
            data.load_mnist()  # the official download lands in the Keras cache, a folder the course searches
        except data.DatasetUnavailableError:
            return None
    return data.mnist_path()


@pytest.fixture(scope="session")
def mnist_mirror(mnist_file) -> Path:
    """The folder holding the real ``mnist.npz``; tests that need real MNIST skip without one."""
    if mnist_file is None:
        looked = ", ".join(str(folder) for folder in data.mirror_dirs())
        fix = f"set {data.MIRROR_VARIABLE} to a folder holding {data.MNIST_FILE}"
        if data.downloads_allowed():
            why, fix = "the download failed", f"connect to the internet, or {fix}"
        else:
            why, fix = f"downloading is off ({data.DOWNLOAD_VARIABLE}=0)", f"{fix}, or unset {data.DOWNLOAD_VARIABLE}"
        pytest.skip(f"needs real MNIST: no {data.MNIST_FILE} in {looked}, and {why}. Fix: {fix}")
    return mnist_file.parent


@pytest.fixture(scope="session")
def no_mnist(tmp_path_factory) -> dict[str, str]:
    """Environment settings under which MNIST cannot be had (empty mirror and cache, no download)."""
    empty = str(tmp_path_factory.mktemp("empty-mirror"))
    return {data.MIRROR_VARIABLE: empty, "KERAS_HOME": empty, data.DOWNLOAD_VARIABLE: "0"}


@pytest.fixture(scope="session")
def mnist_settings(mnist_file, no_mnist) -> dict[str, str]:
    """Environment settings for notebook runs: the real MNIST when it can be had, else the digits fallback."""
    if mnist_file is None:
        return no_mnist
    return {data.MIRROR_VARIABLE: str(mnist_file.parent), data.DOWNLOAD_VARIABLE: "0"}


@pytest.fixture(scope="session", autouse=True)
def kernels_use_this_checkout():
    """Kernels started by tests import this tree's ``starter_lib``, in fast mode."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])))
        patch.setenv("KERAS_STARTER_BUDGET", "fast")
        yield
