"""The graph as data and in other formats: graph.json read back (migrator.graph/1) and as a
dict, GraphML and DOT. graph.json's text is written by ``graph_json``.

Everything is built as data and dumped, never concatenated as text, except DOT, whose
identifiers are all quoted and escaped.
"""

from __future__ import annotations

import io
import json
from typing import Any

from migrator.errors import InvalidGraph
from migrator.model.facts import Edge, EdgeKind, Node, NodeKind
from migrator.model.graph import DependencyGraph
from migrator.model.graph_schema import check_graph_document
from migrator.model.graph_json import SCHEMA_ID


def graph_to_dict(graph: DependencyGraph) -> dict[str, Any]:
    """The graph as a JSON-ready dict, sorted so that the same graph gives the same bytes."""
    nodes = []
    for node in graph.nodes():
        item: dict[str, Any] = {"id": node.id, "kind": node.kind.value, "file": node.file, "line": node.line}
        if node.contexts:
            item["contexts"] = list(node.contexts)
        if node.attrs:
            item["attrs"] = _sorted(node.attrs)
        nodes.append(item)
    edges = []
    for edge in graph.edges():
        item = {
            "source": edge.source,
            "target": edge.target,
            "kind": edge.kind.value,
            "weight": int(edge.weight) if float(edge.weight).is_integer() else edge.weight,
            "evidence": list(edge.evidence),
        }
        if edge.attrs:
            item["attrs"] = _sorted(edge.attrs)
        edges.append(item)
    return {"schema": SCHEMA_ID, "root": graph.root, "nodes": nodes, "edges": edges}


def graph_from_dict(data: Any, *, source: str = "graph") -> DependencyGraph:
    """Build a graph from a migrator.graph/1 document, written by us, by hand or by a converter;
    checked against graph.schema.json first, then for edges between nodes that exist."""
    check_graph_document(data, source=source)
    graph = DependencyGraph(str(data.get("root") or ""))
    for item in data["nodes"]:
        graph.add_node(_node(item))
    for index, item in enumerate(data.get("edges") or []):
        edge = _edge(item)
        for end in (edge.source, edge.target):
            if end not in graph:
                raise InvalidGraph(f"{source}: edges[{index}] refers to unknown node {end!r}", hint="add the node or drop the edge")
        graph.add_edge(edge)
    return graph


def loads_json(text: str, *, source: str = "graph") -> DependencyGraph:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidGraph(f"{source}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    return graph_from_dict(data, source=source)


def dumps_graphml(graph: DependencyGraph) -> str:
    """GraphML for Gephi, yEd and friends; lists become ``;``-separated strings."""
    import networkx as nx  # only here: ``migrator analyze`` writes graph.json without it

    out = nx.MultiDiGraph(name="migrator-graph", root=graph.root)
    for node in graph.nodes():
        out.add_node(
            node.id,
            kind=node.kind.value,
            file=node.file or "",
            line=node.line or 0,
            contexts=";".join(node.contexts),
        )
    for edge in graph.edges():
        out.add_edge(
            edge.source,
            edge.target,
            key=edge.kind.value,
            kind=edge.kind.value,
            weight=float(edge.weight),
            evidence=";".join(edge.evidence),
        )
    buffer = io.BytesIO()
    nx.write_graphml(out, buffer, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")


def dumps_dot(graph: DependencyGraph) -> str:
    """Graphviz DOT, one statement per line, every identifier quoted."""
    lines = ["digraph migrator {", "  rankdir=LR;", "  node [shape=box, fontsize=10];"]
    for node in graph.nodes():
        lines.append(f"  {dot_string(node.id)} [kind={dot_string(node.kind.value)}];")
    for edge in graph.edges():
        attrs = f"kind={dot_string(edge.kind.value)}, weight={edge.weight:g}, label={dot_string(edge.kind.value)}"
        lines.append(f"  {dot_string(edge.source)} -> {dot_string(edge.target)} [{attrs}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def dot_string(text: str) -> str:
    """A DOT double-quoted string (an identifier or a label) holding ``text``: the one quoting of
    DOT, for graph exports and the service picture alike."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _sorted(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _sorted(value[k]) for k in sorted(value)}
    if isinstance(value, (list, tuple)):
        return [_sorted(v) for v in value]
    return value


def _node(item: dict[str, Any]) -> Node:
    line = item.get("line")
    return Node(
        item["id"],
        NodeKind(item.get("kind", "module")),
        item.get("file"),
        int(line) if line is not None else None,
        tuple(item.get("contexts") or ()),
        dict(item.get("attrs") or {}),
    )


def _edge(item: dict[str, Any]) -> Edge:
    return Edge(
        item["source"],
        item["target"],
        EdgeKind(item.get("kind", "imports")),
        float(item.get("weight", 1.0)),
        tuple(item.get("evidence") or ()),
        dict(item.get("attrs") or {}),
    )
