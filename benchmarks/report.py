"""Shared by the benchmarks: describe the machine, print a table, keep the raw results."""

from __future__ import annotations

import json
import os
import platform
from datetime import datetime, timezone
from pathlib import Path

from autograder.course import REPO_ROOT

RESULTS = REPO_ROOT / "benchmarks" / "results"


def use_mnist_mirror() -> str:
    """Point ``KERAS_STARTER_DATA`` at the folder where the course finds MNIST, and return it.

    The course's own search (mirrors, the Keras cache, the download when allowed);
    exits naming the fix when MNIST cannot be had, since the benchmarks measure on it.
    """
    from starter_lib import data

    try:
        data.load_mnist()
    except data.DatasetUnavailableError as error:
        raise SystemExit(f"The benchmarks measure on real MNIST. {error}") from None
    os.environ[data.MIRROR_VARIABLE] = str(data.mnist_path().parent)
    return os.environ[data.MIRROR_VARIABLE]


def machine() -> str:
    """One line: CPU model and cores, or the GPU when TensorFlow sees one."""
    from starter_lib import env

    gpus = env.gpu_names()
    if gpus:
        return f"GPU {', '.join(gpus)}"
    model = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
                 if line.startswith("model name")]
        model = names[0] if names else model
    return f"CPU {model}, {os.cpu_count()} cores"


def markdown_table(rows: list[dict], columns: list[str]) -> str:
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(str(row.get(column, "")) for column in columns) + " |" for row in rows]
    return "\n".join(lines)


def publish(name: str, title: str, rows: list[dict], columns: list[str], notes: str = "") -> str:
    """Print the table and write ``results/<name>.json`` and ``results/<name>.md``."""
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    where = machine()
    table = markdown_table(rows, columns)
    text = f"### {title}\n\n{where}, {stamp}. {notes}".rstrip() + f"\n\n{table}\n"
    (RESULTS / f"{name}.md").write_text(text)
    (RESULTS / f"{name}.json").write_text(json.dumps(
        {"title": title, "machine": where, "when": stamp, "notes": notes, "rows": rows}, indent=2) + "\n")
    print(text)
    return text
