"""Helpers for tests that build fresh Python environments with uv (its cache makes them quick)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def run(*command, **kwargs) -> subprocess.CompletedProcess:
    """Run a command, raising on failure; its output is captured as text."""
    return subprocess.run([str(c) for c in command], check=True, capture_output=True, text=True, **kwargs)


def uv() -> Path:
    return Path(sys.executable).parent / "uv"


def build_wheel(source: Path, out: Path) -> Path:
    """A wheel of the project in ``source``, built into ``out``: what Colab's setup cell installs."""
    run(uv(), "build", "--wheel", "--quiet", "--out-dir", out, source)
    return next(out.glob("keras_starter-*.whl"))


def interpreter(version: str) -> str:
    """pyenv's newest installed ``version`` (``3.13`` -> ``.../3.13.0/bin/python``), else ``version``
    for uv to find."""
    try:
        found = run("pyenv", "versions", "--bare").stdout.split()
    except (OSError, subprocess.CalledProcessError):
        return version
    matching = sorted((v for v in found if v.startswith(f"{version}.")), key=lambda v: int(v.split(".")[2]))
    return run("pyenv", "prefix", matching[-1]).stdout.strip() + "/bin/python" if matching else version


def new_venv(root: Path, version: str) -> Path:
    """A virtual environment with pip, at ``root``, on Python ``version``; returns its python."""
    run(uv(), "venv", "--seed", "--quiet", "--python", interpreter(version), root)
    return root / "bin" / "python"


def freeze(python: Path) -> list[str]:
    return run(uv(), "pip", "freeze", "--python", python).stdout.splitlines()
