"""The shape of the code, checked from its import graph: layers, one Docker module, no cycles.

Every `import` statement counts, at module level or inside a function: a lazy import that
closes a loop is still a loop.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("grader", "runner")


def project_modules() -> dict[str, Path]:
    """Dotted name -> file, for every module of the project's packages."""
    modules = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if "migrations" in parts:
                continue  # Alembic loads these files itself; they are not modules of the package
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def imported_names(name: str, path: Path) -> Iterator[str]:
    """Every dotted name an import statement of the module reaches (relative ones resolved)."""
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            # `from pkg import sub` reaches pkg.sub; `from pkg import func` reaches pkg: the
            # resolution in `import_graph` walks each name up to the nearest module.
            yield from (module if alias.name == "*" else f"{module}.{alias.name}"
                        for alias in node.names)


def import_graph() -> dict[str, set[str]]:
    """Module -> the project modules it imports (a name that is a submodule counts as it)."""
    modules = project_modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        for imported in imported_names(name, path):
            # `from pkg import sub` names the submodule; `from pkg import func` the package.
            while imported and imported not in modules:
                imported = imported.rpartition(".")[0]
            if imported and imported != name:
                targets.add(imported)
        graph[name] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def external_importers(module: str) -> set[str]:
    """Project modules with an import statement naming `module` (or a submodule of it)."""
    importers = set()
    for name, path in project_modules().items():
        if any(i == module or i.startswith(module + ".") for i in imported_names(name, path)):
            importers.add(name)
    return importers


def test_the_graph_sees_the_packages():
    graph = import_graph()
    assert {"grader.app", "grader.services.jobs", "runner.check"} <= set(graph)
    assert "grader.services.jobs" in graph["grader.queue"]


def test_the_runner_never_imports_the_server():
    graph = import_graph()
    offenders = {name: sorted(t for t in targets if t.split(".")[0] == "grader")
                 for name, targets in graph.items() if name.split(".")[0] == "runner"}
    assert {name: t for name, t in offenders.items() if t} == {}


def test_only_one_module_talks_to_docker():
    importers = external_importers("docker")
    assert len(importers) == 1, f"modules importing docker: {sorted(importers)}"
    assert next(iter(importers)).startswith("runner.")


def test_the_client_loads_no_server_module():
    graph = import_graph()
    server = {t for name, targets in graph.items() if name.startswith("grader.client")
              for t in targets if t.startswith("grader.") and not t.startswith("grader.client")}
    # `grader serve` is the one command that starts the server, on purpose.
    assert server <= {"grader.serve"}


def test_there_is_no_import_cycle():
    assert cycles(import_graph()) == []


@pytest.mark.parametrize("graph,expected", [
    ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, [["a", "b", "c"]]),
    ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
])
def test_cycle_detection_itself(graph, expected):
    assert cycles(graph) == expected
