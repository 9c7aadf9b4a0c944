"""Write a stack's constraints file from a published package list.

These machines cannot reach GitHub, so download the list by hand first:

- Colab: ``pip-freeze.txt`` from github.com/googlecolab/backend-info (the commit to record).
- Kaggle: the same file at the date of the Colab image that Kaggle/docker-python builds on,
  plus the pins in that repository's ``Dockerfile.tmpl`` (give each with ``--pin``).

Then, from the repository root::

    python tests/stacks/refresh.py colab pip-freeze.txt --python 3.13 \\
        --source "googlecolab/backend-info pip-freeze.txt at a724079" --date 2026-08-19
    python tests/stacks/refresh.py kaggle pip-freeze.txt --python 3.12 --pin ipywidgets==8.1.5 \\
        --source "Kaggle/docker-python 78aaa43 on backend-info of 2026-05-08" --date 2026-08-12
    python tests/stacks/refresh.py floor --python 3.11   # pyproject.toml's minimums, resolved
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

STACKS = Path(__file__).resolve().parent
PYPROJECT = STACKS.parent.parent / "pyproject.toml"


def canonical(name: str) -> str:
    """A package name as pip compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned(lines: list[str], pins: list[str]) -> list[str]:
    """``name==version`` lines of a freeze, sorted, with ``pins`` replacing or adding entries."""
    chosen = {}
    for line in [*lines, *pins]:
        line = line.split("#", 1)[0].strip()
        if "==" in line and "@" not in line:
            name = line.split("==", 1)[0].split("[", 1)[0].strip()
            chosen[canonical(name)] = f"{name}=={line.split('==', 1)[1].strip()}"
    return [chosen[key] for key in sorted(chosen)]


def floors(python: str) -> list[str]:
    """The lowest versions ``pyproject.toml`` allows for its direct dependencies on ``python``,
    as uv resolves them (``--resolution lowest-direct``), with everything they pull in."""
    uv = shutil.which("uv") or str(Path(sys.executable).parent / "uv")
    compiled = subprocess.run([uv, "pip", "compile", str(PYPROJECT), "--resolution", "lowest-direct",
                               "--python-version", python, "--no-header", "--no-annotate", "--quiet"],
                              check=True, capture_output=True, text=True).stdout
    return pinned(compiled.splitlines(), [])


def write(stack: str, requirements: list[str], python: str, source: str, date: str) -> Path:
    """Write ``tests/stacks/<stack>.txt`` with its header."""
    target = STACKS / f"{stack}.txt"
    header = [f"# stack: {stack}", f"# python: {python}", f"# source: {source}", f"# date: {date}"]
    target.write_text("\n".join(header + requirements) + "\n", encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stack", choices=["colab", "kaggle", "floor"])
    parser.add_argument("freeze", nargs="?", type=Path, help="the downloaded pip-freeze.txt (colab, kaggle)")
    parser.add_argument("--python", required=True, help="the platform's Python, major.minor")
    parser.add_argument("--pin", action="append", default=[], help="name==version over the freeze")
    parser.add_argument("--source", default="uv pip compile pyproject.toml --resolution lowest-direct")
    parser.add_argument("--date", default=date.today().isoformat())
    args = parser.parse_args(argv)
    if args.stack == "floor":
        requirements = floors(args.python)
    elif args.freeze is None:
        parser.error(f"{args.stack} needs the downloaded freeze file")
    else:
        requirements = pinned(args.freeze.read_text(encoding="utf-8").splitlines(), args.pin)
    print(write(args.stack, requirements, args.python, args.source, args.date))
    return 0


if __name__ == "__main__":
    sys.exit(main())
