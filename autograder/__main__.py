"""Command line: ``python -m autograder build [--check]``."""

from __future__ import annotations

import argparse
import sys

from autograder import build


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build_parser = commands.add_parser("build", help="write master notebooks and learner copies")
    build_parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if any generated file is stale"
    )
    args = parser.parse_args(argv)

    if args.check:
        stale = build.stale_files()
        for path in stale:
            print(f"stale: {path} (run `python -m autograder build`)")
        print("all generated files are current" if not stale else f"{len(stale)} stale file(s)")
        return 1 if stale else 0
    for path in build.build():
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
