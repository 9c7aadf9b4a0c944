"""The lesson linter: ``python -m autograder lint`` checks every lesson source against the course's rules.

Each rule is a function registered with :func:`rule` under a name and the
message it reports, in the manner of TensorFlow docs' ``nblint``. A rule
gets one parsed :class:`Lesson` and yields ``(cell index, line in the cell,
detail)`` for each place that breaks it (line 0: the cell as a whole). Rules read the jupytext percent sources in
``course/source/NN-name/NN-name.py``, the single source of every notebook.
"""

from __future__ import annotations

import ast
import builtins
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import jupytext
from nbgrader.utils import is_grade

from autograder.course import SOURCE_DIR
from starter_lib import hints

HIDDEN_TESTS = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.DOTALL)
EXERCISE_HEADING = re.compile(r"^#+\s*Exercise\b(.*)$", re.MULTILINE)
EXERCISE_PARTS = re.compile(r"^\s*(\d+)\s*\((\d+(?:\.\d+)?) points?\)\s*(?::\s*(.*))?$")
HEADER_EXERCISES = re.compile(r"\*\*Exercises:\*\*\s+(\w+) graded parts? worth (\d+) points")
OLD_NOTE = "**Coming from older tutorials?**"
RESULT = re.compile(  # a verb of outcome, then a figure: "reaches about 92 %", "runs in under a minute"
    r"\b(?:reach(?:es|ed)?|gets?|measured|runs? in|takes?|trains? in|was at|see|beats?)\b"
    r"(?:(?!\bat (?:least|most)\b).)*?(?:\d+(?:[.,]\d+)? ?(?:%|seconds?\b|minutes?\b)|\b(?:a|one) minute\b|\d0s\b)",
    re.IGNORECASE)
MODE = re.compile(r"\b(?:fast|full|both)[ -]modes?\b", re.IGNORECASE)
NUMBER_WORDS = {word: number for number, word in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}
KERAS_2 = {  # an old name, and what replaced it
    r"\bfit_generator\b": "fit", r"\b(?:evaluate|predict)_generator\b": "evaluate / predict",
    r"\bpredict_classes\b": "np.argmax(model.predict(x), axis=-1)", r"\bpredict_proba\b": "predict",
    r"\bImageDataGenerator\b": "preprocessing layers such as RandomFlip, or image_dataset_from_directory",
    r"\bTimeseriesGenerator\b": "keras.utils.timeseries_dataset_from_array",
    r"\binput_dim\s*=": "keras.Input(shape=...)", r"\binput_shape\s*=": "keras.Input(shape=...)",
    r"\blr\s*=": "learning_rate=", r"\bnb_epoch\b": "epochs", r"\bnp_utils\b": "keras.utils.to_categorical",
    r"\bCuDNN(?:LSTM|GRU)\b": "LSTM / GRU", r"\btf\.keras\b": "import keras (Keras 3)",
    r"\bkeras\.backend\b": "keras.ops", r"\bkeras\.layers\.core\b": "keras.layers",
    r"\.h5\b": ".keras files (model.save), model.export for serving",
}


@dataclass
class Lesson:
    """One lesson source, parsed: its path, its cells and the line where each cell starts."""

    path: Path
    cells: list
    lines: list[int]

    @classmethod
    def read(cls, path: Path) -> "Lesson":
        text = path.read_text(encoding="utf-8")
        starts = [number for number, line in enumerate(text.splitlines(), 1) if line.startswith("# %%")]
        return cls(path, jupytext.reads(text, fmt="py:percent").cells, starts)

    def code(self, graded: bool | None = None) -> Iterator[tuple[int, str]]:
        """``(index, source)`` of the code cells; only graded ones or only others when ``graded`` says so."""
        for index, cell in enumerate(self.cells):
            is_graded = bool(is_grade(cell))
            if cell.cell_type == "code" and graded in (None, is_graded):
                yield index, cell.source

    def exercises(self) -> list[tuple[int, str, float]]:
        """``(heading cell index, heading text after "Exercise", points of its test cells)`` for each exercise."""
        found = []
        for index, cell in enumerate(self.cells):
            heading = EXERCISE_HEADING.search(cell.source) if cell.cell_type == "markdown" else None
            if heading:
                found.append([index, heading.group(1), 0.0])
            elif found and is_grade(cell):
                found[-1][2] += cell.metadata["nbgrader"].get("points", 0)
        return [tuple(exercise) for exercise in found]

    def where(self, index: int, line: int = 0) -> str:
        """``path:line`` in the source file of line ``line`` of cell ``index``."""
        return f"{self.path}:{(self.lines[index] if index < len(self.lines) else 1) + line}"


@dataclass(frozen=True)
class Rule:
    name: str
    message: str
    check: Callable[[Lesson], Iterator[tuple[int, int, str]]]


RULES: dict[str, Rule] = {}


def rule(name: str, message: str):
    """Register the decorated function as the rule ``name``, reported with ``message``."""
    def register(check):
        RULES[name] = Rule(name, message, check)
        return check
    return register


@rule("header", "the first cell gives a title, 'You will learn to', a time and the exercise count")
def header(lesson: Lesson):
    first = lesson.cells[0].source if lesson.cells and lesson.cells[0].cell_type == "markdown" else ""
    parts = {"a '# ' title": r"^# \S", "'You will learn to'": r"You will learn to",
             "'**Time:**'": r"\*\*Time:\*\*", "'**Exercises:** N graded parts worth P points'": HEADER_EXERCISES.pattern}
    for part, pattern in parts.items():
        if not re.search(pattern, first, re.MULTILINE):
            yield 0, 0, f"no {part}"


@rule("header-totals", "the header's exercise count and total points match the graded cells")
def header_totals(lesson: Lesson):
    stated = HEADER_EXERCISES.search(lesson.cells[0].source) if lesson.cells else None
    if stated is None:
        return  # the header rule reports it
    graded = [lesson.cells[index].metadata["nbgrader"].get("points", 0) for index, _ in lesson.code(graded=True)]
    count = NUMBER_WORDS.get(stated.group(1).lower(), stated.group(1))
    if count != len(graded):
        yield 0, 0, f"the header says {stated.group(1)} graded parts, the lesson has {len(graded)}"
    if float(stated.group(2)) != sum(graded):
        yield 0, 0, f"the header says {stated.group(2)} points, the graded cells give {sum(graded):g}"


@rule("exercise-heading", "every exercise heading reads 'Exercise N (P points): title', numbered from 1")
def exercise_heading(lesson: Lesson):
    for number, (index, text, _) in enumerate(lesson.exercises(), 1):
        parts = EXERCISE_PARTS.match(text)
        if not parts:
            yield index, 0, f"'Exercise{text}' is not 'Exercise {number} (P points): title'"
        elif not parts.group(3):
            yield index, 0, f"Exercise {parts.group(1)} has no title after its points"
        elif int(parts.group(1)) != number:
            yield index, 0, f"Exercise {parts.group(1)} should be Exercise {number}"


@rule("exercise-points", "the points in an exercise heading equal its test cells' points")
def exercise_points(lesson: Lesson):
    for index, text, points in lesson.exercises():
        parts = EXERCISE_PARTS.match(text)
        if parts and float(parts.group(2)) != points:
            yield index, 0, f"the heading says {parts.group(2)} points, its test cells give {points:g}"


@rule("hints", "every exercise has one cell tagged 'hints' with 2 or 3 numbered hints, before the next exercise")
def exercise_hints(lesson: Lesson):
    starts = [index for index, _, _ in lesson.exercises()]
    for number, (start, end) in enumerate(zip(starts, starts[1:] + [len(lesson.cells)]), 1):
        cells = [index for index in range(start, end) if hints.TAG in lesson.cells[index].metadata.get("tags", [])]
        if len(cells) != 1:
            yield start, 0, f"Exercise {number} has {len(cells)} hints cells"
        elif not 2 <= len(hints.items(lesson.cells[cells[0]].source)) <= 3:
            yield cells[0], 0, f"Exercise {number} has {len(hints.items(lesson.cells[cells[0]].source))} hints"


def _asserts(source: str) -> Iterator[ast.Assert]:
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assert):
            yield node


@rule("assert-message", "every assert in a test cell has a message, which is what a failing student reads")
def assert_message(lesson: Lesson):
    for index, source in lesson.code(graded=True):
        for node in _asserts(source):
            if node.msg is None:
                yield index, node.lineno, f"assert {ast.unparse(node.test)}"


@rule("test-cell-ends-in-statement", "a test cell ends in a statement; a final expression becomes partial credit")
def test_cell_ends_in_statement(lesson: Lesson):
    for index, source in lesson.code(graded=True):
        body = ast.parse(source).body
        last = body[-1] if body else None
        printed = isinstance(last, ast.Expr) and isinstance(last.value, ast.Call) and \
            getattr(last.value.func, "id", None) == "print"
        if isinstance(last, ast.Expr) and not printed:
            yield index, last.lineno, ast.unparse(last)


def _bound_and_used(tree: ast.AST) -> tuple[set[str], dict[str, int]]:
    """Names a module binds anywhere, and each name it reads with the first line reading it."""
    bound, used = set(), {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Load):
                used.setdefault(node.id, node.lineno)
            else:
                bound.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
    return bound, used


@rule("names-imported", "every name a lesson uses is imported or defined in the lesson itself")
def names_imported(lesson: Lesson):
    trees = [(index, ast.parse(source)) for index, source in lesson.code()]
    bound = set(dir(builtins))
    for _, tree in trees:
        bound |= _bound_and_used(tree)[0]
    reported = set()
    for index, tree in trees:
        for name, line in _bound_and_used(tree)[1].items():
            if name not in bound and name not in reported:
                reported.add(name)
                yield index, line, repr(name)


def _outside_old_notes(text: str) -> str:
    """``text`` without its "Coming from older tutorials?" block quotes."""
    kept, in_note = [], False
    for line in text.splitlines():
        quoted = line.lstrip().startswith(">")
        in_note = quoted and (in_note or OLD_NOTE in line)
        kept.append("" if in_note else line)
    return "\n".join(kept)


@rule("keras-2-names", "old Keras 2 names appear only in a 'Coming from older tutorials?' note")
def keras_2_names(lesson: Lesson):
    for index, cell in enumerate(lesson.cells):
        text = _outside_old_notes(cell.source)
        for pattern, modern in KERAS_2.items():
            for found in re.finditer(pattern, text):
                yield index, text.count("\n", 0, found.start()) + 1, f"{found.group(0).rstrip('= ')!r} (Keras 3: {modern})"


def _sentences(text: str) -> Iterator[tuple[int, str]]:
    """``(line, sentence)`` of markdown ``text``, list items and paragraphs kept apart."""
    for block in re.split(r"\n(?=\s*(?:[-*]|\d+\.)\s)|\n\s*\n", text):
        line = text.count("\n", 0, text.find(block)) + 1
        for sentence in re.split(r"(?<=[.!?;])\s+(?=[A-Z*(`])", " ".join(block.split())):
            yield line, sentence


def quoted_results(lesson: Lesson) -> Iterator[tuple[int, int, str]]:
    """``(cell index, line, sentence)`` of each markdown sentence that quotes a result (an accuracy, a run time)."""
    for index, cell in enumerate(lesson.cells):
        if cell.cell_type == "markdown":
            for line, sentence in _sentences(_outside_old_notes(cell.source)):
                if RESULT.search(sentence):
                    yield index, line, sentence


@rule("figures-say-mode", "a quoted result (an accuracy, a run time) says whether it is fast or full mode")
def figures_say_mode(lesson: Lesson):
    for index, line, sentence in quoted_results(lesson):
        if not MODE.search(sentence) and "old tutorials" not in sentence:  # the old tutorials' figures are theirs
            yield index, line, sentence


def problems(path: Path) -> list[str]:
    """Every rule broken by the lesson source at ``path``, one line each."""
    lesson = Lesson.read(path)
    for index, source in lesson.code():
        try:
            ast.parse(source)
        except SyntaxError as error:
            return [f"{lesson.where(index, error.lineno or 0)}: [syntax] a code cell does not parse: {error.msg}"]
    return [f"{lesson.where(index, line)}: [{name}] {found.message}: {detail}"
            for name, found in RULES.items() for index, line, detail in found.check(lesson)]


def lint(paths: list[Path] | None = None) -> list[str]:
    """The problems of every lesson source in ``paths`` (default: the whole course)."""
    paths = paths or sorted(SOURCE_DIR.glob("*/*.py"))
    return [line for path in paths for line in problems(Path(path))]
