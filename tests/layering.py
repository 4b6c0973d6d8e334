"""Parse a package's imports (stdlib ``ast``) and check them against an order of layers.

A *layer* is a top-level subpackage or module of the package (``bargain/zopa/``,
``bargain/cli.py``); the package's own ``__init__`` is the top. A module may
import modules of its own layer and of the layers listed before it, never one
listed after it, and the import graph between modules must have no cycle.
Imports inside functions count like imports at module level: a deferred
import is still a dependency.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Edge:
    """``source`` (a module) imports ``target`` at ``path:line``."""

    source: str
    target: str
    path: str
    line: int


def _module_name(root: Path, file: Path) -> str:
    rel = file.relative_to(root.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _resolve(module: str, is_package: bool, level: int, name: str | None) -> str:
    """The absolute module name of a relative import ``from .<level> <name> import ...``."""
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join(base + ([name] if name else []))


def imports(root) -> tuple[set[str], list[Edge]]:
    """Every module of the package at ``root`` and every import between its modules."""
    root = Path(root)
    pkg = root.name
    files = sorted(root.rglob("*.py"))
    modules = {_module_name(root, f): f for f in files}
    edges = []
    for mod, file in modules.items():
        is_package = file.name == "__init__.py"
        tree = ast.parse(file.read_text(encoding="utf-8"), filename=str(file))
        for node in ast.walk(tree):
            targets = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = _resolve(mod, is_package, node.level, node.module)
                else:
                    base = node.module or ""
                # `from pkg.sub import name`: name may be a module of the package
                targets = [
                    f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base
                    for a in node.names
                ]
            for t in targets:
                # the longest prefix that is a module of the package
                parts = t.split(".")
                while parts and ".".join(parts) not in modules:
                    parts.pop()
                if parts and parts[0] == pkg:
                    edges.append(Edge(mod, ".".join(parts), str(file), node.lineno))
    return set(modules), edges


def layer_of(module: str) -> str:
    """The layer of a module: its first component below the package (the package: ``""``)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def check(root, layers, layer=layer_of) -> list[str]:
    """Violations of the layer order ``layers`` (bottom first) and import cycles.

    Returns one message per offending import (``path:line: ...``) and per cycle;
    an empty list means the package is layered. A layer missing from ``layers``
    is itself a violation, so a new subpackage must be placed in the order.
    ``layer`` maps a module name to its layer (by default its first component).
    """
    layer_of = layer
    modules, edges = imports(root)
    rank = {name: i for i, name in enumerate(layers)}
    rank[""] = len(layers)  # the package's __init__: the top, re-exporting everything
    problems = []
    for m in sorted(modules):
        if layer_of(m) not in rank:
            problems.append(f"{m}: layer {layer_of(m)!r} is not in the layer order {layers}")
    for e in edges:
        a, b = layer_of(e.source), layer_of(e.target)
        if a in rank and b in rank and rank[b] > rank[a]:
            problems.append(
                f"{e.path}:{e.line}: upward import: {e.source} (layer {a or 'top'!r}) "
                f"imports {e.target} (layer {b or 'top'!r})"
            )
    graph: dict[str, list[Edge]] = {}
    for e in edges:
        if e.source != e.target:
            graph.setdefault(e.source, []).append(e)
    for cycle in _cycles(graph):
        where = "; ".join(f"{e.path}:{e.line}" for e in cycle)
        names = " -> ".join([cycle[0].source] + [e.target for e in cycle])
        problems.append(f"import cycle: {names} ({where})")
    return list(dict.fromkeys(problems))


def _cycles(graph):
    """One cycle (as a list of edges) per strongly connected component with a cycle."""
    index, low, on, stack, out = {}, {}, set(), [], []
    counter = [0]

    def strong(v):  # Tarjan's algorithm
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for e in graph.get(v, []):
            w = e.target
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = set()
            while True:
                w = stack.pop()
                on.discard(w)
                comp.add(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(_one_cycle(graph, comp))

    for v in sorted(graph):
        if v not in index:
            strong(v)
    return out


def _one_cycle(graph, comp):
    """A shortest cycle through the smallest module of a strongly connected component."""
    start = min(comp)
    prev = {start: None}
    queue = [start]
    while queue:
        v = queue.pop(0)
        for e in graph.get(v, []):
            if e.target not in comp:
                continue
            if e.target == start:
                path = [e]
                while prev[v] is not None:
                    path.append(prev[v])
                    v = prev[v].source
                return path[::-1]
            if e.target not in prev:
                prev[e.target] = e
                queue.append(e.target)
    return []  # pragma: no cover - a strongly connected component always has a cycle
