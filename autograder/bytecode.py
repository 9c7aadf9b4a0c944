"""Compiled bytecode in the course environment, so every kernel starts in a third of the CPU time.

``uv pip install`` writes no ``.pyc`` files by default, many machines set
``PYTHONDONTWRITEBYTECODE``, and a sandboxed kernel sees the environment
read-only: without compiled bytecode each kernel compiles TensorFlow from
source again (about 15 s of CPU instead of 6 on a 2-core machine).

    python -m autograder.bytecode          # compile what is missing (``make`` does it after installing)
    python -m autograder.bytecode --check  # exit 1 when TensorFlow or Keras lacks bytecode
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import sys
import sysconfig
from pathlib import Path
from typing import TextIO

# What the grader checks; compiling covers the whole environment they live in.
CHECKED_PACKAGES = ("tensorflow", "keras")


def package_dir(name: str) -> Path | None:
    """The folder of an installed package, found without importing it."""
    spec = importlib.util.find_spec(name)
    return Path(spec.origin).parent if spec and spec.origin else None


def missing_bytecode(name: str) -> list[Path]:
    """The ``.py`` files of package ``name`` that have no up-to-date compiled file beside them."""
    folder = package_dir(name)
    if folder is None:
        return []
    return [source for source in folder.rglob("*.py") if not _compiled(source)]


def _compiled(source: Path) -> bool:
    cached = Path(importlib.util.cache_from_source(str(source)))
    try:
        return cached.stat().st_mtime >= source.stat().st_mtime
    except OSError:
        return False


def environment_dirs() -> list[Path]:
    """The site-packages folders of this interpreter (pure and platform-specific, without repeats)."""
    paths = sysconfig.get_paths()
    return sorted({Path(paths["purelib"]), Path(paths["platlib"])})


def compile_environment() -> bool:
    """Compile every module of the environment that lacks bytecode, on all cores; True when all compiled.

    Files that are not valid Python (templates some packages ship) are skipped quietly.
    """
    return all(compileall.compile_dir(str(folder), quiet=2, workers=0) for folder in environment_dirs())


def missing_counts(packages=CHECKED_PACKAGES) -> dict[str, int]:
    """``{package: number of its files without bytecode}``."""
    return {name: len(missing_bytecode(name)) for name in packages}


def ensure_compiled(stream: TextIO = sys.stderr, packages=CHECKED_PACKAGES) -> None:
    """Compile the environment when one of ``packages`` lacks bytecode, or say in one line how to."""
    missing = missing_counts(packages)
    if not any(missing.values()):
        return
    counts = ", ".join(f"{name} {count}" for name, count in missing.items() if count)
    stream.write(f"Compiling the environment's bytecode (files without it: {counts}); kernels start faster after.\n")
    compile_environment()
    if any(missing_counts(packages).values()):
        stream.write(f"Could not write bytecode into {', '.join(map(str, environment_dirs()))}: every kernel will "
                     f"compile TensorFlow again. Fix: run `{sys.executable} -m autograder.bytecode` as the owner "
                     f"of that environment.\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.bytecode", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compile nothing; exit 1 when bytecode is missing")
    args = parser.parse_args(argv)
    if args.check:
        missing = missing_counts()
        print(", ".join(f"{name}: {count} file(s) without bytecode" for name, count in missing.items()))
        return 1 if any(missing.values()) else 0
    ensure_compiled(sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
