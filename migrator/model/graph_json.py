"""graph.json's text (migrator.graph/1): the one writer of the format, line by line.

The file holds one node or edge per line, sorted (nodes by id, edges by source, target and
kind), so that it diffs well, is written fast (json's C encoder only runs without indentation,
so each item is encoded on its own) and can be patched in place: the engine replaces the lines
of the items that changed (``migrator.engine.patch``), finding them by their keys
(``node_id_of``, ``edge_key_of``) and the blocks by their delimiters (``blocks_of``).
``serialization.graph_to_dict`` is the same document as data.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import TYPE_CHECKING, Any

from migrator.model.facts import EdgeKind, NodeKind

if TYPE_CHECKING:
    from migrator.model.facts import Edge, Node
    from migrator.model.graph import DependencyGraph

SCHEMA_ID = "migrator.graph/1"

EdgeKey = tuple[str, str, str]
"""An edge's source, target and kind: what the edges block is sorted by."""


def dumps_json(graph: DependencyGraph) -> str:
    """graph.json of ``graph``."""
    return join_json(graph.root, [node_line(n) for n in graph.nodes()], [edge_line(e) for e in graph.edges()])


def join_json(root: str, node_lines: Sequence[str], edge_lines: Sequence[str]) -> str:
    """graph.json from its items' lines (``node_line``, ``edge_line``), already sorted."""
    return join_blocks(root, join_lines(node_lines), join_lines(edge_lines))


def join_lines(lines: Sequence[str]) -> str:
    """The block of graph.json that holds ``lines`` (the nodes' or the edges')."""
    return LINE_SEPARATOR.join(lines)


def nodes_block(nodes: Mapping[str, Node]) -> str:
    """The nodes' block of graph.json, from the nodes by id."""
    return join_lines([node_line(nodes[k]) for k in sorted(nodes)])


def edges_block(edges: Mapping[EdgeKey, Sequence[Any]]) -> str:
    """The edges' block of graph.json, from the edges' fields (``edge_line_of``) by key."""
    return join_lines(edge_lines([edges[k] for k in sorted(edges)]))


def joined_block(blocks: Iterable[bytes]) -> bytes:
    """One block of UTF-8 lines from consecutive ranges of it (empty ones left out)."""
    return _SEPARATOR.join([block for block in blocks if block])


LINE_SEPARATOR = ",\n"
"""Between two items' lines in a block of graph.json."""
_SEPARATOR = LINE_SEPARATOR.encode()
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


def join_pieces(head: bytes | memoryview, nodes: Iterable[bytes | memoryview], edges: Iterable[bytes | memoryview]) -> bytes:
    """graph.json from the ``head`` of a text ``blocks_of`` split and the pieces of its two blocks
    (neither empty), each block's pieces joined end to end."""
    return b"".join([head, *nodes, EDGES_START, *edges, GRAPH_END])


def blocks_of(text: bytes) -> tuple[int, int, int, int] | None:
    """Where the blocks of a graph.json (UTF-8) that ``join_blocks`` wrote lie: the nodes'
    ``start:nodes_end`` and the edges' ``edges_start:end`` (the head is ``text[:start]``); None
    when the text is not as ``join_blocks`` writes it, or a block is empty."""
    nodes_at = text.find(NODES_START)
    edges_at = text.find(EDGES_START, nodes_at)
    if nodes_at < 0 or edges_at < 0 or not text.endswith(GRAPH_END):
        return None
    start, end = nodes_at + len(NODES_START), len(text) - len(GRAPH_END)
    if start >= edges_at or edges_at + len(EDGES_START) >= end:
        return None
    return start, edges_at, edges_at + len(EDGES_START), end


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


# -- reading a line back: its key, and what a patch asks of it without decoding it ---------------

ROUTE_MARK = f'"kind": "{NodeKind.ROUTE.value}"'.encode()
"""In a node's line (UTF-8): the node is a route."""
CONTEXTS_MARK = b'"contexts": ['
"""In a node's line (UTF-8): the node has contexts (the routes that reach it)."""


def node_id_of(line: bytes) -> str:
    """The id of a node line (``  {"id": "...", "kind": ...``): encoded strings hold no ``", "``."""
    return _decoded(_after(line.split(b'", "', 1)[0], b'  {"id": "'))


def edge_key_of(line: bytes) -> EdgeKey:
    """The key (source, target, kind) of an edge line."""
    source, target, kind, _ = line.split(b'", "', 3)
    return (_decoded(_after(source, b'  {"source": "')), _decoded(_after(target, b'target": "')), _after(kind, b'kind": "').decode())


def _decoded(text: bytes) -> str:
    return json.loads(b'"' + text + b'"') if b"\\" in text else text.decode()


def _after(field: bytes, prefix: bytes) -> bytes:
    if not field.startswith(prefix):
        raise ValueError(f"not a line of graph.json: {field[:40]!r}")
    return field[len(prefix) :]


# -- encoding ------------------------------------------------------------------------------------

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
