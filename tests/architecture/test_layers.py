"""The layers of ARCHITECTURE.md hold: imports point downward, and no two packages import each other.

Read from the source (every `import`, function-level ones included), not from what happens to
be loaded, so a lazy import that reaches upward is caught as well as a top-level one.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Package → layer. The web core (`adcreator.web`: base template, login, throttling, stored images;
# `adcreator.api` on top of it: the API's error shape and auth) sits under the apps and imports none of them.
LAYERS: dict[str, float] = {
    "adcreator.inputs": 0, "adcreator.prompts": 0, "adcreator.providers": 0,
    "adcreator.web": 0.5, "adcreator.api": 0.6,
    "adcreator.catalog": 1, "adcreator.jobs": 1, "adcreator.calls": 1,
    "templates": 2, "review": 2, "genome": 2,
    "generation": 3, "adcreator.demo": 3,
    "experiments": 4,
    # The composition root: settings and the URL map name every app.
    "adcreator.settings": 9, "adcreator.urls": 9, "adcreator.wsgi": 9, "adcreator.asgi": 9, "adcreator": 9,
}
SOURCE_ROOTS = ("adcreator", "templates", "review", "genome", "generation", "experiments")


def package_of(module: str) -> str | None:
    """The LAYERS key a dotted module belongs to (the longest matching prefix)."""
    parts = module.split(".")
    for length in range(len(parts), 0, -1):
        candidate = ".".join(parts[:length])
        if candidate in LAYERS:
            return candidate
    return None


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def project_sources() -> dict[str, Path]:
    """Every module of the project's packages, tests and migrations left out."""
    sources = {}
    for root in SOURCE_ROOTS:
        for path in (ROOT / root).rglob("*.py"):
            rel = path.relative_to(ROOT).parts
            if "tests" in rel or "migrations" in rel:
                continue
            sources[_module_name(path)] = path
    return sources


def imports_of(module: str, path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found: set[str] = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1] if node.level > 1 else base
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            # `from generation import services` imports the module generation.services.
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


def import_graph() -> dict[str, set[str]]:
    sources = project_sources()
    graph: dict[str, set[str]] = {}
    for module, path in sources.items():
        graph[module] = {target for target in imports_of(module, path) if target in sources}
    return graph


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    problems = []
    for module, targets in graph.items():
        source = package_of(module)
        for target in targets:
            destination = package_of(target)
            if source is None or destination is None or source == destination:
                continue
            if LAYERS[destination] > LAYERS[source]:
                problems.append(f"{module} (layer {LAYERS[source]:g}) imports {target} (layer {LAYERS[destination]:g})")
    return sorted(problems)


def package_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one package (Tarjan)."""
    edges: dict[str, set[str]] = defaultdict(set)
    for module, targets in graph.items():
        source = package_of(module)
        for target in targets:
            destination = package_of(target)
            if source and destination and source != destination:
                edges[source].add(destination)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in list(edges):
        if node not in index:
            visit(node)
    return cycles


def test_every_module_belongs_to_a_layer():
    assert [m for m in project_sources() if package_of(m) is None] == []


def test_no_import_points_upward():
    assert upward_imports(import_graph()) == []


def test_no_two_packages_import_each_other():
    assert package_cycles(import_graph()) == []


def test_the_web_core_imports_no_app():
    graph = import_graph()
    core = [m for m in graph if package_of(m) in ("adcreator.web", "adcreator.api")]
    reaching = {f"{m} → {t}" for m in core for t in graph[m] if package_of(t) not in ("adcreator.web", "adcreator.api")
                and LAYERS[package_of(t)] > 0}
    assert reaching == set()


@pytest.mark.parametrize("case,expected", [
    ({"templates.services": {"generation.models"}}, ["templates.services (layer 2) imports generation.models (layer 3)"]),
    ({"generation.tasks": {"templates.services"}}, []),
])
def test_the_checker_catches_an_upward_import(case, expected):
    assert upward_imports(case) == expected


def test_the_checker_catches_a_cycle():
    graph = {"templates.a": {"review.b"}, "review.b": {"genome.c"}, "genome.c": {"templates.a"}}
    assert package_cycles(graph) == [["genome", "review", "templates"]]
