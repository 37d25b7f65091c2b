"""The app's import graph: no cycle, and nothing imported for its side effects but in apps.py.

The graph is read from the source with `ast` (no import runs): an edge for every `import` and
`from … import` of a module of `directory/` (migrations aside), at module level or inside a
function alike, since an import moved into a function to dodge a cycle is still the cycle.
`from package import name` counts as importing the package and, when `name` is a submodule,
that submodule too.
"""

import ast
from pathlib import Path

import pytest

from directory.apps import ADMIN_MODULES

ROOT = Path(__file__).resolve().parent.parent


def read_modules():
    modules = {}
    for path in sorted((ROOT / "directory").rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if "migrations" in parts:
            continue
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        modules[".".join(parts)] = (path, is_package)
    return modules


def imported_names(node, module, is_package):
    """The dotted names an import statement may load, absolute."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        base = module.split(".")[: len(module.split(".")) - node.level + (1 if is_package else 0)]
        source = ".".join(base + ([node.module] if node.module else []))
    else:
        source = node.module
    return [source, *(f"{source}.{alias.name}" for alias in node.names)]


def import_graph():
    """{module: {imported module: first line}} over the app's modules."""
    modules = read_modules()
    graph = {}
    for module, (path, is_package) in modules.items():
        edges = graph.setdefault(module, {})
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import | ast.ImportFrom):
                for name in imported_names(node, module, is_package):
                    if name in modules and name != module:
                        edges.setdefault(name, node.lineno)
    return graph


def cycles(graph):
    """The strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(component)

    for node in graph:
        if node not in index:
            visit(node)
    return found


@pytest.fixture(scope="module")
def graph():
    return import_graph()


def test_the_graph_sees_the_app(graph):
    # A reader that found nothing would find no cycle either.
    assert len(graph) > 100
    assert "directory.models.areas" in graph["directory.reference"]
    assert "directory.listings.services" in graph["directory.editing.services"]


def test_the_import_graph_has_no_cycle(graph):
    report = [
        "; ".join(
            f"{module} -> {target} (line {line})"
            for module in sorted(component)
            for target, line in sorted(graph[module].items())
            if target in component
        )
        for component in cycles(graph)
    ]
    assert report == []


def test_a_cycle_would_be_found():
    graph = {"a": {"b": 1}, "b": {"c": 1}, "c": {"a": 1}, "d": {"a": 1}}
    assert cycles(graph) == [{"a", "b", "c"}]


def test_admins_and_receivers_are_imported_by_the_app_config_only(graph):
    """Importing a module for what importing it does happens in DirectoryConfig.ready() only."""
    side_effect_modules = {*ADMIN_MODULES, "directory.signals"}
    importers = {
        f"{module} imports {target}"
        for module, edges in graph.items()
        for target in edges
        if target in side_effect_modules and module != "directory.apps"
    }
    assert importers == set()
    assert set(ADMIN_MODULES) == {module for module in graph if module.endswith(".admin")}
