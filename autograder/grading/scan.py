"""Read a student's code (never run it) for attempts on the grader.

Student code shares its kernel with the tests, so it could silence errors
(patch ``showtraceback``), swap library checks, return objects that equal
anything, or go looking for the gradebook. The sandbox already blocks the
files and the network; this scan makes the attempts visible to a person,
as flags in the student's report. It flags, it never changes a score.
"""

from __future__ import annotations

import ast
import re
from pathlib import PurePosixPath

from IPython.core.inputtransformer2 import TransformerManager

from autograder.grading.state import Flag, Kind

# Attributes whose assignment or call changes how errors or outputs are reported.
REPORTING_HOOKS = {"showtraceback", "_showtraceback", "showsyntaxerror", "set_custom_exc", "excepthook",
                   "displayhook", "run_cell", "run_cell_async", "run_code", "showwarning"}
FRAME_ACCESS = {"_getframe", "currentframe", "get_objects", "get_referrers", "settrace", "setprofile"}
MODULE_FLAGS = {
    Kind.NETWORK: {"socket", "urllib", "http", "requests", "httpx", "aiohttp", "ftplib", "smtplib", "websocket"},
    Kind.PROCESS: {"subprocess", "multiprocessing", "pty", "signal"},
    Kind.TAMPER: {"ctypes", "builtins", "gc", "importlib"},
    Kind.FILE_ACCESS: {"sqlite3"},
}
PROCESS_CALLS = {"system", "popen", "fork", "forkpty", "kill", "killpg", "execv", "execve", "spawnv", "_exit"}
ABSOLUTE_PATH = re.compile(r"^(/[\w.@-]+){2,}/?$")


def parse(source: str) -> ast.Module | None:
    """Parse a cell, IPython magics included; ``None`` when it is not valid Python."""
    try:
        return ast.parse(TransformerManager().transform_cell(source))
    except (SyntaxError, ValueError):
        return None


def dotted(node: ast.AST) -> str:
    """``np.testing.assert_allclose`` for an attribute chain, ``""`` for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr}" if base else node.attr
    return ""


def always_true(function: ast.FunctionDef | ast.Lambda) -> bool:
    """Whether a function's only result is the constant ``True``."""
    if isinstance(function, ast.Lambda):
        return isinstance(function.body, ast.Constant) and function.body.value is True
    body = [statement for statement in function.body
            if not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant))]
    return (len(body) == 1 and isinstance(body[0], ast.Return) and isinstance(body[0].value, ast.Constant)
            and body[0].value.value is True)


def path_finding(text: str) -> str | None:
    """What is suspicious about a string: a path outside the working folder, or the gradebook."""
    if "\n" in text or len(text) > 300:
        return None
    if ABSOLUTE_PATH.match(text) or text.startswith("~/") or ".." in PurePosixPath(text).parts:
        return f"names a path outside the notebook's folder: {text!r}"
    if "gradebook" in text.lower():
        return f"mentions the gradebook: {text!r}"
    return None


class Scanner(ast.NodeVisitor):
    """Collects ``(kind, message, line)`` findings for one cell."""

    def __init__(self, imported: set[str]):
        self.imported = imported
        self.findings: list[tuple[Kind, str, int]] = []

    def add(self, kind: Kind, message: str, node: ast.AST) -> None:
        self.findings.append((kind, message, getattr(node, "lineno", 0)))

    def visit_Import(self, node: ast.Import | ast.ImportFrom) -> None:
        names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module or ""]
        for name in names:
            for kind, modules in MODULE_FLAGS.items():
                if name.split(".")[0] in modules:
                    self.add(kind, f"imports {name}", node)
        self.generic_visit(node)

    visit_ImportFrom = visit_Import

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr in REPORTING_HOOKS:
            self.add(Kind.TAMPER, f"touches the error reporting hook {node.attr}", node)
        elif node.attr in FRAME_ACCESS:
            self.add(Kind.TAMPER, f"inspects the interpreter ({dotted(node)})", node)
        elif dotted(node) == "sys.modules":
            self.add(Kind.TAMPER, "touches sys.modules", node)
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        finding = path_finding(node.value) if isinstance(node.value, str) else None
        if finding:
            self.add(Kind.FILE_ACCESS, finding, node)

    def visit_Name(self, node: ast.Name) -> None:
        if node.id == "__builtins__":
            self.add(Kind.TAMPER, "touches __builtins__", node)

    def visit_Assign(self, node: ast.Assign | ast.AugAssign | ast.AnnAssign) -> None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            name = dotted(target)
            if isinstance(target, ast.Attribute) and name.split(".")[0] in self.imported:
                self.add(Kind.TAMPER, f"replaces library attribute {name}", node)
            if isinstance(target, ast.Name) and target.id in {"__eq__", "__ne__"} \
                    and isinstance(node.value, ast.Lambda) and always_true(node.value):
                self.add(Kind.TAMPER, f"defines an always-true {target.id}", node)
        self.generic_visit(node)

    visit_AugAssign = visit_AnnAssign = visit_Assign

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if node.name == "__eq__" and always_true(node):
            self.add(Kind.TAMPER, "defines an always-true __eq__", node)
        self.generic_visit(node)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Call(self, node: ast.Call) -> None:
        name = dotted(node.func)
        last = name.rsplit(".", 1)[-1]
        if last in {"setattr", "delattr"} and node.args and dotted(node.args[0]).split(".")[0] in self.imported:
            self.add(Kind.TAMPER, f"{last} on library object {dotted(node.args[0])}", node)
        if last in {"exec", "eval", "compile", "__import__"} and name == last:
            self.add(Kind.TAMPER, f"calls {last}()", node)
        if name.startswith("os.") and last in PROCESS_CALLS:
            self.add(Kind.PROCESS, f"calls {name}()", node)
        if last == "get_file":
            self.add(Kind.NETWORK, f"calls {name}()", node)
        self.generic_visit(node)


def imported_names(trees: list[ast.Module]) -> set[str]:
    """Names bound by ``import`` statements anywhere in the notebook."""
    names = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
    return names


def scan(notebook, trusted: set[str] = frozenset()) -> list[Flag]:
    """Flags (message ``"what (cell, line)"``) for the student-written code cells of ``notebook``.

    Cells whose nbgrader ``grade_id`` is in ``trusted`` (locked cells that the
    grader restores from the release anyway) are read for imports only.
    """
    cells = [(cell, parse(cell.source)) for cell in notebook.cells if cell.cell_type == "code"]
    imported = imported_names([tree for _, tree in cells if tree is not None])
    flags = []
    for index, (cell, tree) in enumerate(cells):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if tree is None or grade_id in trusted:
            continue
        scanner = Scanner(imported)
        scanner.visit(tree)
        where = grade_id or f"code cell {index + 1}"
        flags += [Flag(kind, f"{message} ({where}, line {line})") for kind, message, line in scanner.findings]
    return list(dict.fromkeys(flags))
