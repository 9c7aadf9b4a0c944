"""Pairs of students whose answers are the same code once names and layout are set aside.

A hint for a person to look at, never a score change: short exercises often
have one natural answer. Each answer cell is parsed with Python's ``ast``
(IPython magics allowed), every name is replaced by its order of first use,
and docstrings are dropped; comments and whitespace never reach the tree.
"""

from __future__ import annotations

import ast
from itertools import combinations

from nbgrader.utils import is_solution

from autograder.grading.scan import parse

MIN_SHARED = 2  # answer cells two students must share to be listed


class Anonymise(ast.NodeTransformer):
    """Rename every variable, argument and function to ``_0``, ``_1``... in order of first use."""

    def __init__(self):
        self.names: dict[str, str] = {}

    def renamed(self, name: str) -> str:
        return self.names.setdefault(name, f"_{len(self.names)}")

    def visit_Name(self, node: ast.Name) -> ast.Name:
        node.id = self.renamed(node.id)
        return node

    def visit_arg(self, node: ast.arg) -> ast.arg:
        node.arg = self.renamed(node.arg)
        return node

    def visit_FunctionDef(self, node):
        node.name = self.renamed(node.name)
        node.body = [statement for statement in node.body
                     if not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)
                             and isinstance(statement.value.value, str))] or [ast.Pass()]
        return self.generic_visit(node)

    visit_AsyncFunctionDef = visit_FunctionDef


def normalised(source: str) -> str | None:
    """The shape of ``source`` without names, docstrings, comments or layout; ``None`` if it does not parse."""
    tree = parse(source)
    return None if tree is None else ast.dump(Anonymise().visit(tree), annotate_fields=False)


def answers(notebook) -> dict[str, str]:
    """Answer cells (nbgrader ``solution``) by grade id."""
    return {cell.metadata.nbgrader["grade_id"]: cell.source for cell in notebook.cells
            if cell.cell_type == "code" and is_solution(cell)}


def similar_pairs(notebooks: dict[str, object], release) -> list[tuple[str, str, list[str]]]:
    """``(student, student, [answer cells they share])`` for every pair sharing :data:`MIN_SHARED` or more.

    A cell still as released (unanswered) is never shared.
    """
    stubs = {grade_id: normalised(source) for grade_id, source in answers(release).items()}
    shapes = {student: {grade_id: shape for grade_id, source in answers(notebook).items()
                        if (shape := normalised(source)) is not None and shape != stubs.get(grade_id)}
              for student, notebook in notebooks.items()}
    pairs = []
    for first, second in combinations(sorted(shapes), 2):
        shared = sorted(grade_id for grade_id, shape in shapes[first].items() if shapes[second].get(grade_id) == shape)
        if len(shared) >= MIN_SHARED:
            pairs.append((first, second, shared))
    return pairs
