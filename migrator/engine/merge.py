"""The graph from the contributions: nodes and edges merged, the routes' contexts, the counts.

Contributions stay packed (``packing``) as long as they can: an edge becomes an ``Edge`` only to
be merged with another of the same key.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from analyzers.base import SourceFile
from migrator.engine.packing import PackedEdge, pack_edges, unpack_edges
from migrator.model.facts import EdgeKind, Node, NodeKind, merge_edges
from migrator.model.graph import merge_nodes
from migrator.model.graph_json import EdgeKey

CONTEXT_EDGES = (EdgeKind.HANDLES, EdgeKind.CALLS, EdgeKind.READS, EdgeKind.WRITES)
"""A route's business context spreads from its handler along these edges."""


def assemble_nodes(files: Iterable[SourceFile], node_lists: Iterable[Iterable[Node]]) -> dict[str, Node]:
    """Every file's node, then the contributions' nodes, merged by id (without contexts), in the
    order a ``DependencyGraph`` built from them would hold them."""
    nodes: dict[str, Node] = {}
    for file in files:
        _add_node(nodes, Node(file.module, NodeKind.PACKAGE if file.is_package else NodeKind.MODULE, file.relpath, 1))
    for node_list in node_lists:
        for node in node_list:
            _add_node(nodes, node)
    return nodes


def merge_packed_edges(
    nodes: Container[str], edge_lists: Iterable[Sequence[PackedEdge]], low: str | None = None, high: str | None = None
) -> dict[EdgeKey, PackedEdge]:
    """The contributions' packed edges between known nodes (no loops), merged by key, keeping
    those whose source is in [low, high) (None: no bound). An edge becomes an ``Edge`` only to be
    merged with another of the same key."""
    merged: dict[EdgeKey, PackedEdge] = {}
    for edge_list in edge_lists:
        for edge in edge_list:
            source, target = edge[0], edge[1]
            if (low is not None and source < low) or (high is not None and source >= high):
                continue
            if source == target or source not in nodes or target not in nodes:
                continue
            key = (source, target, edge[2])
            previous = merged.get(key)
            merged[key] = edge if previous is None else pack_edges([merge_edges(*unpack_edges([previous, edge]))])[0]
    return merged


def _add_node(nodes: dict[str, Node], node: Node) -> None:
    existing = nodes.get(node.id)
    nodes[node.id] = node if existing is None else merge_nodes(existing, node)


def route_contexts(nodes: Mapping[str, Node], edges: Iterable[Sequence[Any]]) -> dict[str, Node]:
    """The nodes reached from a route along ``CONTEXT_EDGES``, with those routes as contexts.

    ``edges`` are edge keys ``(source, target, kind)`` or packed edges (which start with them);
    loops and edges to unknown nodes are passed over, as the assembled graph has none."""
    routes = sorted(n.id for n in nodes.values() if n.kind is NodeKind.ROUTE)
    changed = {}
    for node_id, contexts in reached_contexts(nodes, routes, edges).items():
        node = nodes[node_id]
        changed[node_id] = Node(node.id, node.kind, node.file, node.line, contexts, node.attrs)
    return changed


def reached_contexts(nodes: Container[str], routes: Sequence[str], edges: Iterable[Sequence[Any]]) -> dict[str, tuple[str, ...]]:
    """Node id -> the routes (sorted) that reach it along ``CONTEXT_EDGES`` between ``nodes``."""
    wanted = {kind.value for kind in CONTEXT_EDGES}
    follow: dict[str, set[str]] = {}
    for edge in edges:
        if edge[2] in wanted:
            source, target = edge[0], edge[1]
            if source != target and source in nodes and target in nodes:
                follow.setdefault(source, set()).add(target)
    reached: dict[str, set[str]] = {}
    for route in routes:
        seen = {route}
        stack = [route]
        while stack:
            for target in follow.get(stack.pop(), ()):
                if target not in seen:
                    seen.add(target)
                    stack.append(target)
        seen.discard(route)
        for node_id in seen:
            reached.setdefault(node_id, set()).add(route)
    return {node_id: tuple(sorted(contexts)) for node_id, contexts in reached.items()}


@dataclass(frozen=True)
class GraphCounts:
    """What the summary of ``migrator analyze`` tells about a graph, kept with the state."""

    nodes: dict[str, int]
    edges: dict[str, int]
    named: dict[str, tuple[str, ...]]
    """Ids by kind for the summary: routes, models that are not abstract, events, tasks."""

    @classmethod
    def of(cls, graph_nodes: Mapping[str, Node], edges: dict[str, int]) -> GraphCounts:
        """From the graph's nodes and its count of edges by kind (``edge_counts``)."""
        nodes: dict[str, int] = {}
        named: dict[str, list[str]] = {"route": [], "model": [], "event": [], "task": []}
        for node in graph_nodes.values():
            kind = node.kind.value
            nodes[kind] = nodes.get(kind, 0) + 1
            if kind in named and not (kind == "model" and node.attrs.get("abstract")):
                named[kind].append(node.id)
        return cls(dict(sorted(nodes.items())), dict(sorted(edges.items())), {k: tuple(sorted(v)) for k, v in named.items()})


def edge_counts(edges: Iterable[tuple[str, str, str]]) -> dict[str, int]:
    """Edges by kind, from their keys."""
    counts: dict[str, int] = {}
    for _, _, kind in edges:
        counts[kind] = counts.get(kind, 0) + 1
    return counts
