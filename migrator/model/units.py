"""Units: the pieces a decomposition places (modules, or classes with their module's code)."""

from __future__ import annotations

from dataclasses import dataclass

from migrator.model.facts import EdgeKind, NodeKind
from migrator.model.graph import DependencyGraph


@dataclass(frozen=True)
class UnitIndex:
    """Which unit each node of the graph belongs to."""

    unit_of: dict[str, str]
    units: tuple[str, ...]


def index_units(graph: DependencyGraph, unit: str = "module") -> UnitIndex:
    """Map code, routes, models and tables to units (modules, or classes with module-level code).

    Code that no module holds (a class, function or model of a class-level graph converted
    from another tool, which has no module nodes) goes with its enclosing class, else is a
    unit of its own. Worked out once per graph and unit (each caller gets a map of its own).
    """
    index = graph.derived(("units", unit), lambda: _index_units(graph, unit))
    return UnitIndex(dict(index.unit_of), index.units)


def _index_units(graph: DependencyGraph, unit: str) -> UnitIndex:
    unit_of: dict[str, str] = {}
    code = (NodeKind.PACKAGE, NodeKind.MODULE, NodeKind.CLASS, NodeKind.FUNCTION, NodeKind.MODEL)
    for node in graph.nodes(*code):
        module = graph.module_of(node.id)
        if unit == "class" and node.kind not in (NodeKind.PACKAGE, NodeKind.MODULE):
            unit_of[node.id] = _enclosing_class(graph, node.id) or module or node.id
        else:
            unit_of[node.id] = module or _enclosing_class(graph, node.id) or node.id
    for node in graph.nodes(NodeKind.ROUTE, NodeKind.TASK):
        for target in graph.find_successors(node.id, EdgeKind.HANDLES):
            if target in unit_of:
                unit_of[node.id] = unit_of[target]
    for node in graph.nodes(NodeKind.TABLE):
        owners = [m for m in graph.find_predecessors(node.id, EdgeKind.REFERENCES) if m in unit_of]
        if owners:
            unit_of[node.id] = unit_of[owners[0]]
    units = tuple(sorted({u for u in unit_of.values()}))
    return UnitIndex(unit_of, units)


def _enclosing_class(graph: DependencyGraph, node_id: str) -> str | None:
    parts = node_id.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in graph and graph.node(candidate).kind in (NodeKind.CLASS, NodeKind.MODEL):
            return candidate
    return None
