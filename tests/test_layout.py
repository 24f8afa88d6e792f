"""The architecture, checked: layers import only downwards, no cycles, small modules and functions.

Imports are read with ``ast`` from the source (imports inside functions count too), so these
tests see what a reader of the code sees, without importing anything.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("search", "web")
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 60

# Each layer may import itself and the layers listed after it (lower ones), nothing else.
LAYERS = [
    ("web", ["search.cli", "search.options", "search.backends", "search.index", "search.extract",
             "search.ingest", "search.settings", "search"]),
    ("search.cli", ["search.options", "search.backends", "search.index", "search.extract",
                    "search.ingest", "search.settings", "search"]),
    ("search.backends", ["search.index", "search.extract", "search.ingest", "search.settings",
                         "search"]),
    ("search.index", ["search.extract", "search.ingest", "search.settings", "search"]),
    ("search.extract", ["search.ingest", "search"]),
    ("search.ingest", ["search"]),
    ("search.settings", []),
    ("search.options", []),
]  # fmt: skip


def _modules() -> dict[str, Path]:
    out = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join(parts)] = path
    return out


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The project modules ``name`` imports, anywhere in its source."""
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {m for m in found if m in MODULES and m != name}


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _layer(module: str) -> str | None:
    for layer, _below in LAYERS:
        if module == layer or module.startswith(layer + "."):
            return layer
    return None


def _within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def test_every_module_belongs_to_a_layer() -> None:
    assert [m for m in MODULES if _layer(m) is None and m != "search"] == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_go_downwards(module: str) -> None:
    layer = _layer(module)
    if layer is None:
        return
    allowed = [layer, *dict(LAYERS)[layer]]
    wrong = sorted(
        m for m in GRAPH[module] if not any(m == a or (_within(m, a) and _layer(m) == a)
                                            for a in allowed)
    )  # fmt: skip
    assert wrong == [], f"{module} imports {wrong} (a higher layer)"


def test_search_never_imports_web() -> None:
    assert [(m, i) for m, deps in GRAPH.items() if _within(m, "search")
            for i in deps if _within(i, "web")] == []  # fmt: skip


def test_backends_import_no_other_backend() -> None:
    for module, deps in GRAPH.items():
        for backend in ("search.backends.whoosh", "search.backends.typesense"):
            if _within(module, backend):
                other = [
                    d for d in deps if _within(d, "search.backends.") and not _within(d, backend)
                ]
                assert other == [], f"{module} imports {other}"


def _cycle() -> list[str] | None:
    """One import cycle among the project's modules, as a list ending where it began."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for dep in sorted(GRAPH[node]):
            if state.get(dep) == 1:
                return [*stack[stack.index(dep) :], dep]
            if dep not in state and (found := visit(dep)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for name in sorted(GRAPH):
        if name not in state and (found := visit(name)):
            return found
    return None


def test_no_import_cycle() -> None:
    assert _cycle() is None, " -> ".join(_cycle() or [])


@pytest.mark.parametrize("module", sorted(MODULES))
def test_module_and_function_size(module: str) -> None:
    path = MODULES[module]
    source = path.read_text(encoding="utf-8")
    assert source.count("\n") <= MAX_MODULE_LINES, f"{path} has over {MAX_MODULE_LINES} lines"
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert long == [], f"{path}: functions over {MAX_FUNCTION_LINES} lines: {long}"
