"""Reading and writing the graph: graph.json (migrator.graph/1), GraphML and DOT.

Everything is built as data and dumped, never concatenated as text, except DOT, whose
identifiers are all quoted and escaped.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Sequence
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import Any

from migrator.errors import InvalidGraph
from migrator.model.facts import EDGE_KINDS, NODE_KINDS, Edge, EdgeKind, Node, NodeKind
from migrator.model.graph import DependencyGraph

SCHEMA_ID = "migrator.graph/1"


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
    """Build a graph from a migrator.graph/1 document, written by us, by hand or by a converter."""
    if not isinstance(data, dict) or not isinstance(data.get("nodes"), list):
        raise InvalidGraph(
            f"{source} is not a migrator graph: it needs a 'nodes' list",
            hint="write it with `migrator analyze SRC -o graph.json` or follow docs/graph.schema.json",
        )
    if data.get("schema", SCHEMA_ID) != SCHEMA_ID:
        raise InvalidGraph(f"{source} has schema {data.get('schema')!r}, expected {SCHEMA_ID!r}")
    graph = DependencyGraph(str(data.get("root") or ""))
    for index, item in enumerate(data["nodes"]):
        graph.add_node(_node(item, f"{source}: nodes[{index}]"))
    for index, item in enumerate(data.get("edges") or []):
        where = f"{source}: edges[{index}]"
        edge = _edge(item, where)
        for end in (edge.source, edge.target):
            if end not in graph:
                raise InvalidGraph(f"{where} refers to unknown node {end!r}", hint="add the node or drop the edge")
        graph.add_edge(edge)
    return graph


def dumps_json(graph: DependencyGraph) -> str:
    """graph.json with one node or edge per line: diff-friendly, and fast (json's C encoder
    only runs without indentation, so each item is encoded on its own)."""
    return join_json(graph.root, [node_line(n) for n in graph.nodes()], [edge_line(e) for e in graph.edges()])


def join_json(root: str, node_lines: Sequence[str], edge_lines: Sequence[str]) -> str:
    """graph.json from its items' lines (``node_line``, ``edge_line``), already sorted."""
    return join_blocks(root, join_lines(node_lines), join_lines(edge_lines))


def join_lines(lines: Sequence[str]) -> str:
    """The block of graph.json that holds ``lines`` (the nodes' or the edges')."""
    return LINE_SEPARATOR.join(lines)


LINE_SEPARATOR = ",\n"
"""Between two items' lines in a block of graph.json."""
_NODES_OPEN = ' "nodes": ['
_EDGES_OPEN = ' ],\n "edges": ['
_CLOSE = " ]\n}\n"
# where a reader of graph.json's bytes finds the blocks (both blocks written, not empty)
NODES_START = f"{_NODES_OPEN}\n".encode()
EDGES_START = f"\n{_EDGES_OPEN}\n".encode()
GRAPH_END = f"\n{_CLOSE}".encode()


def join_blocks(root: str, nodes: str, edges: str) -> str:
    """graph.json from its two blocks (``join_lines``)."""
    return "\n".join(part for part in (_head(root), nodes, _EDGES_OPEN, edges, _CLOSE) if part)


def join_blocks_utf8(root: str, nodes: bytes, edges: bytes) -> bytes:
    """``join_blocks`` of blocks already encoded as UTF-8: graph.json as it is written."""
    parts = (_head(root).encode(), nodes, _EDGES_OPEN.encode(), edges, _CLOSE.encode())
    return b"\n".join(part for part in parts if part)


def _head(root: str) -> str:
    return _encode({"schema": SCHEMA_ID, "root": root})[:-1] + ",\n" + _NODES_OPEN


def node_line(node: Node) -> str:
    """One node of graph.json, as ``graph_to_dict`` has it, encoded without building the dict."""
    text = f'  {{"id": {_string(node.id)}, "kind": {_string(node.kind)}, "file": {_scalar(node.file)}, "line": {_scalar(node.line)}'
    if node.contexts:
        text += f', "contexts": {_strings(node.contexts)}'
    if node.attrs:
        text += f', "attrs": {_attrs(node.attrs)}'
    return text + "}"


def edge_line(edge: Edge) -> str:
    """One edge of graph.json, as ``graph_to_dict`` has it, encoded without building the dict."""
    return edge_line_of(edge.source, edge.target, edge.kind, edge.weight, edge.evidence, edge.attrs)


def edge_line_of(source: str, target: str, kind: str, weight: float, evidence: Sequence[str], attrs: dict[str, Any]) -> str:
    """``edge_line`` of an edge given by its fields (as the analysis packs them)."""
    return edge_lines([(source, target, kind, weight, evidence, attrs)])[0]


def edge_lines(edges: Iterable[Sequence[Any]]) -> list[str]:
    """``edge_line_of`` of many edges given by their fields: graph.json's longest block (Django
    has 100,000 edges), so its parts are taken once here rather than once per edge."""
    string, strings, encode, encode_attrs, kinds = _string, _strings, _encode, _attrs, _KINDS
    lines = []
    for source, target, kind, weight, evidence, attrs in edges:
        shown = str(int(weight)) if float(weight).is_integer() else encode(weight)
        kind_text = kinds.get(kind) or string(kind)
        if attrs:
            lines.append(
                f'  {{"source": {string(source)}, "target": {string(target)}, "kind": {kind_text}, "weight": {shown}, '
                f'"evidence": {strings(evidence)}, "attrs": {encode_attrs(attrs)}}}'
            )
        else:
            lines.append(
                f'  {{"source": {string(source)}, "target": {string(target)}, "kind": {kind_text}, "weight": {shown}, '
                f'"evidence": {strings(evidence)}}}'
            )
    return lines


_encode = json.JSONEncoder(ensure_ascii=False).encode
_encode_sorted = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode
_string = encode_basestring
_KINDS = {kind.value: _string(kind.value) for kind in EdgeKind}


_ATTRS_SEEN: dict[tuple[Any, ...], str] = {}
_FLAT = frozenset({str, bool, int, float, type(None)})


def _attrs(attrs: dict[str, Any]) -> str:
    """Attributes with sorted keys; the few flat shapes that recur (``{"result_unused": false}``)
    are encoded once. The key holds the types, since ``True == 1`` and ``1 == 1.0``."""
    types = tuple(map(type, attrs.values()))
    if not _FLAT.issuperset(types):
        return _encode_sorted(attrs)
    key = (tuple(attrs.items()), types)
    found = _ATTRS_SEEN.get(key)
    if found is None:
        found = _encode_sorted(attrs)
        if len(_ATTRS_SEEN) < 10_000:
            _ATTRS_SEEN[key] = found
    return found


def _strings(values: Sequence[str]) -> str:
    return "[" + ", ".join(map(_string, values)) + "]"


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if type(value) is str:
        return _string(value)
    if type(value) is int:
        return str(value)
    return _encode(value)


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
        lines.append(f"  {_quote(node.id)} [kind={_quote(node.kind.value)}];")
    for edge in graph.edges():
        attrs = f"kind={_quote(edge.kind.value)}, weight={edge.weight:g}, label={_quote(edge.kind.value)}"
        lines.append(f"  {_quote(edge.source)} -> {_quote(edge.target)} [{attrs}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _sorted(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _sorted(value[k]) for k in sorted(value)}
    if isinstance(value, (list, tuple)):
        return [_sorted(v) for v in value]
    return value


def _node(item: Any, where: str) -> Node:
    if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item["id"]:
        raise InvalidGraph(f"{where} needs a non-empty string 'id'")
    kind = item.get("kind", "module")
    if kind not in NODE_KINDS:
        raise InvalidGraph(f"{where} has unknown kind {kind!r}", hint=f"use one of {', '.join(NODE_KINDS)}")
    line = item.get("line")
    return Node(
        item["id"],
        NodeKind(kind),
        item.get("file"),
        int(line) if isinstance(line, (int, float)) else None,
        tuple(item.get("contexts") or ()),
        dict(item.get("attrs") or {}),
    )


def _edge(item: Any, where: str) -> Edge:
    if not isinstance(item, dict) or not all(isinstance(item.get(k), str) for k in ("source", "target")):
        raise InvalidGraph(f"{where} needs string 'source' and 'target'")
    kind = item.get("kind", "imports")
    if kind not in EDGE_KINDS:
        raise InvalidGraph(f"{where} has unknown kind {kind!r}", hint=f"use one of {', '.join(EDGE_KINDS)}")
    weight = item.get("weight", 1.0)
    if not isinstance(weight, (int, float)) or weight < 0:
        raise InvalidGraph(f"{where} has weight {weight!r}; it must be a number >= 0")
    return Edge(
        item["source"],
        item["target"],
        EdgeKind(kind),
        float(weight),
        tuple(item.get("evidence") or ()),
        dict(item.get("attrs") or {}),
    )
