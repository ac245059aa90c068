"""Names, reasons and summaries: why each unit sits where it does, what each service holds."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import Any

from migrator.model.facts import EdgeKind, NodeKind
from migrator.model.graph import DependencyGraph
from migrator.model.weighted import WeightedGraph

LISTED = 50
"""Lists in a service summary are cut after this many entries."""


def placement_reasons(
    unit: str, view: WeightedGraph, assignment: Mapping[str, str], *, limit: int = 3
) -> tuple[str, ...]:
    """The unit's ties to its own service beside those to the next best, and its strongest tie."""
    own = assignment.get(unit)
    by_service = view.ties_to_groups(unit, assignment)
    if not by_service:
        return ()
    kinds_by_service: dict[str, Counter[str]] = defaultdict(Counter)
    strongest: tuple[float, str] | None = None
    for other, weight in view.ties(unit).items():
        service = assignment.get(other)
        if service is None:
            continue
        for kind, amount in view.tie_kinds(unit, other).items():
            kinds_by_service[service][kind] += amount
        if service == own and (strongest is None or (weight, other) > strongest):
            strongest = (weight, other)
    reasons = []
    others = sorted((s for s in by_service if s != own), key=lambda s: (-by_service[s], s))
    own_text = f"ties to {own}: {by_service.get(own, 0.0):.1f} ({_kinds(kinds_by_service[own])})"
    if others:
        nxt = others[0]
        own_text += f" vs {nxt}: {by_service[nxt]:.1f} ({_kinds(kinds_by_service[nxt])})"
    else:
        own_text += "; no ties to other services"
    reasons.append(own_text)
    if strongest is not None:
        weight, other = strongest
        reasons.append(f"strongest tie: {other} ({_kinds(Counter(view.tie_kinds(unit, other)))})")
    return tuple(reasons[:limit])


def _kinds(kinds: Counter[str]) -> str:
    ranked = sorted(kinds.items(), key=lambda item: (-item[1], item[0]))
    return ", ".join(f"{kind} {amount:.1f}" for kind, amount in ranked[:3]) or "none"


def summarize_services(
    graph: DependencyGraph, unit_of: Mapping[str, str], assignment: Mapping[str, str], view: WeightedGraph,
    moved: Mapping[str, str] | None = None,
) -> dict[str, dict[str, Any]]:
    """Service -> what it holds (models, tables, routes, events) and its dependencies; ``moved``:
    nodes that go to another service than their unit's (the classes and functions of a god module)."""
    service_of = {node: assignment[unit] for node, unit in unit_of.items() if unit in assignment}
    service_of.update(moved or {})
    summaries: dict[str, dict[str, Any]] = {
        s: {"size": 0, "models": [], "tables": [], "routes": [], "publishes": [], "subscribes": [], "depends_on": {}, "used_by": {}}
        for s in sorted(set(assignment.values()))
    }
    for service in assignment.values():
        summaries[service]["size"] += 1
    for node in graph.nodes(NodeKind.MODEL):
        if node.id in service_of and not node.attrs.get("abstract"):
            summaries[service_of[node.id]]["models"].append(node.id)
    for node in graph.nodes(NodeKind.TABLE):
        if node.id in service_of:
            summaries[service_of[node.id]]["tables"].append(node.id.removeprefix("table:"))
    for node in graph.nodes(NodeKind.ROUTE):
        if node.id in service_of:
            summaries[service_of[node.id]]["routes"].append(node.id.removeprefix("route:"))
    for edge in graph.edges(EdgeKind.PUBLISHES):
        if edge.source in service_of:
            summaries[service_of[edge.source]]["publishes"].append(edge.target)
    for edge in graph.edges(EdgeKind.SUBSCRIBES):
        if edge.target in service_of:
            summaries[service_of[edge.target]]["subscribes"].append(edge.source)
    outbound: dict[str, Counter[str]] = defaultdict(Counter)
    for edge in graph.edges(EdgeKind.CALLS, EdgeKind.IMPORTS, EdgeKind.REFERENCES, EdgeKind.READS, EdgeKind.WRITES, EdgeKind.INHERITS):
        a, b = service_of.get(edge.source), service_of.get(edge.target)
        if a and b and a != b:
            outbound[a][b] += edge.weight
    for a, targets in outbound.items():
        for b, weight in targets.items():
            summaries[a]["depends_on"][b] = round(weight, 1)
            summaries[b]["used_by"][a] = round(weight, 1)
    for summary in summaries.values():
        for key in ("models", "tables", "routes", "publishes", "subscribes"):
            items = sorted(set(summary[key]))
            summary[f"{key}_count"] = len(items)
            summary[key] = items[:LISTED] + ([f"... and {len(items) - LISTED} more"] if len(items) > LISTED else [])
        for key in ("depends_on", "used_by"):
            summary[key] = dict(sorted(summary[key].items(), key=lambda item: (-item[1], item[0])))
    return summaries
