"""Copy the latest benchmark tables (``results/*.md``) into the README's "How fast, how accurate".

    python -m benchmarks.readme [--check]

The tables go between ``<!-- bench:start -->`` and ``<!-- bench:end -->`` in a
fixed order; a table not measured yet is listed as such. ``--check`` exits 1
when the README is not up to date with the results.
"""

from __future__ import annotations

import argparse
import sys

from autograder.course import REPO_ROOT
from benchmarks.report import RESULTS

README = REPO_ROOT / "README.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
THROUGHPUT = "python -m benchmarks.grading_speed --assignments all --students 4 --workers 1 2"
TABLES = {  # results name: (the command that measures it, what to say while it has not)
    "kernel_start": ("python -m benchmarks.kernel_start", "not measured yet"),
    "accuracy_cpu": ("python -m benchmarks.accuracy", "not measured yet"),
    "accuracy_gpu": ("python -m benchmarks.accuracy",
                     "not measured yet: the same table on a GPU, which the command writes when TensorFlow sees one"),
    "notebook_times": ("python -m benchmarks.notebook_times", "not measured yet"),
    "pipeline_speed": ("python -m benchmarks.pipeline_speed", "not measured yet"),
    "grading_speed": ("python -m benchmarks.grading_speed", "not measured yet"),
    "grading_throughput": (THROUGHPUT, "not measured yet"),
    "grading_scale": ("python -m benchmarks.grading_scale", "not measured yet"),
    "seed_robustness": ("python -m benchmarks.seed_robustness", "not measured yet"),
    "stack_matrix": ("make test-stacks", "not measured yet"),
}


def block() -> str:
    parts = []
    for name, (command, missing) in TABLES.items():
        table = RESULTS / f"{name}.md"
        if table.is_file():
            parts.append(table.read_text().rstrip() + f"\n\nMeasured by `{command}`.")
        else:
            parts.append(f"**{name}**: {missing} (`{command}`).")
    return "\n\n".join(parts)


def updated(text: str) -> str:
    if START not in text or END not in text:
        raise ValueError(f"README.md needs the markers {START} and {END}")
    head, rest = text.split(START, 1)
    tail = rest.split(END, 1)[1]
    return f"{head}{START}\n{block()}\n{END}{tail}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only say whether README.md is up to date")
    args = parser.parse_args(argv)
    text = README.read_text()
    new = updated(text)
    if args.check:
        if new != text:
            print("README.md does not show the latest benchmark results: run python -m benchmarks.readme")
            return 1
        return 0
    README.write_text(new)
    print(f"wrote the benchmark tables into {README}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
