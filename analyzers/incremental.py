"""What a run keeps of its link for the next one, and the graph built from the contributions.

A warm run reuses an analyzer's contribution when everything its link reads is unchanged: the
set of modules, every summary and that analyzer's facts (as digests of their pickles), the
options, and the files it cannot see through the scan (``outside_signature``). An analyzer that
reads only part of the summaries says which (``Analyzer.summary_view``): the imports link reads
the import statements alone, so a renamed function leaves it as it was. An analyzer with
``per_module`` (symbols) goes further: while no module's interface changed, only the modules
whose own summary or facts changed are linked again. When every contribution is the same as
last time, the graph is too, and its graph.json text and counts are taken as they were written.
An edit that only moves lines (or adds definitions nothing else names) keeps the whole-program
contributions too, with their places moved (``relocation``), and graph.json is patched where the
contributions changed (``graph_patch``); the routes' contexts are worked out again only when an
edge came or went from a node that a route reached.

The cache folder holds ``state.pickle`` (small: fingerprints, counts, skipped and notes),
``parts.marshal`` (every contribution, packed as tuples) and ``graph.json`` (the last graph's
text), so that a run that changed nothing reads only the first and the text; it builds the
``DependencyGraph`` from the parts only if someone asks for it.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import pickle
import threading
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analyzers.base import Contribution, Skipped, SourceFile
from migrator.model.facts import Edge, EdgeKind, Node, NodeKind, merge_edges
from migrator.model.graph import merge_nodes
from migrator.model.serialization import edge_lines, join_lines, node_line

CONTEXT_EDGES = (EdgeKind.HANDLES, EdgeKind.CALLS, EdgeKind.READS, EdgeKind.WRITES)
"""A route's business context spreads from its handler along these edges."""

PackedNode = tuple[str, str, "str | None", "int | None", tuple[str, ...], dict[str, Any]]
PackedEdge = tuple[str, str, str, float, tuple[str, ...], dict[str, Any]]
_NODE_KINDS = {kind.value: kind for kind in NodeKind}
_EDGE_KINDS = {kind.value: kind for kind in EdgeKind}


def fingerprint(*parts: Any) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


# -- packing: tuples pickle an order of magnitude faster than dataclasses ----------------------


def pack_nodes(nodes: Iterable[Node]) -> list[PackedNode]:
    return [(n.id, n.kind.value, n.file, n.line, n.contexts, n.attrs) for n in nodes]


def pack_edges(edges: Iterable[Edge]) -> list[PackedEdge]:
    return [(e.source, e.target, e.kind.value, e.weight, e.evidence, e.attrs) for e in edges]


def unpack_nodes(packed: Iterable[PackedNode]) -> list[Node]:
    # the values were a valid Node's when packed: rebuild without the frozen __init__'s checks
    new = object.__new__
    nodes = []
    for id_, kind, file, line, contexts, attrs in packed:
        node = new(Node)
        node.__dict__.update(id=id_, kind=_NODE_KINDS[kind], file=file, line=line, contexts=contexts, attrs=attrs)
        nodes.append(node)
    return nodes


def unpack_edges(packed: Iterable[PackedEdge]) -> list[Edge]:
    new = object.__new__
    edges = []
    for source, target, kind, weight, evidence, attrs in packed:
        edge = new(Edge)
        edge.__dict__.update(source=source, target=target, kind=_EDGE_KINDS[kind], weight=weight, evidence=evidence, attrs=attrs)
        edges.append(edge)
    return edges


@dataclass
class Packed:
    """A contribution as kept between runs."""

    nodes: list[PackedNode] = field(default_factory=list)
    edges: list[PackedEdge] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    reads: frozenset[str] | None = None
    """``Contribution.reads``: kept with the part, for the next run."""

    @classmethod
    def of(cls, contribution: Contribution) -> Packed:
        return cls(pack_nodes(contribution.nodes), pack_edges(contribution.edges), contribution.skipped, contribution.notes, contribution.reads)


def freeze_packed(packed: Packed) -> tuple[Any, ...]:
    """A pack as plain values, for ``marshal``: four times faster to write than a pickle."""
    return (packed.nodes, packed.edges, [(s.relpath, s.reason, s.line) for s in packed.skipped], packed.notes, packed.reads)


def thaw_packed(frozen: tuple[Any, ...]) -> Packed:
    nodes, edges, skipped, notes, reads = frozen
    return Packed(nodes, edges, [Skipped(*s) for s in skipped], notes, reads)


def freeze_part(part: Packed | Mapping[str, Packed]) -> Any:
    """One contribution (a pack, or a pack per module) as plain values."""
    return {m: freeze_packed(p) for m, p in part.items()} if isinstance(part, Mapping) else freeze_packed(part)


def thaw_part(frozen: Any) -> Packed | dict[str, Packed]:
    return {m: thaw_packed(p) for m, p in frozen.items()} if isinstance(frozen, dict) else thaw_packed(frozen)


def freeze_parts(parts: Mapping[str, Any]) -> dict[str, Any]:
    """Every contribution as plain values (``freeze_part``)."""
    return {name: freeze_part(part) for name, part in parts.items()}


def thaw_parts(frozen: dict[str, Any]) -> dict[str, Any]:
    return {name: thaw_part(part) for name, part in frozen.items()}


# -- the graph from the contributions -----------------------------------------------------------


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


EdgeKey = tuple[str, str, str]


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


def nodes_block(nodes: Mapping[str, Node]) -> str:
    return join_lines([node_line(nodes[k]) for k in sorted(nodes)])


def edges_block(edges: Mapping[EdgeKey, PackedEdge]) -> str:
    return join_lines(edge_lines([edges[k] for k in sorted(edges)]))


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


# -- the state kept between runs ------------------------------------------------------------------


@dataclass
class LinkState:
    """The previous run's link: fingerprints of what each contribution was made from."""

    key: str
    fingerprints: dict[str, str | None] = field(default_factory=dict)
    """Analyzer -> fingerprint of its inputs (None: not reusable)."""
    module_digests: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    """Per-module analyzer -> module -> digests of the inputs of its part."""
    shape: str = ""
    """Fingerprint of the module set and every interface (per-module reuse needs it unchanged)."""
    module_set: str = ""
    """Fingerprint of the module set alone (a patched graph.json needs it unchanged)."""
    interfaces: dict[str, str] = field(default_factory=dict)
    """Module -> the digest of what other modules' links see of it (``interface_digest``)."""
    result: str = ""
    """Fingerprint of every contribution: the graph depends on nothing else."""
    counts: GraphCounts | None = None
    skipped: dict[str, list[Skipped]] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)


_SAVES: list[threading.Thread] = []


def wait_for_saves() -> None:
    """Wait until every link state saved in the background is on disk."""
    while _SAVES:
        _SAVES.pop().join()


class LinkStore:
    """The files of the link state in a cache folder (or nowhere, without a cache).

    The last writes of a run (graph.json, then the state) go on in a thread while the caller
    goes on (writing its own graph.json, say): a 40 MB write is a tenth of a second. A store
    opened on the folder waits for them, and so does the interpreter before it exits.
    """

    def __init__(self, folder: Path | None, key: str) -> None:
        wait_for_saves()
        self.folder = folder
        self.key = key

    def load_state(self) -> LinkState | None:
        state = self._read("state.pickle")
        return state if isinstance(state, LinkState) and state.key == self.key else None

    def load_parts(self) -> dict[str, Any]:
        if self.folder is None:
            return {}
        try:
            return thaw_parts(marshal.loads((self.folder / "parts.marshal").read_bytes()))
        except Exception:  # missing, torn or from another version of Python: as if absent
            return {}

    def load_json(self) -> bytes | None:
        """The last graph's graph.json, UTF-8."""
        if self.folder is None:
            return None
        try:
            return (self.folder / "graph.json").read_bytes()
        except OSError:
            return None

    def save_parts(self, parts: Mapping[str, Any]) -> None:
        """The first half of a save: every contribution. The state that names them is removed
        first, so that until ``save_result`` a reader finds no state and reuses nothing."""
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "state.pickle").unlink(missing_ok=True)
        self._write("parts.marshal", lambda handle: handle.write(marshal.dumps(freeze_parts(parts))))

    def save_result(self, state: LinkState, text: bytes, *, first: Callable[[], object] | None = None) -> None:
        """The second half, in the background: ``first`` (the wait for the first half, when a
        child makes it), the graph's text, then the state (last: it names the result the other
        files hold)."""
        if self.folder is None:
            if first is not None:
                first()
            return

        def save() -> None:
            try:
                if first is not None:
                    first()
                self.save_json(text)
                self.save_state(state)
            except Exception:  # noqa: BLE001 - a cache that cannot be written is only not there next time
                with contextlib.suppress(OSError):
                    self.forget_state()

        saver = threading.Thread(target=save, name="migrator-link-save")
        _SAVES.append(saver)
        saver.start()

    def forget_state(self) -> None:
        """Remove the state first when the other files are written out of order (in two processes)."""
        if self.folder is not None:
            (self.folder / "state.pickle").unlink(missing_ok=True)

    def save_json(self, text: bytes) -> None:
        if self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._write("graph.json", lambda handle: handle.write(text))

    def save_state(self, state: LinkState) -> None:
        if self.folder is not None:
            self._write("state.pickle", lambda handle: pickle.dump(state, handle, protocol=pickle.HIGHEST_PROTOCOL))

    def _read(self, name: str) -> Any:
        if self.folder is None:
            return None
        try:
            with (self.folder / name).open("rb") as handle:
                return pickle.load(handle)
        except Exception:  # missing, torn or from another version: as if absent
            return None

    def _write(self, name: str, dump: Any) -> None:
        assert self.folder is not None
        temporary = self.folder / f"{name}.{os.getpid()}.tmp"
        with temporary.open("wb") as handle:
            dump(handle)
        os.replace(temporary, self.folder / name)
