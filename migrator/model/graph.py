"""The dependency graph: the one place of the toolkit that knows networkx (for its exporters: the
graph itself is kept in plain dicts, ``_Store``, so that a run that reads the graph never imports it)."""

from __future__ import annotations

import gc
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import networkx as nx

from migrator.model.facts import Edge, EdgeKind, Node, NodeKind, merge_edges

T = TypeVar("T")

CODE_KINDS = frozenset({NodeKind.PACKAGE, NodeKind.MODULE, NodeKind.CLASS, NodeKind.FUNCTION, NodeKind.MODEL})


@contextmanager
def uncollected(*, freeze: bool = False) -> Iterator[None]:
    """Python's cyclic garbage collector off within the block, as it was after: for work that
    makes many objects and few reference cycles (a graph's nodes and edges, a generated system's
    paths and texts), where each collection it sets off walks every object alive for nothing.
    With ``freeze``, what is alive at the end is moved out of the collector's sight
    (``gc.freeze``), so that its next pass does not walk it all once more."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if freeze:
                gc.freeze()
            gc.enable()


class DependencyGraph:
    """Nodes and typed, weighted edges of a monolith, with verbs to query them.

    Adding an edge that already exists (same source, target and kind) merges the two:
    weights add up and evidence is united.
    """

    def __init__(self, root: str = "") -> None:
        self.root = root
        self._g = _Store()

    @classmethod
    def from_merged(cls, root: str, nodes: Iterable[Node], edges: Iterable[Edge]) -> DependencyGraph:
        """A graph of nodes with distinct ids and edges already merged (distinct keys, no
        self-loops, both ends among the nodes), built in bulk: several times faster than
        ``add_node`` and ``add_edges``, which check and merge one by one."""
        graph = cls(root)
        graph._fill(nodes, edges)
        return graph

    @classmethod
    def deferred(cls, root: str, load: Callable[[], tuple[Iterable[Node], Iterable[Edge]]]) -> DependencyGraph:
        """``from_merged(root, *load())``, with ``load`` called on first use: a caller that only
        writes the graph's file (from lines kept since the last run) never pays for building it."""
        graph = cls.__new__(cls)
        graph.root = root
        graph._load = load  # type: ignore[attr-defined]
        return graph

    def __getattr__(self, name: str) -> Any:
        # only reached for a missing attribute: the networkx graph of a deferred graph
        load = self.__dict__.pop("_load", None) if name == "_g" else None
        if load is None:
            raise AttributeError(name)
        self._g = _Store()
        with uncollected():
            self._fill(*load())
        return self._g

    def __getstate__(self) -> dict[str, Any]:
        self._g  # noqa: B018  (a deferred graph is built before it is pickled or copied)
        return {name: value for name, value in self.__dict__.items() if name != "_sorted"}

    def _changed(self) -> None:
        """Forget the sorted lists of nodes and edges kept for the readers."""
        self.__dict__.pop("_sorted", None)

    def _kept(self, key: tuple[object, ...], make: Callable[[], list[Any]]) -> list[Any]:
        """``make()``, kept until the graph changes: planning and generation ask for the same kinds
        of nodes and edges many times over, and each answer walks and sorts the whole graph."""
        return list(self.derived(key, make))

    def derived(self, key: tuple[object, ...], make: Callable[[], T]) -> T:
        """``make()``, a value worked out from the graph alone, kept under ``key`` until the graph
        changes. The value is shared by every caller: give each a copy of anything it may change."""
        kept = self.__dict__.setdefault("_sorted", {})
        if key not in kept:
            kept[key] = make()
        return kept[key]  # type: ignore[no-any-return]

    def _fill(self, nodes: Iterable[Node], edges: Iterable[Edge]) -> None:
        self._changed()
        self._g.fill(nodes, edges)

    # -- building -------------------------------------------------------------------------

    def add_node(self, node: Node) -> None:
        """Add a node, or complete the one with the same id (first non-empty value wins)."""
        self._changed()
        existing: Node | None = self._g.node.get(node.id)
        if existing is not None:
            node = merge_nodes(existing, node)
        self._g.add_node(node)

    def add_edge(self, edge: Edge) -> None:
        """Add an edge; both ends must already be nodes (an edge to an unknown id is dropped)."""
        if edge.source not in self._g.node or edge.target not in self._g.node or edge.source == edge.target:
            return
        self._changed()
        key = edge.kind.value
        existing = self._g.edge(edge.source, edge.target, key)
        if existing is not None:
            edge = merge_edges(existing, edge)
        self._g.add_edge(edge.source, edge.target, key, edge)

    def add_all(self, nodes: Iterable[Node], edges: Iterable[Edge]) -> None:
        for node in nodes:
            self.add_node(node)
        self.add_edges(edges)

    def add_edges(self, edges: Iterable[Edge]) -> None:
        """Add many edges at once: repeated ones are merged first, then added in one go."""
        self._changed()
        merged: dict[tuple[str, str, str], Edge] = {}
        nodes = self._g.node
        for edge in edges:
            if edge.source == edge.target or edge.source not in nodes or edge.target not in nodes:
                continue
            key = edge.key
            previous = merged.get(key)
            merged[key] = edge if previous is None else merge_edges(previous, edge)
        for (source, target, kind), edge in merged.items():
            existing = self._g.edge(source, target, kind)
            self._g.add_edge(source, target, kind, edge if existing is None else merge_edges(existing, edge))

    def set_contexts(self, node_id: str, contexts: Iterable[str]) -> None:
        """Replace the business contexts (route names) that reach a node."""
        self._changed()
        node = self.node(node_id)
        self._g.node[node_id] = Node(
            node.id, node.kind, node.file, node.line, tuple(sorted(set(contexts))), node.attrs
        )

    # -- reading --------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._g.node)

    def __contains__(self, node_id: object) -> bool:
        return node_id in self._g.node

    def node(self, node_id: str) -> Node:
        return self._g.node[node_id]

    def nodes(self, *kinds: NodeKind) -> list[Node]:
        """All nodes (of the given kinds), sorted by id."""
        return self._kept(("nodes", *sorted({k.value for k in kinds})), lambda: self._nodes(kinds))

    def _nodes(self, kinds: tuple[NodeKind, ...]) -> list[Node]:
        # every node sorted once (by id: the keys are the ids), each kind's list taken from that
        ordered: list[Node] = self.derived(("sorted nodes",), lambda: [node for _, node in sorted(self._g.node.items())])
        return [n for n in ordered if n.kind in kinds] if kinds else list(ordered)

    def edges(self, *kinds: EdgeKind) -> list[Edge]:
        """All edges (of the given kinds), sorted by source, target and kind."""
        wanted = {k.value for k in kinds}
        return self._kept(("edges", *sorted(wanted)), lambda: self._edges(wanted))

    def _edges(self, wanted: set[str]) -> list[Edge]:
        # every edge sorted once by its key (source, target, kind: distinct), each kind's list taken from that
        ordered: list[tuple[str, str, str, Edge]] = self.derived(("sorted edges",), lambda: sorted(self._g.edges()))
        return [edge for _, _, k, edge in ordered if k in wanted] if wanted else [edge for *_, edge in ordered]

    def edge(self, source: str, target: str, kind: EdgeKind) -> Edge | None:
        return self._g.edge(source, target, kind.value)

    def edges_from(self, node_id: str, *kinds: EdgeKind) -> list[Edge]:
        """The edges leaving ``node_id`` (of the given kinds), sorted by target."""
        wanted = {k.value for k in kinds}
        found = [edge for _, k, edge in self._g.out_edges(node_id) if not wanted or k in wanted]
        return sorted(found, key=lambda e: e.key)

    def find_successors(self, node_id: str, *kinds: EdgeKind) -> list[str]:
        """Ids that ``node_id`` depends on directly (through edges of the given kinds)."""
        return sorted({t for t, k, _ in self._g.out_edges(node_id) if not kinds or k in kinds})

    def find_predecessors(self, node_id: str, *kinds: EdgeKind) -> list[str]:
        """Ids that depend directly on ``node_id`` (through edges of the given kinds)."""
        return sorted({s for s, k in self._g.in_edges(node_id) if not kinds or k in kinds})

    def find_reachable(self, start: str, *kinds: EdgeKind) -> set[str]:
        """Every id reachable from ``start`` following edges of the given kinds (start excluded)."""
        wanted = {k.value for k in kinds}
        seen = {start}
        queue = deque([start])
        while queue:
            current = queue.popleft()
            for target, key, _ in self._g.out_edges(current):
                if target not in seen and (not wanted or key in wanted):
                    seen.add(target)
                    queue.append(target)
        seen.discard(start)
        return seen

    def module_of(self, node_id: str) -> str | None:
        """The module or package that holds a code node: the longest dotted prefix that is one."""
        known: dict[str, str | None] = self.derived(("module of",), dict)  # asked for every node, several times
        if node_id in known:
            return known[node_id]
        found = known[node_id] = self._find_module(node_id)
        return found

    def _find_module(self, node_id: str) -> str | None:
        parts = node_id.split(".")
        for end in range(len(parts), 0, -1):
            candidate = ".".join(parts[:end])
            found = self._g.node.get(candidate)
            if found is not None and found.kind in (NodeKind.MODULE, NodeKind.PACKAGE):
                return candidate
        return None

    def count_nodes_by_kind(self) -> dict[str, int]:
        return dict(sorted(Counter(node.kind.value for node in self._g.node.values()).items()))

    def count_edges_by_kind(self) -> dict[str, int]:
        return dict(sorted(Counter(k for _, _, k, _ in self._g.edges()).items()))

    def iter_edges_between(self, ids: Iterable[str]) -> Iterator[Edge]:
        """Edges whose both ends are among ``ids``."""
        inside = set(ids)
        for source, target, _, edge in self._g.edges():
            if source in inside and target in inside:
                yield edge

    def to_networkx(self) -> nx.MultiDiGraph:
        """A copy of the underlying graph, for exporters that speak networkx."""
        import networkx  # only here: reading the graph never needs it

        copy = networkx.MultiDiGraph()
        copy.add_nodes_from((node_id, {"node": node}) for node_id, node in self._g.node.items())
        copy.add_edges_from((source, target, kind, {"edge": edge}) for source, target, kind, edge in self._g.edges())
        return copy


def merge_nodes(old: Node, new: Node) -> Node:
    """Complete ``old`` with ``new`` (same id): first non-empty value wins, contexts united."""
    kind = old.kind
    # a more specific kind wins: a module first seen as external, a class found to be a model
    if old.kind in (NodeKind.EXTERNAL, NodeKind.CLASS) and new.kind not in (NodeKind.EXTERNAL, NodeKind.CLASS):
        kind = new.kind
    attrs = {**new.attrs, **old.attrs}
    return Node(
        old.id,
        kind,
        old.file or new.file,
        old.line or new.line,
        tuple(sorted(set(old.contexts) | set(new.contexts))),
        attrs,
    )


class _Store:
    """A directed multigraph on dicts, with networkx's layout and orders: ``node`` (id to Node, in
    the order added), ``succ[source][target][kind]`` and ``pred[target][source]`` (the same dict of
    kinds) to the Edge. networkx took a tenth of a second to import and more to fill on every run
    that reads the graph (``generate``, ``plan``); only the exporters need it (``to_networkx``)."""

    __slots__ = ("node", "succ", "pred")

    def __init__(self) -> None:
        self.node: dict[str, Node] = {}
        self.succ: dict[str, dict[str, dict[str, Edge]]] = {}
        self.pred: dict[str, dict[str, dict[str, Edge]]] = {}

    def fill(self, nodes: Iterable[Node], edges: Iterable[Edge]) -> None:
        """Nodes of distinct ids new to the graph, then edges between them of distinct keys (as
        ``DependencyGraph.from_merged`` is given)."""
        node, succ, pred = self.node, self.succ, self.pred
        for found in nodes:
            node[found.id] = found
            succ.setdefault(found.id, {})
            pred.setdefault(found.id, {})
        for edge in edges:
            self.add_edge(edge.source, edge.target, edge.kind.value, edge)

    def add_node(self, node: Node) -> None:
        if node.id not in self.node:
            self.succ[node.id] = {}
            self.pred[node.id] = {}
        self.node[node.id] = node

    def add_edge(self, source: str, target: str, kind: str, edge: Edge) -> None:
        """Add or replace the edge ``(source, target, kind)`` (its ends are expected to be nodes)."""
        targets = self.succ.get(source)
        kinds = None if targets is None else targets.get(target)
        if kinds is None:
            kinds = self.succ.setdefault(source, {})[target] = self.pred.setdefault(target, {})[source] = {}
        kinds[kind] = edge

    def edge(self, source: str, target: str, kind: str) -> Edge | None:
        kinds = self.succ.get(source, {}).get(target)
        return None if kinds is None else kinds.get(kind)

    def edges(self) -> Iterator[tuple[str, str, str, Edge]]:
        for source, targets in self.succ.items():
            for target, kinds in targets.items():
                for kind, edge in kinds.items():
                    yield source, target, kind, edge

    def out_edges(self, source: str) -> Iterator[tuple[str, str, Edge]]:
        """``(target, kind, edge)`` of the edges leaving ``source`` (none for an unknown id)."""
        for target, kinds in self.succ.get(source, {}).items():
            for kind, edge in kinds.items():
                yield target, kind, edge

    def in_edges(self, target: str) -> Iterator[tuple[str, str]]:
        """``(source, kind)`` of the edges reaching ``target`` (none for an unknown id)."""
        for source, kinds in self.pred.get(target, {}).items():
            for kind in kinds:
                yield source, kind
