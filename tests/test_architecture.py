"""The code-shape rules of the brief, read from the source (AST), so a change that breaks one
fails here rather than in review:

* no import cycle inside `annotator/` (every import counts, also those inside functions: a lazy
  import hides a cycle, it does not remove it; only `if TYPE_CHECKING:` blocks are skipped);
* only `annotator/ui/` and `annotator/app.py` import Qt;
* no module over 600 lines;
* no function with more than 6 positional parameters (`self`/`cls` not counted).
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "annotator"
MAX_LINES = 600
MAX_POSITIONAL = 6
QT = ("PySide6", "shiboken6")



# --- reading the package -----------------------------------------------------------------------


def rel(path: Path) -> str:
    return path.relative_to(PACKAGE.parent).as_posix()


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


@cache
def tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


def _type_checking_only(module: ast.Module) -> set[int]:
    skipped = set()
    for node in ast.walk(module):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                skipped.update(id(n) for n in ast.walk(child))
    return skipped


def imported(path: Path) -> set[str]:
    """Every module this file imports, absolute. `from pkg import name` counts as importing
    pkg.name if that is a module, else pkg (a package's own __init__ running first is not
    counted: every submodule would then import its package)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    skipped = _type_checking_only(tree(path))
    out = set()
    for node in ast.walk(tree(path)):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([node.module] if node.module else []))
            for alias in node.names:  # `from pkg import module` imports the module
                sub = f"{base}.{alias.name}"
                out.add(sub if sub in modules() else base)
    return out


def import_graph() -> dict[str, set[str]]:
    mods = modules()
    return {name: {m for m in imported(path) if m in mods and m != name}
            for name, path in mods.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def too_many_positional(module: ast.Module) -> list[tuple[int, str, int]]:
    """(line, name, count) of every function with more than MAX_POSITIONAL positional
    parameters."""
    out = []

    def visit(node: ast.AST, in_class: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                args = child.args.posonlyargs + child.args.args
                if in_class and args and args[0].arg in ("self", "cls"):
                    args = args[1:]
                if len(args) > MAX_POSITIONAL:
                    out.append((child.lineno, child.name, len(args)))
                visit(child, False)
            else:
                visit(child, isinstance(child, ast.ClassDef) or in_class)

    visit(module, False)
    return out


def positional_offenders(path: Path) -> list[str]:
    return [f"{rel(path)}:{line} {name}() has {n}"
            for line, name, n in too_many_positional(tree(path))]


def line_count(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def _paths(exclude=()) -> list[Path]:
    return [p for p in modules().values() if rel(p) not in exclude]


# --- the checker checks what it should --------------------------------------------------------


def test_the_checks_find_what_they_look_for():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
    assert "annotator.ui.main_window" in import_graph()["annotator.app"]  # a lazy import counts
    assert "annotator.ui.main_window" not in import_graph()["annotator.ui.context"]  # typing only
    source = ast.parse("def f(a, b, c, d, e, f, g): pass\n"
                       "class C:\n"
                       "    def m(self, a, b, c, d, e, f): pass\n"
                       "    def n(self, a, b, c, d, e, f, g, *, h=1): pass\n")
    assert too_many_positional(source) == [(1, "f", 7), (4, "n", 7)]


# --- the rules -----------------------------------------------------------------------------------


def test_no_import_cycles():
    found = cycles(import_graph())
    assert not found, f"import cycles: {found}"


def test_only_ui_and_app_import_qt():
    offenders = sorted(
        rel(path) for name, path in modules().items()
        if not (name.startswith("annotator.ui") or name == "annotator.app")
        and any(m.split(".")[0] in QT for m in imported(path)))
    assert not offenders


def test_modules_are_short():
    long = {rel(p): line_count(p) for p in _paths() if line_count(p) > MAX_LINES}
    assert not long


def test_functions_take_few_positional_parameters():
    found = [f for p in _paths() for f in positional_offenders(p)]
    assert not found


def test_main_window_is_wiring_only():
    assert line_count(PACKAGE / "ui" / "main_window.py") < 500
