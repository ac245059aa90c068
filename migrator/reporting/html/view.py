"""The data behind the interactive boundary view: groups (services, the shared library,
infrastructure), the units drawn inside them, and the dependencies between units by kind.

Everything is plain JSON-ready data, sorted, so that the same model gives the same page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from migrator.model.decomposition import Decomposition, Service
from migrator.model.facts import EdgeKind, NodeKind
from migrator.model.graph import DependencyGraph
from migrator.model.plan import MigrationPlan, ServiceScope
from migrator.model.units import UnitIndex, index_units

SERVICE = "service"
SHARED = "shared"
INFRASTRUCTURE = "infrastructure"
UNASSIGNED = "unassigned"
PACKAGE = "package"

EVENTS = "events"
"""A kind of dependency that the graph holds in two halves: publisher -> event -> receiver."""

PALETTE = (
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#2f8f9d", "#d37295", "#8cd17d", "#b6992d", "#499894", "#fabfd2", "#86bcb6",
    "#f1ce63", "#a0cbe8", "#ffbe7d", "#d4a6c8",
)
ROLE_COLOURS = {SHARED: "#7f7f7f", INFRASTRUCTURE: "#3b4252", UNASSIGNED: "#c0c0c0"}

LARGE_GRAPH = 1500
"""Beyond this many units the view favours speed: lines between modules start hidden and become
elements only when shown, drawn straight without arrows; labels hide when zoomed out."""

CONTENT_KEYS = ("models", "routes", "tables", "publishes", "subscribes", "tasks")


@dataclass(frozen=True)
class Group:
    name: str
    role: str
    units: tuple[str, ...]
    reasons: dict[str, tuple[str, ...]]


def build_groups(graph: DependencyGraph, decomposition: Decomposition | None, index: UnitIndex) -> list[Group]:
    """The boxes of the view, in drawing order: services by name, then shared, infrastructure and
    units the decomposition does not place; by package when there is no decomposition."""
    if decomposition is None:
        by_package: dict[str, list[str]] = defaultdict(list)
        for unit in index.units:
            if graph.node(unit).kind is not NodeKind.EXTERNAL:
                by_package[package_of(unit, graph.node(unit).kind is NodeKind.PACKAGE)].append(unit)
        return [Group(name, PACKAGE, tuple(units), {}) for name, units in sorted(by_package.items())]
    groups = [_from_service(s, SERVICE) for s in sorted(decomposition.services, key=lambda s: s.name)]
    if decomposition.shared is not None and decomposition.shared.units:
        groups.append(_from_service(decomposition.shared, SHARED))
    if decomposition.infrastructure:
        groups.append(Group(INFRASTRUCTURE, INFRASTRUCTURE, tuple(sorted(set(decomposition.infrastructure))), {}))
    placed = set(decomposition.assignment()) | set(decomposition.infrastructure) | set(decomposition.excluded)
    unplaced = tuple(u for u in index.units if u not in placed and graph.node(u).kind is not NodeKind.EXTERNAL)
    if unplaced:
        groups.append(Group(UNASSIGNED, UNASSIGNED, unplaced, {}))
    return groups


def _from_service(service: Service, role: str) -> Group:
    return Group(service.name, role, tuple(sorted(set(service.units))), dict(service.reasons))


def package_of(unit: str, is_package: bool) -> str:
    """The package a unit is grouped under when there are no services: the package itself or
    the one holding the module, at most two levels deep."""
    parts = unit.split(".")
    holder = parts if is_package or len(parts) == 1 else parts[:-1]
    return ".".join(holder[:2])


def build_view(
    graph: DependencyGraph, decomposition: Decomposition | None, plan: MigrationPlan | None = None
) -> dict[str, Any]:
    """Everything the boundary view draws, as JSON-ready data.

    Units and groups are referred to by their position in ``units`` and ``groups``, so that
    no name from the monolith ever becomes an identifier in the page.
    """
    index = index_units(graph, decomposition.unit if decomposition else "module")
    groups = build_groups(graph, decomposition, index)
    units = [(unit, g) for g, group in enumerate(groups) for unit in group.units]
    position = {unit: i for i, (unit, _) in enumerate(units)}
    contents = unit_contents(graph, index)
    prefix = common_prefix([unit for unit, _ in units])
    colours = group_colours(groups)
    scopes = {s.name: s for s in plan.services} if plan else {}
    edges = unit_edges(graph, index, position)
    kinds = sorted({kind for _, _, kind, _ in edges})
    kind_index = {k: i for i, k in enumerate(kinds)}
    return {
        "unit": decomposition.unit if decomposition else "module",
        "kinds": kinds,
        "groups": [
            _group_data(group, colours[i], [contents.get(u, {}) for u in group.units], scopes.get(group.name))
            for i, group in enumerate(groups)
        ],
        "units": [_unit_data(graph, unit, groups[g], g, prefix, contents.get(unit, {})) for unit, g in units],
        "edges": [[a, b, kind_index[kind], weight] for a, b, kind, weight in edges],
        "layout": "map",
        "large": len(units) > LARGE_GRAPH,
    }


def group_colours(groups: list[Group]) -> list[str]:
    colours, services = [], 0
    for group in groups:
        if group.role in ROLE_COLOURS:
            colours.append(ROLE_COLOURS[group.role])
        else:
            colours.append(PALETTE[services % len(PALETTE)])
            services += 1
    return colours


def _group_data(group: Group, colour: str, contents: list[dict[str, list[str]]], scope: ServiceScope | None) -> dict[str, Any]:
    data: dict[str, Any] = {"name": group.name, "role": group.role, "colour": colour}
    for key in CONTENT_KEYS:
        # the plan knows who owns what (a model written by two services has one owner); without
        # a plan, a service holds what its units hold
        found = getattr(scope, key) if scope is not None else sorted({item for c in contents for item in c.get(key, ())})
        if found:
            data[key] = [_strip_prefix(item) for item in found]
    return data


def _unit_data(graph: DependencyGraph, unit: str, group: Group, g: int, prefix: str, contents: dict[str, list[str]]) -> dict[str, Any]:
    node = graph.node(unit) if unit in graph else None
    data: dict[str, Any] = {
        "name": unit,
        "label": unit[len(prefix):] if prefix and unit.startswith(prefix) and unit != prefix.rstrip(".") else unit,
        "group": g,
        "kind": node.kind.value if node is not None else "unknown",
    }
    if node is not None and node.file:
        data["file"] = node.file
    reasons = group.reasons.get(unit)
    if reasons:
        data["reasons"] = list(reasons)
    for key in CONTENT_KEYS:
        if contents.get(key):
            data[key] = [_strip_prefix(item) for item in contents[key]]
    return data


def _strip_prefix(node_id: str) -> str:
    head, sep, rest = node_id.partition(":")
    return rest if sep and head in ("route", "table", "event", "task") else node_id


def unit_contents(graph: DependencyGraph, index: UnitIndex) -> dict[str, dict[str, list[str]]]:
    """Unit -> what it holds: models, routes, tables, tasks, and the events it publishes and
    subscribes to."""
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    holds = {NodeKind.MODEL: "models", NodeKind.ROUTE: "routes", NodeKind.TABLE: "tables", NodeKind.TASK: "tasks"}
    for kind, key in holds.items():
        for node in graph.nodes(kind):
            unit = index.unit_of.get(node.id)
            if unit is not None and not node.attrs.get("abstract"):
                found[unit][key].add(node.id)
    for edge in graph.edges(EdgeKind.PUBLISHES):
        unit = index.unit_of.get(edge.source)
        if unit is not None and graph.node(edge.target).kind is NodeKind.EVENT:
            found[unit]["publishes"].add(edge.target)
    for edge in graph.edges(EdgeKind.SUBSCRIBES, EdgeKind.HANDLES):
        unit = index.unit_of.get(edge.target)
        if unit is not None and graph.node(edge.source).kind is NodeKind.EVENT:
            found[unit]["subscribes"].add(edge.source)
    return {unit: {key: sorted(items) for key, items in held.items()} for unit, held in found.items()}


def unit_edges(graph: DependencyGraph, index: UnitIndex, position: dict[str, int]) -> list[tuple[int, int, str, float]]:
    """Dependencies lifted to drawn units and summed per (source, target, kind), sorted.

    Events and tasks tie each publisher to each receiver, as the kind ``events``.
    """
    totals: dict[tuple[int, int, str], float] = defaultdict(float)

    def add(source: str | None, target: str | None, kind: str, weight: float) -> None:
        a, b = position.get(source or ""), position.get(target or "")
        if a is not None and b is not None and a != b:
            totals[(a, b, kind)] += weight

    for edge in graph.edges():
        if edge.kind in (EdgeKind.PUBLISHES, EdgeKind.SUBSCRIBES, EdgeKind.HANDLES):
            continue
        add(index.unit_of.get(edge.source), index.unit_of.get(edge.target), edge.kind.value, edge.weight)
    for node in graph.nodes(NodeKind.EVENT, NodeKind.TASK):
        receivers = [index.unit_of.get(t) for t in graph.find_successors(node.id, EdgeKind.SUBSCRIBES, EdgeKind.HANDLES)]
        for publisher in graph.find_predecessors(node.id, EdgeKind.PUBLISHES):
            sent = graph.edge(publisher, node.id, EdgeKind.PUBLISHES)
            for receiver in receivers:
                add(index.unit_of.get(publisher), receiver, EVENTS, sent.weight if sent else 1.0)
    return [(a, b, kind, round(weight, 3)) for (a, b, kind), weight in sorted(totals.items())]


def common_prefix(names: list[str]) -> str:
    """The dotted prefix every name shares (``"shop."``), or ``""``; labels leave it out."""
    if not names:
        return ""
    split = [n.split(".") for n in names]
    shared: list[str] = []
    for parts in zip(*split, strict=False):
        if len(set(parts)) != 1:
            break
        shared.append(parts[0])
    return ".".join(shared) + "." if shared else ""
