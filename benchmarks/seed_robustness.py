"""How often each training exercise passes its check with the master's answer, over many seeds.

    python -m benchmarks.seed_robustness [--seeds 50] [--only 04]

With ``--only``, the rows of the other notebooks stay as last published.

One kernel per master notebook, in fast mode: the cells before an exercise run once, then for
every seed the exercise's cells (answer, training cell, test cell without its hidden tests, as
the learner sees it) run again with ``KERAS_STARTER_SEED`` set, which the training cell's
``env.seed_everything()`` reads.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import tempfile
import time
from datetime import datetime, timezone

import nbformat
from nbclient import NotebookClient

from autograder.course import REPO_ROOT, SOURCE_DIR
from benchmarks.report import RESULTS, machine, publish, use_mnist_mirror

TRAINING_EXERCISES = {  # master notebook: grade ids of the test cells that check a training run
    "03-logistic-regression": ["test_trained_model"],
    "04-multi-layer-perceptron": ["test_train_xor", "test_trained_mlp"],
    "05-convolutional-networks": ["test_trained_cnn"],
    "06-regularization": ["test_low_gap_model", "test_train_with_early_stopping"],
    "07-recurrent-networks": ["test_train_forecaster"],
}
HIDDEN_TESTS = re.compile(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS\n?", re.DOTALL)


def is_test(cell) -> bool:
    return bool(cell.metadata.get("nbgrader", {}).get("grade"))


def exercise_span(notebook, grade_id: str) -> range:
    """Indices of the cells after the previous test cell, up to and including this one."""
    end = next(i for i, cell in enumerate(notebook.cells) if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    start = max((i for i in range(end) if is_test(notebook.cells[i])), default=0) + 1
    return range(start, end + 1)


def failed(cell) -> bool:
    return any(out.output_type == "error" for out in cell.get("outputs", []))


def pass_rates(name: str, seeds: list[int]) -> list[dict]:
    """One row per training exercise of notebook ``name``: passes and failing seeds."""
    notebook = nbformat.read(SOURCE_DIR / name / f"{name}.ipynb", as_version=4)
    for cell in notebook.cells:
        if is_test(cell):
            cell.source = HIDDEN_TESTS.sub("", cell.source)
    rows, done = [], 0
    with tempfile.TemporaryDirectory() as scratch:
        client = NotebookClient(notebook, timeout=900, kernel_name="python3", allow_errors=True,
                                resources={"metadata": {"path": scratch}})
        with client.setup_kernel():
            for grade_id in TRAINING_EXERCISES[name]:
                span = exercise_span(notebook, grade_id)
                for index in range(done, span.start):
                    client.execute_cell(notebook.cells[index], index)
                failing, start = [], time.perf_counter()
                for seed in seeds:
                    client.execute_cell(nbformat.v4.new_code_cell(
                        f"import os; os.environ['KERAS_STARTER_SEED'] = '{seed}'"), 0)
                    for index in span:
                        client.execute_cell(notebook.cells[index], index)
                    if any(failed(notebook.cells[index]) for index in span):
                        failing.append(seed)
                client.execute_cell(nbformat.v4.new_code_cell(
                    "import os; os.environ.pop('KERAS_STARTER_SEED', None)"), 0)
                done = span.stop
                rows.append({"notebook": name, "exercise": grade_id.removeprefix("test_"), "seeds": len(seeds),
                             "passed": len(seeds) - len(failing),
                             "pass rate": f"{100 * (len(seeds) - len(failing)) / len(seeds):.0f} %",
                             "failing seeds": " ".join(map(str, failing)) or "none",
                             "seconds per seed": round((time.perf_counter() - start) / len(seeds), 1),
                             "measured": f"{machine()}, {datetime.now(timezone.utc):%Y-%m-%d %H:%M UTC}"})
                print(rows[-1], flush=True)
    return rows


def earlier_rows(names: list[str]) -> list[dict]:
    """The published rows of the notebooks not in ``names``, so that ``--only`` adds to the table; each says
    where and when it was measured."""
    published = RESULTS / "seed_robustness.json"
    if not published.is_file():
        return []
    table = json.loads(published.read_text())
    return [{"measured": f"{table['machine']}, {table['when']}", **row} for row in table["rows"]
            if row["notebook"] not in names]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=50, help="seeds 0 .. N-1")
    parser.add_argument("--only", nargs="*", help="notebook numbers in the order to run them, e.g. 04 06")
    args = parser.parse_args()
    use_mnist_mirror()
    os.environ["KERAS_STARTER_BUDGET"] = "fast"
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))
    names = [n for number in args.only or [n[:2] for n in TRAINING_EXERCISES]
             for n in TRAINING_EXERCISES if n[:2] == number]
    rows = earlier_rows(names)
    for name in names:  # the table is written after each notebook, so a stopped run keeps what it measured
        rows += pass_rates(name, list(range(args.seeds)))
        rows.sort(key=lambda row: list(TRAINING_EXERCISES).index(row["notebook"]))
        publish("seed_robustness", f"Training exercises over {args.seeds} seeds", rows,
                ["notebook", "exercise", "seeds", "passed", "pass rate", "failing seeds", "seconds per seed",
                 "measured"],
                notes="Master answers in fast mode; each seed set through KERAS_STARTER_SEED before the "
                      "exercise's cells, whose visible checks pass or fail.")


if __name__ == "__main__":
    main()
