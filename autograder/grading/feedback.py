"""What a student's HTML feedback shows: each test's result and message, not the hidden tests.

nbgrader's feedback copies the autograded notebook, hidden tests and full
tracebacks included (nbgrader issue #917). :class:`HideHiddenTests` joins its
feedback chain to replace the hidden tests' source by a note, to reduce each
failing test cell's traceback to the error's name and message, and to write
the grader's own folders out of every other traceback. :func:`name_test_cells`
then calls each test cell by its exercise's title instead of "Test cell".
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import GetGrades, NbGraderPreprocessor
from nbgrader.utils import is_grade
from traitlets import List, Unicode

from autograder.grading.prepare import is_test

HIDDEN_TESTS = re.compile(r"[ \t]*### BEGIN HIDDEN TESTS\n.*?### END HIDDEN TESTS[ \t]*\n?", re.DOTALL)
HIDDEN_NOTE = "# (hidden tests: they count, their code is not shown)\n"


class HideHiddenTests(NbGraderPreprocessor):
    """Hidden tests out of test cells, tracebacks down to the message, grader folders out of the rest."""

    grader_paths = List(Unicode(), help="folders of the grader that feedback must not show").tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        test = is_test(cell)
        if test:
            cell.source = HIDDEN_TESTS.sub(HIDDEN_NOTE, cell.source)
        for out in cell.outputs:
            if out.output_type == "error":
                out.traceback = [f"{out.ename}: {out.evalue}"] if test else [self.unplaced(line) for line in out.traceback]
        return cell, resources

    def unplaced(self, text: str) -> str:
        for path in sorted(self.grader_paths, key=len, reverse=True):
            text = text.replace(path, "...")
        return text


def chain(show_everything: bool) -> list[type]:
    """nbgrader's feedback preprocessors, with :class:`HideHiddenTests` unless ``show_everything``."""
    return [GetGrades, CSSHTMLHeaderPreprocessor] if show_everything else \
        [GetGrades, HideHiddenTests, CSSHTMLHeaderPreprocessor]


def exercise_titles(notebook) -> dict[str, str]:
    """The Markdown heading above each graded cell, by grade id."""
    titles, title = {}, None
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and cell.source.lstrip().startswith("#"):
            title = cell.source.strip().splitlines()[0].lstrip("#").strip()
        if is_grade(cell) and title:
            titles[cell.metadata.nbgrader["grade_id"]] = title
    return titles


def name_test_cells(path: Path, titles: dict[str, str]) -> None:
    """Call each test cell of the feedback page at ``path`` by its exercise's title."""
    page = path.read_text(encoding="utf-8")
    for grade_id, title in titles.items():
        page = page.replace(f'<a href="#{grade_id}">Test cell</a>', f'<a href="#{grade_id}">{html.escape(title)}</a>')
        page = page.replace(f"Grade cell: <code>{grade_id}</code>", html.escape(title))
    path.write_text(page, encoding="utf-8")
