"""graph.json patched where the contributions changed, instead of merged and written again.

A warm run after an edit changes a few contributions a little: one module's symbols, or the places
that an edit moved (``relocation``). Merging and writing the whole graph costs more than the rest
of such a run, so the previous run's text is patched instead:

- the items that can differ are those the changed packs name, old or new (``Changes``); a node
  that appears or disappears also changes every edge that touches it;
- each such item is merged again from every contribution, exactly as the full merge would, and its
  line replaces, joins or leaves the old text (lines are sorted by id and by edge key, so a line's
  place is found by bisection);
- the routes' business contexts are worked out again only when a route came or went, or an edge
  along which they spread came or went from a node that a route reached (any other edge leaves
  what each route reaches as it was); the nodes whose contexts changed are written again too;
- the counts of the summary are the previous counts plus the difference.

When too much changed, the full merge is cheaper, and ``patch_graph`` returns None.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from analyzers.base import SourceFile
from migrator.engine.merge import CONTEXT_EDGES, GraphCounts, assemble_nodes, merge_packed_edges, reached_contexts
from migrator.engine.packing import Packed, PackedEdge, unpack_nodes
from migrator.model.facts import Node, NodeKind
from migrator.model.graph_json import (
    CONTEXTS_MARK,
    LINE_SEPARATOR,
    ROUTE_MARK,
    EdgeKey,
    blocks_of,
    edge_key_of,
    edge_line_of,
    join_pieces,
    node_id_of,
    node_line,
)

MOST_CHANGED = 0.2
"""Above this share of the edges changed, the full merge is cheaper than a patch..."""
FEW_CHANGED = 200
"""...but a patch of this many edges is cheap however small the graph."""

_CONTEXT_KINDS = frozenset(kind.value for kind in CONTEXT_EDGES)
_SEPARATOR = LINE_SEPARATOR.encode()


@dataclass
class Changes:
    """The packed nodes and edges that differ between the previous contributions and these."""

    nodes: set[str] = field(default_factory=set)
    edges: set[EdgeKey] = field(default_factory=set)

    def add(self, old: Packed | None, new: Packed | None) -> None:
        """What differs between two packs of one contribution (a missing pack: all of the other)."""
        old_nodes, new_nodes = (old.nodes if old else []), (new.nodes if new else [])
        old_edges, new_edges = (old.edges if old else []), (new.edges if new else [])
        self.nodes.update(item[0] for item in _differing(old_nodes, new_nodes))
        self.edges.update((item[0], item[1], item[2]) for item in _differing(old_edges, new_edges))


def _differing(old: Sequence[Any], new: Sequence[Any]) -> Iterable[Any]:
    """Items of either list not matched by the other's item at the same position (a relinked or
    relocated pack keeps its order), or all of both when their lengths differ."""
    if len(old) != len(new):
        yield from old
        yield from new
        return
    for a, b in zip(old, new):
        if a != b:
            yield a
            yield b


@dataclass
class Patched:
    text: bytes
    counts: GraphCounts


def patch_graph(
    text: bytes,
    counts: GraphCounts,
    changes: Changes,
    files: Sequence[SourceFile],
    packs: Sequence[Packed],
) -> Patched | None:
    """The previous graph.json (UTF-8 ``text``, with its ``counts``) brought up to date with ``changes``,
    given every file and every contribution's packs in merge order; None if a full merge is due
    (too much changed, or the text is not as ``join_blocks`` writes it)."""
    try:
        return _patched(text, counts, changes, files, packs)
    except (ValueError, KeyError, IndexError, TypeError):  # JSONDecodeError and UnicodeDecodeError too
        return None


def _patched(text: bytes, counts: GraphCounts, changes: Changes, files: Sequence[SourceFile], packs: Sequence[Packed]) -> Patched | None:
    split = _split(text)
    if split is None:
        return None
    head, node_at, edge_at = split
    most = max(MOST_CHANGED * len(edge_at), FEW_CHANGED)
    if len(changes.edges) > most:
        return None
    affected_nodes = set(changes.nodes)
    nodes = _merged_nodes(affected_nodes, files, packs)
    was_there = {n: node_at.find(n) is not None for n in affected_nodes}
    appeared = {n for n in affected_nodes if n in nodes and not was_there[n]}
    vanished = {n for n in affected_nodes if n not in nodes and was_there[n]}
    affected_edges = set(changes.edges)
    if appeared or vanished:
        ends = appeared | vanished
        affected_edges.update(
            (e[0], e[1], e[2]) for pack in packs for e in pack.edges if e[0] in ends or e[1] in ends
        )
    if len(affected_edges) > most:
        return None
    sources = {key[0] for key in affected_edges}
    edges = merge_packed_edges(
        _Present(node_at, appeared, vanished),
        [[e for e in pack.edges if e[0] in sources and (e[0], e[1], e[2]) in affected_edges] for pack in packs],
    )
    if _spreads(node_at, edge_at, affected_edges, edges, nodes, appeared, vanished):
        contexts = _contexts_again(node_at, appeared, vanished, affected_nodes, nodes, files, packs)
    else:
        contexts = _contexts_as_they_were(node_at, affected_nodes)

    node_lines = {n: node_line(_with_contexts(nodes[n], contexts.get(n, ()))).encode() for n in affected_nodes if n in nodes}
    edge_lines = {key: edge_line_of(*edges[key]).encode() for key in affected_edges if key in edges}
    new_counts = _counts(counts, node_at, edge_at, affected_edges, edges, affected_nodes, nodes)
    node_block = node_at.replaced(affected_nodes, node_lines)
    edge_block = edge_at.replaced(affected_edges, edge_lines)
    if not node_block or not edge_block:
        return None  # ``join_blocks`` writes an empty block otherwise
    return Patched(join_pieces(head, node_block, edge_block), new_counts)


def _spreads(
    node_at: _Block,
    edge_at: _Block,
    affected_edges: set[EdgeKey],
    edges: dict[EdgeKey, PackedEdge],
    nodes: dict[str, Node],
    appeared: set[str],
    vanished: set[str],
) -> bool:
    """Whether the routes' contexts can have moved: only along an edge that came or went from a
    node a route reached (or a route), or with a route that came or went; any other edge leaves
    what each route reaches as it was."""
    return any(
        key[2] in _CONTEXT_KINDS and (edge_at.find(key) is not None) != (key in edges) and _reached_before(node_at, key[0])
        for key in affected_edges
    ) or any(_is_route(nodes.get(n)) for n in appeared) or any(ROUTE_MARK in (node_at.line(n) or b"") for n in vanished)


def _contexts_again(
    node_at: _Block,
    appeared: set[str],
    vanished: set[str],
    affected_nodes: set[str],
    nodes: dict[str, Node],
    files: Sequence[SourceFile],
    packs: Sequence[Packed],
) -> dict[str, tuple[str, ...]]:
    """The contexts of the affected nodes, worked out again from every route; the nodes whose
    contexts moved join ``affected_nodes`` (and ``nodes``, merged), to be written again too."""
    old_node_lines = node_at.lines()
    old_contexts = {node_id_of(line): tuple(json.loads(line)["contexts"]) for line in old_node_lines if CONTEXTS_MARK in line}
    routes = {node_id_of(line) for line in old_node_lines if ROUTE_MARK in line}
    routes |= {n for n in appeared if _is_route(nodes.get(n))}
    routes -= vanished
    follow = (e for pack in packs for e in pack.edges)
    ids = ({node_id_of(line) for line in old_node_lines} | appeared) - vanished
    new_contexts = reached_contexts(ids, sorted(routes), follow)
    moved = {n for n in old_contexts.keys() | new_contexts.keys() if old_contexts.get(n) != new_contexts.get(n)}
    moved -= affected_nodes
    nodes.update(_merged_nodes(moved, files, packs))
    affected_nodes |= moved
    return {n: new_contexts.get(n, ()) for n in affected_nodes}


def _contexts_as_they_were(node_at: _Block, affected_nodes: set[str]) -> dict[str, tuple[str, ...]]:
    contexts = {}
    for n in affected_nodes:
        old = node_at.line(n)
        contexts[n] = tuple(json.loads(old).get("contexts", ())) if old is not None and CONTEXTS_MARK in old else ()
    return contexts


def _split(text: bytes) -> tuple[memoryview, _Block, _Block] | None:
    """The head (up to the first node) and the node and edge blocks of a graph.json that
    ``join_blocks`` wrote; views of ``text``, not copies (it is tens of megabytes)."""
    found = blocks_of(text)
    if found is None:
        return None
    start, nodes_end, edges_start, end = found
    return memoryview(text)[:start], _Block(text, start, nodes_end, node_id_of), _Block(text, edges_start, end, edge_key_of)


class _Block:
    """The sorted lines of one block, the stretch ``start:end`` of a graph.json's text, joined
    by the separator, and the key each line is sorted by. Lines are found by bisecting the text
    itself and parsed only where looked at, and the patched block is made of views of the text
    and the new lines, so a patch costs little more than the few lines it touches and one copy
    of the text (when the result is joined)."""

    def __init__(self, text: bytes, start: int, end: int, key: Callable[[bytes], Any]) -> None:
        self.text, self.start, self.end = text, start, end
        self.key = key
        self._found: dict[Any, tuple[int, bool]] = {}

    def __len__(self) -> int:
        return self.text.count(b"\n", self.start, self.end) + 1

    def lines(self) -> list[bytes]:
        return self.text[self.start : self.end].split(_SEPARATOR)

    def _end(self, start: int) -> int:
        """Where the line that starts at ``start`` ends, separator included (for the last line,
        where its separator would end)."""
        newline = self.text.find(b"\n", start, self.end)
        return self.end + len(_SEPARATOR) if newline < 0 else newline + 1

    def _key_at(self, start: int) -> Any:
        return self.key(self.text[start : self._end(start) - len(_SEPARATOR)])

    def position(self, key: Any, lo: int | None = None) -> int:
        """The offset of the first line whose key is not below ``key`` (past the end if none),
        at or after ``lo`` (a line's start)."""
        text, hi = self.text, self.end + len(_SEPARATOR)
        lo = self.start if lo is None else lo
        while lo < hi:
            mid = (lo + hi) // 2
            newline = text.rfind(b"\n", lo, min(mid, self.end))
            start = lo if newline < 0 else newline + 1  # the start of the line that holds mid
            if self._key_at(start) < key:
                lo = self._end(start)
            else:
                hi = start
        return lo

    def find(self, key: Any, lo: int | None = None) -> int | None:
        """The offset of the line of ``key``, or None."""
        at, there = self._look(key, lo)
        return at if there else None

    def _look(self, key: Any, lo: int | None = None) -> tuple[int, bool]:
        """(where ``key``'s line is or would go, whether it is there), remembered."""
        found = self._found.get(key)
        if found is None:
            at = self.position(key, lo)
            there = at < self.end and self._key_at(at) == key
            found = self._found[key] = (at, there)
        return found

    def line(self, key: Any) -> bytes | None:
        at = self.find(key)
        return None if at is None else self.text[at : self._end(at) - len(_SEPARATOR)]

    def replaced(self, affected: set[Any], lines: dict[Any, bytes]) -> list[bytes | memoryview]:
        """The block with each affected key's line replaced, added or removed (``lines`` holds
        the affected keys that are still there), as pieces to be joined: views of the text
        between the affected lines, and the new lines. Empty when no line is left."""
        text, end = memoryview(self.text), self.end
        pieces: list[bytes | memoryview] = []

        def stretch(a: int, b: int) -> None:
            """The lines from ``a`` to ``b`` (line starts, or past the end), each with its
            separator: the last line has none in the text, so one is added."""
            if a >= b:
                return
            if b <= end:
                pieces.append(text[a:b])
                return
            pieces.append(text[a:end])
            pieces.append(_SEPARATOR)

        start = self.start
        for key in sorted(affected):
            at, there = self._look(key, start)
            stretch(start, at)
            start = self._end(at) if there else at
            if key in lines:
                pieces.append(lines[key] + _SEPARATOR)
        stretch(start, end + len(_SEPARATOR))
        if not pieces:
            return []
        last = pieces.pop()  # every piece ends with a separator: the block's last one goes
        if len(last) > len(_SEPARATOR):
            pieces.append(last[: -len(_SEPARATOR)])
        return pieces


class _Present:
    """The ids of the patched graph's nodes: the old ones (looked up in their lines), less those
    that vanished, plus those that appeared."""

    def __init__(self, old: _Block, appeared: set[str], vanished: set[str]) -> None:
        self.old, self.appeared, self.vanished = old, appeared, vanished

    def __contains__(self, node_id: object) -> bool:
        if node_id in self.appeared:
            return True
        return node_id not in self.vanished and self.old.find(node_id) is not None


def _merged_nodes(ids: set[str], files: Sequence[SourceFile], packs: Sequence[Packed]) -> dict[str, Node]:
    """The nodes ``ids`` as the full merge makes them (without contexts); absent ones are left out."""
    if not ids:
        return {}
    wanted = [file for file in files if file.module in ids]
    lists = [unpack_nodes(n for n in pack.nodes if n[0] in ids) for pack in packs]
    return assemble_nodes(wanted, lists)


def _reached_before(node_at: _Block, node_id: str) -> bool:
    """Whether the previous graph had ``node_id`` as a route or as a node that a route reaches
    (one with contexts). A test of its line's text: a false yes only costs a recomputation."""
    line = node_at.line(node_id)
    return line is not None and (CONTEXTS_MARK in line or ROUTE_MARK in line)


def _is_route(node: Node | None) -> bool:
    return node is not None and node.kind is NodeKind.ROUTE


def _with_contexts(node: Node, contexts: tuple[str, ...]) -> Node:
    """The node as the full merge writes it: its contexts are the routes that reach it (no
    analyzer sets contexts of its own)."""
    return Node(node.id, node.kind, node.file, node.line, contexts, node.attrs)


def _counts(
    counts: GraphCounts,
    node_at: _Block,
    edge_at: _Block,
    affected_edges: set[EdgeKey],
    edges: dict[EdgeKey, PackedEdge],
    affected_nodes: set[str],
    nodes: dict[str, Node],
) -> GraphCounts:
    """The previous counts, less the affected items as they were, plus them as they are."""
    node_counts = dict(counts.nodes)
    named = {kind: set(ids) for kind, ids in counts.named.items()}
    for n in affected_nodes:
        old = node_at.line(n)
        if old is not None:
            item = json.loads(old)
            _count(node_counts, named, item["id"], item["kind"], bool(item.get("attrs", {}).get("abstract")), -1)
        if n in nodes:
            node = nodes[n]
            _count(node_counts, named, node.id, node.kind.value, bool(node.attrs.get("abstract")), 1)
    edge_counts = dict(counts.edges)
    for key in affected_edges:
        if edge_at.find(key) is not None:
            edge_counts[key[2]] -= 1
        if key in edges:
            edge_counts[key[2]] = edge_counts.get(key[2], 0) + 1
    return GraphCounts(
        {k: v for k, v in sorted(node_counts.items()) if v},
        {k: v for k, v in sorted(edge_counts.items()) if v},
        {kind: tuple(sorted(ids)) for kind, ids in named.items()},
    )


def _count(counts: dict[str, int], named: dict[str, set[str]], node_id: str, kind: str, abstract: bool, step: int) -> None:
    counts[kind] = counts.get(kind, 0) + step
    if kind in named and not (kind == "model" and abstract):
        (named[kind].add if step > 0 else named[kind].discard)(node_id)

