"""The explicit list of formats, and no import circle among the format modules."""

import ast
from pathlib import Path

import annotator
from annotator.formats import FORMATS, exporters, import_suffixes, reader_for

PACKAGE = Path(annotator.__file__).parent


def test_catalogue_lists_every_format_once():
    names = [f.name for f in FORMATS]
    assert len(names) == len(set(names))
    assert list(exporters()) == ["jsonl", "prodigy", "doccano", "labelstudio", "brat", "spacy",
                                 "conll", "csv"]
    assert set(import_suffixes()) == {".jsonl", ".json", ".ann", ".txt", ".md", ".html", ".htm",
                                      ".csv"}
    assert reader_for(Path("A.JSONL")) is reader_for(Path("b.jsonl")) is not None
    assert reader_for(Path("x.pdf")) is None


def _imports(path: Path) -> set[str]:
    """Modules of `annotator` that a file imports (a `from pkg import name` counts as pkg.name
    when that is a module, else as pkg)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("annotator")}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("annotator"):
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                is_module = (PACKAGE.parent / (sub.replace(".", "/") + ".py")).exists()
                found.add(sub if is_module else node.module)
    return found


def test_no_import_circle_in_formats_and_services():
    graph = {}
    for folder in ("formats", "services"):
        for path in (PACKAGE / folder).glob("*.py"):
            name = f"annotator.{folder}." + path.stem
            if path.stem == "__init__":
                name = f"annotator.{folder}"
            graph[name] = _imports(path)
    for name in graph:  # the package face may import its modules, never the other way round
        if name != "annotator.formats" and name.startswith("annotator.formats"):
            assert "annotator.formats" not in graph[name], f"{name} imports the package face"

    def visit(node, stack):
        if node in stack:
            circle = stack[stack.index(node):] + [node]
            raise AssertionError("import circle: " + " -> ".join(circle))
        for nxt in graph.get(node, ()):
            visit(nxt, stack + [node])

    for name in graph:
        visit(name, [])
