"""The mutant test's engine: a learner copy's exercises run in-process, one answer changed at a time.

A notebook's cells run in this process, not in a kernel, and only the cells an
exercise's check needs: the check cell's slice, found by following the names
it reads back to the cells that bind them. Each wrong answer then reruns only
its solution cell and the cells between it and the check (a training cell, say),
and the check is judged the way ``show_progress`` judges it.
"""

from __future__ import annotations

import ast
import contextlib
import io
from dataclasses import dataclass, field

from notebook_tools import grade_id, solved_learner_copy
from starter_lib import progress


def _reads(tree: ast.AST) -> set[str]:
    """Names a cell reads from outside: inside a function, its arguments and local names left out."""
    if isinstance(tree, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        local = {arg.arg for arg in ast.walk(tree.args) if isinstance(arg, ast.arg)}
        body = tree.body if isinstance(tree.body, list) else [tree.body]
        local |= {node.id for part in body for node in ast.walk(part)
                  if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load)}
        return set().union(*(_reads(part) for part in body)) - local
    found = {tree.id} if isinstance(tree, ast.Name) and isinstance(tree.ctx, ast.Load) else set()
    return found.union(*(_reads(child) for child in ast.iter_child_nodes(tree)))


@dataclass
class Lesson:
    """A learner copy with the master's answers, run cell by cell in one namespace."""

    name: str
    cells: list = field(default_factory=list)
    namespace: dict = field(default_factory=dict)
    ran: set = field(default_factory=set)

    @classmethod
    def load(cls, name: str) -> "Lesson":
        notebook = solved_learner_copy(name)
        cells = [cell for cell in notebook.cells if cell.cell_type == "code" and cell.get("id") != "setup-again"]
        return cls(name, cells)

    def index(self, cell_id: str) -> int:
        return next(i for i, cell in enumerate(self.cells) if grade_id(cell) == cell_id)

    def check_after(self, solution: int) -> int:
        return next(i for i in range(solution + 1, len(self.cells))
                    if self.cells[i].metadata.get("nbgrader", {}).get("grade"))

    def slice(self, target: int) -> list[int]:
        """The cells before ``target`` that bind a name it needs, transitively, and the setup cell."""
        trees = [ast.parse(cell.source) for cell in self.cells]
        needed, chosen = _reads(trees[target]), {0, target}
        for index in range(target - 1, 0, -1):
            bound = progress.top_level_bindings(trees[index])
            if bound & needed:
                chosen.add(index)
                needed |= _reads(trees[index]) - bound  # what a cell binds itself it does not need from above
        return sorted(chosen)

    def run_cell(self, source: str, namespace: dict) -> Exception | None:
        """Run one cell's code as a learner's kernel would; return the error it raised, if any."""
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(source, "<cell>", "exec"), namespace)
        except Exception as error:  # a learner's wrong answer may fail anyhow; the check must still say why
            return error
        return None

    def prepare(self, solution_id: str) -> tuple[int, list[int], dict]:
        """Run the cells before the exercise that its check needs; return (check, cells to rerun, namespace)."""
        solution = self.index(solution_id)
        check = self.check_after(solution)
        needed = self.slice(check)
        for index in needed:
            if index < solution and index not in self.ran:
                error = self.run_cell(self.cells[index].source, self.namespace)
                assert error is None, f"{self.name} cell {index} failed with the master's answers: {error!r}"
                self.ran.add(index)
        return check, [index for index in needed if solution <= index < check], dict(self.namespace)

    def judge(self, solution_id: str, answer: str | None = None) -> tuple[str, str]:
        """``(status, message)`` of the exercise's check with ``answer`` in place of the master's solution."""
        check, rerun, namespace = self.prepare(solution_id)
        trees = [ast.parse(self.cells[index].source) for index in rerun]
        for name in set().union(*map(progress.top_level_bindings, trees)):
            namespace.pop(name, None)  # a fresh run from the solution down: nothing left from the master's
        for index in rerun:
            source = answer if answer is not None and index == rerun[0] else self.cells[index].source
            self.run_cell(source, namespace)
        answers = [node.name for node in ast.parse(self.answer(solution_id)).body if isinstance(node, ast.FunctionDef)]
        return progress.run_check(self.cells[check].source, namespace, answers)

    def exercises(self) -> list[str]:
        """The ids of the solution cells, in notebook order."""
        return [grade_id(cell) for cell in self.cells if cell.metadata.get("nbgrader", {}).get("solution")]

    def answer(self, solution_id: str) -> str:
        return self.cells[self.index(solution_id)].source


def mutate(source: str, changes: list[tuple[str, str]]) -> str:
    """``source`` with each ``(old, new)`` of ``changes`` replaced; each ``old`` must occur exactly once."""
    for old, new in changes:
        assert source.count(old) == 1, f"{old!r} occurs {source.count(old)} times in the answer"
        source = source.replace(old, new)
    return source
