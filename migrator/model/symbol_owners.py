"""Nodes that belong to another part than their module's: the classes and functions a service
takes from a god module (``symbols`` in decomposition.yaml), with what goes along with them."""

from __future__ import annotations

from collections.abc import Mapping

from migrator.model.facts import EdgeKind, NodeKind
from migrator.model.graph import DependencyGraph

_CODE = (NodeKind.CLASS, NodeKind.FUNCTION, NodeKind.MODEL)


def symbol_nodes(graph: DependencyGraph, owners: Mapping[str, str]) -> dict[str, str]:
    """Node -> the part that takes it: each symbol of ``owners`` (symbol -> part), its methods and
    nested classes, the routes it or they handle, and the tables its models map to."""
    if not owners:
        return {}
    found: dict[str, str] = {}
    for node in graph.nodes(*_CODE):
        owner = _owning_symbol(node.id, owners)
        if owner is not None:
            found[node.id] = owners[owner]
    for node_id, part in list(found.items()):
        for route in graph.find_predecessors(node_id, EdgeKind.HANDLES):
            found[route] = part
        for edge in graph.edges_from(node_id, EdgeKind.REFERENCES):
            if edge.attrs.get("maps_to") and edge.target.startswith("table:"):
                found[edge.target] = part
    for node in graph.nodes(NodeKind.ROUTE):
        handler = str(node.attrs.get("handler") or "")
        if handler in found:
            found[node.id] = found[handler]
    return found


def symbol_owner(node_id: str, owners: Mapping[str, str]) -> str | None:
    """The part that takes a code node with the symbol that holds it; None when no symbol does."""
    owner = _owning_symbol(node_id, owners)
    return owners[owner] if owner is not None else None


def _owning_symbol(node_id: str, owners: Mapping[str, str]) -> str | None:
    if not owners:
        return None
    parts = node_id.split(".")
    for end in range(len(parts), 1, -1):
        candidate = ".".join(parts[:end])
        if candidate in owners:
            return candidate
    return None
