"""graph.json of the contributions: merged and written afresh, or the previous text patched.

The text is written by the model's ``graph_json``; this module decides who writes which part.
The edges (most of the graph) are merged and written in two ranges of their sources: a forked
child takes the first and then saves the link, while this process does the nodes and the rest
of the edges. The child is the one that linked a share of the per-module analyzer, when it was
sent the other contributions (``send_rest``), else one forked here.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import marshal
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from analyzers.base import Analyzer, SourceFile
from migrator.engine.forking import Forked, Later
from migrator.engine.incremental import LinkStore
from migrator.engine.merge import GraphCounts, assemble_nodes, edge_counts, merge_packed_edges, route_contexts
from migrator.engine.module_plan import ModulePlan, nothing
from migrator.engine.packing import Packed, freeze_packed, freeze_part, pack_list, thaw_packed, thaw_part, unpack_edges, unpack_nodes
from migrator.engine.patch import Changes, Patched, patch_graph
from migrator.model.facts import Edge, Node
from migrator.model.graph_json import edges_block, join_blocks_utf8, joined_block, nodes_block

PARALLEL_EDGES = 20_000
"""Below this many edges, forking a child to merge them costs more than it saves."""
EDGES_CHILD_SHARE = 0.66
"""The child's share of the edges (it saves the link too): this process writes the nodes meanwhile."""

EdgesPart = tuple[bytes, dict[str, int]]
"""A range of graph.json's edges block (UTF-8) and the count of its edges by kind."""


class GraphWriter:
    """graph.json of the contributions ``kept`` (each analyzer's, by its name), the counts of its
    summary, and the save of the contributions (in ``store``) on the way."""

    def __init__(
        self,
        root: str,
        analyzers: Sequence[Analyzer],
        files: Mapping[str, SourceFile],
        store: LinkStore,
        seconds: dict[str, float],
        *,
        fork: bool,
    ) -> None:
        self.root = root
        self.analyzers = analyzers
        self.files = files
        self.store = store
        self.seconds = seconds
        self.fork = fork

    def packs(self, kept: Mapping[str, Any]) -> list[Packed]:
        """Every contribution's packs, in the analyzers' order (the order the graph merges them in)."""
        return [pack for analyzer in self.analyzers for pack in pack_list(kept[analyzer.name])]

    def nodes(self, packs: list[Packed]) -> dict[str, Node]:
        return assemble_nodes(self.files.values(), (unpack_nodes(pack.nodes) for pack in packs))

    def graph(self, kept: Mapping[str, Any]) -> tuple[Iterable[Node], Iterable[Edge]]:
        """The graph's nodes (with their contexts) and edges, as ``text`` writes them."""
        packs = self.packs(kept)
        nodes = self.nodes(packs)
        nodes.update(route_contexts(nodes, itertools.chain.from_iterable(pack.edges for pack in packs)))
        return nodes.values(), unpack_edges(merge_packed_edges(nodes, [pack.edges for pack in packs]).values())

    def patched(self, old_text: bytes, counts: GraphCounts, changes: Changes, kept: Mapping[str, Any]) -> Patched | None:
        """The previous graph.json (``old_text``, with its ``counts``) patched (``patch``); None
        where a full merge is due. The contributions are saved meanwhile, on the second core."""
        self.store.forget_state()  # the state goes last
        with Forked(lambda: self.store.save_parts(kept), fork=self.fork) as saving:
            patched = patch_graph(old_text, counts, changes, list(self.files.values()), self.packs(kept))
            saving.result()
        return patched

    def text(
        self, kept: Mapping[str, Any], *, save: bool = True, helper: ModulePlan | None = None
    ) -> tuple[bytes, GraphCounts, Callable[[], None]]:
        """graph.json of the contributions ``kept``, its counts, and the call that makes sure
        ``kept`` is saved for the next run (without ``save``: nothing to make sure of).

        A ``helper`` that was sent the other contributions (``send_rest``) writes the first range
        of the edges and then saves the link: the call returned waits for that save
        (``save_result`` calls it in the background), saving here if the child could not."""
        packs = self.packs(kept)
        started = time.perf_counter()
        split = _edge_split(packs, EDGES_CHILD_SHARE) if self.fork and sum(len(pack.edges) for pack in packs) >= PARALLEL_EDGES else None
        child = helper.child if helper is not None and helper.sent and split is not None else None
        if child is not None:
            child.send(save)
        nodes = self.nodes(packs)
        first_half = functools.partial(self._first_edges_then_save, nodes, packs, split, kept, save)
        with contextlib.ExitStack() as forked:
            if child is not None:
                first, parts_saved = self._first_edges_from(child, split, first_half, kept, save)
            else:
                first, parts_saved = forked.enter_context(Forked(first_half, fork=split is not None)).result, nothing
            nodes.update(route_contexts(nodes, itertools.chain.from_iterable(pack.edges for pack in packs)))
            self.seconds["graph"] = time.perf_counter() - started
            started = time.perf_counter()
            node_text = nodes_block(nodes).encode()
            last_text, last_kinds = _edges_side(nodes, packs, split, None) if split is not None else (b"", {})
            node_counts = GraphCounts.of(nodes, {})  # while the child finishes
            self.seconds["json"] = time.perf_counter() - started
            started = time.perf_counter()
            first_text, first_kinds = first()
            self.seconds["edges"] = time.perf_counter() - started
        edge_text = joined_block([first_text, last_text])
        kinds = {kind: first_kinds.get(kind, 0) + last_kinds.get(kind, 0) for kind in {*first_kinds, *last_kinds}}
        return join_blocks_utf8(self.root, node_text, edge_text), replace(node_counts, edges=dict(sorted(kinds.items()))), parts_saved

    def _first_edges_then_save(
        self, nodes: dict[str, Node], packs: list[Packed], split: str | None, kept: Mapping[str, Any], save: bool
    ) -> EdgesPart:
        made_first = _edges_side(nodes, packs, None, split)
        if save:
            self.store.save_parts(kept)
        return made_first

    def _first_edges_from(
        self, child: Forked[bytes], split: str | None, first_half: Callable[[], EdgesPart], kept: Mapping[str, Any], save: bool
    ) -> tuple[Callable[[], EdgesPart], Callable[[], None]]:
        """The first range of the edges as the helper ``child`` writes it (else here), and the wait
        for its save of the contributions that follows (saving here if it did not)."""
        finish: list[Callable[[], bool]] = []

        def first() -> EdgesPart:
            made = child.second(lambda: (split, first_half()))
            finish.append(child.finisher())
            # the child found the split from the same packs; were it not the same, redo here
            return made[1] if made[0] == split else first_half()

        def saved_by_child_or_here() -> None:
            if not finish[0]() and save:
                self.store.save_parts(kept)

        return first, saved_by_child_or_here

    def send_rest(self, helper: ModulePlan, linked_here: dict[str, Packed], others: Mapping[str, Any]) -> None:
        """Send the child that links a share of ``helper``'s modules every other contribution
        (``others``, by analyzer), before its own share is read back: it then writes the first
        range of graph.json's edges (``edges_in_child``) while this process writes the rest."""
        assert helper.child is not None
        name = helper.analyzer.name
        rest: dict[str, Any] = {}
        for analyzer in self.analyzers:
            other = analyzer.name
            if other == name:
                rest[other] = {m: freeze_packed(p) for m, p in itertools.chain(helper.kept.items(), linked_here.items())}
            else:
                rest[other] = freeze_part(others[other])
        helper.child.send(marshal.dumps(rest))
        helper.sent = True

    def edges_in_child(self, name: str, own: dict[str, Packed], payload: bytes, more: Callable[[], Any]) -> Later:
        """In the child that linked a share of ``name``: the first range of the edges, from its
        own packs and the rest sent (``send_rest``), with the split it used; then, once they
        are sent, and if this process says so (``more()``), the save of the contributions."""
        rest = marshal.loads(payload)
        kept: dict[str, Any] = {}
        for analyzer in self.analyzers:
            if analyzer.name == name:
                linked = {m: thaw_packed(p) for m, p in rest[name].items()}
                linked.update(own)
                kept[name] = {m: linked[m] for m in self.files}
            else:
                kept[analyzer.name] = thaw_part(rest[analyzer.name])
        packs = self.packs(kept)
        split = _edge_split(packs, EDGES_CHILD_SHARE)
        made = _edges_side(self.nodes(packs), packs, None, split)

        def save() -> None:
            if more():
                self.store.save_parts(kept)

        return Later((split, made), save)


def _edge_split(packs: list[Packed], share: float) -> str | None:
    """The source id below which about ``share`` of the edges lie (from a sample)."""
    sample = sorted(edge[0] for pack in packs for edge in pack.edges[::16])
    return sample[min(int(len(sample) * share), len(sample) - 1)] if sample else None


def _edges_side(nodes: dict[str, Node], packs: list[Packed], low: str | None, high: str | None) -> EdgesPart:
    """The block of graph.json (UTF-8) that holds the edges whose source is in [low, high) (None:
    no bound), and their count by kind. Ranges of sources are ranges of the sorted edge keys."""
    merged = merge_packed_edges(nodes, [pack.edges for pack in packs], low, high)
    return edges_block(merged).encode(), edge_counts(merged)
