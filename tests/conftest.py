"""Shared fixtures: paths, the real MNIST mirror, and a clean kernel environment."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def mnist_mirror() -> Path:
    """The folder holding the real ``mnist.npz`` that tests use as an offline mirror."""
    if not (SHARED_DATA / "mnist.npz").is_file():
        pytest.fail(f"tests need the real MNIST mirror at {SHARED_DATA / 'mnist.npz'}")
    return SHARED_DATA


@pytest.fixture(scope="session")
def no_mnist(tmp_path_factory) -> dict[str, str]:
    """Environment settings under which MNIST cannot be had (empty mirror, no download)."""
    return {"KERAS_STARTER_DATA": str(tmp_path_factory.mktemp("empty-mirror")),
            "KERAS_STARTER_DOWNLOAD": "0"}


@pytest.fixture(scope="session", autouse=True)
def kernels_use_this_checkout():
    """Kernels started by tests import this tree's ``starter_lib``, in fast mode."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])))
        patch.setenv("KERAS_STARTER_BUDGET", "fast")
        yield
