"""Composes discovery, the scan phase and every analyzer's link into one graph."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import itertools
import marshal
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from analyzers.base import AnalysisOptions, Analyzer, Project, Skipped
from analyzers.discovery import DEFAULT_EXCLUDES, Discovery, discover
from analyzers.forking import Forked, Later, can_fork
from analyzers.incremental import (
    GraphCounts,
    LinkState,
    LinkStore,
    Packed,
    assemble_nodes,
    edge_counts,
    edges_block,
    fingerprint,
    freeze_packed,
    freeze_part,
    merge_packed_edges,
    nodes_block,
    route_contexts,
    thaw_packed,
    thaw_part,
    unpack_edges,
    unpack_nodes,
    wait_for_saves,
)
from analyzers.graph_patch import Changes, Patched, patch_graph
from analyzers.names import NameResolver
from analyzers.relocation import LineMap, NotRelocatable, added_definitions, relocate, relocate_packed
from analyzers.scanning import INTERFACE, SOURCE, SUMMARY, VIEWS, DamagedCache, ScannedFile, ScanOutcome, cache_key, scan_files
from migrator.errors import NoPythonSource, SourceNotFound
from migrator.model.facts import Edge, Node
from migrator.model.graph import DependencyGraph
from migrator.model.progress import Progress
from migrator.model.serialization import LINE_SEPARATOR, join_blocks_utf8


def default_analyzers() -> list[Analyzer]:
    """Every analyzer, in the order their contributions are merged."""
    from analyzers.data import DataAnalyzer
    from analyzers.events import EventsAnalyzer
    from analyzers.history import HistoryAnalyzer
    from analyzers.imports import ImportsAnalyzer
    from analyzers.routes import RoutesAnalyzer
    from analyzers.symbols import SymbolsAnalyzer

    return [ImportsAnalyzer(), SymbolsAnalyzer(), DataAnalyzer(), RoutesAnalyzer(), EventsAnalyzer(), HistoryAnalyzer()]


@dataclass
class Analysis:
    """The outcome of analysing a tree: the graph and what was left out."""

    graph: DependencyGraph
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    files: int = 0
    lines: int = 0
    reused: int = 0
    roots: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    graph_text: bytes | None = None
    """graph.json of ``graph``, UTF-8, as ``dumps_json`` writes it (kept from the last run when equal)."""
    counts: GraphCounts | None = None

    @property
    def graph_json(self) -> str | None:
        """``graph_text`` as a string."""
        return None if self.graph_text is None else self.graph_text.decode("utf-8")


def default_cache_dir(root: Path) -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    tag = hashlib.blake2b(str(root).encode(), digest_size=8).hexdigest()
    return base / "migrator" / f"{root.name}-{tag}"


def analyze_tree(
    root: Path,
    *,
    options: AnalysisOptions | None = None,
    excludes: Sequence[str] = DEFAULT_EXCLUDES,
    analyzers: Sequence[Analyzer] | None = None,
    progress: Progress | None = None,
) -> Analysis:
    """Build the dependency graph of the Python code under ``root``.

    The last writes to the cache may still be going on in a thread when this returns; a later
    run waits for them, so does the interpreter before it exits, and ``wait_for_saves`` does."""
    wait_for_saves()  # before this run forks its workers, and reads the cache
    with paused_gc():
        try:
            return _analyze_tree(root, options=options, excludes=excludes, analyzers=analyzers, progress=progress)
        except DamagedCache as damaged:  # a disk error or a foreign write: start afresh
            if damaged.folder is not None:
                shutil.rmtree(damaged.folder, ignore_errors=True)
                shutil.rmtree(damaged.folder.parent / "link", ignore_errors=True)
            return _analyze_tree(root, options=options, excludes=excludes, analyzers=analyzers, progress=progress)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Run without the cyclic garbage collector (it runs again, as usual, afterwards).

    The analysis builds millions of long-lived objects (facts, summaries, nodes, edges) and
    makes few cycles; with the collector on, it traverses the growing heap again and again,
    which roughly doubled the time of a cold run. Afterwards they are moved out of the
    collector's sight (``gc.freeze``): else its first pass, whenever it comes, would walk them
    all once more (a third of a second on Django), only to find nothing to free.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.enable()


def _analyze_tree(
    root: Path,
    *,
    options: AnalysisOptions | None,
    excludes: Sequence[str],
    analyzers: Sequence[Analyzer] | None,
    progress: Progress | None,
) -> Analysis:
    options = options or AnalysisOptions()
    analyzers = list(analyzers if analyzers is not None else default_analyzers())
    root = Path(root)
    if not root.exists():
        raise SourceNotFound(f"{root} does not exist", hint="give the folder of a repository or a package")
    if not root.is_dir():
        raise SourceNotFound(f"{root} is not a folder", hint="give the folder that holds the code, not a file")
    root = root.resolve()
    clock = time.perf_counter()
    found = discover(root, excludes=tuple(excludes))
    if not found.files:
        detail = f" ({len(found.skipped)} skipped: {found.skipped[0]})" if found.skipped else ""
        raise NoPythonSource(
            f"{root} holds no Python file to analyse{detail}",
            hint="point at the repository or package folder; tests and migrations are excluded unless you pass --include-tests",
        )
    cache_dir = options.cache_dir or default_cache_dir(root)
    outcome = scan_files(
        found.files,
        analyzers,
        max_bytes=options.max_file_bytes,
        workers=options.workers,
        cache_dir=(cache_dir / "scan") if options.use_cache else None,
        progress=progress,
        save=False,  # saved by the link's forked child if there is one, else at the link's start
    )
    if not outcome.scans:
        first = outcome.skipped[0] if outcome.skipped else None
        raise NoPythonSource(
            f"{root} holds no Python file that could be analysed: all {len(found.files)} were skipped" + (f" ({first})" if first else ""),
            hint="run with --verbose to see every reason; files must be Python 3",
        )
    seconds = {"scan": time.perf_counter() - clock}
    by_module = {s.file.module: s for s in outcome.scans}
    files = {module: scanned.file for module, scanned in by_module.items()}
    summaries = _Parts(outcome, by_module, SUMMARY)
    facts = {a.name: _Parts(outcome, by_module, a.name) for a in analyzers}
    project = Project(root, files, facts, NameResolver(summaries), options, cache_dir=cache_dir)
    store = LinkStore((cache_dir / "link") if options.use_cache else None, f"{cache_key(analyzers)}:{root}")
    linker = _Linker(project, analyzers, outcome, found, store, seconds, progress)
    linked = linker.run()
    skipped = sorted([*found.skipped, *outcome.skipped, *linked.skipped], key=lambda s: (s.relpath, s.line or 0))
    return Analysis(
        graph=linked.graph,
        skipped=skipped,
        notes=linked.notes,
        files=len(found.files),
        lines=sum(s.lines for s in outcome.scans),
        reused=outcome.reused,
        roots=[(root / r).resolve().as_posix() for r in found.roots],
        seconds=seconds,
        graph_text=linked.text,
        counts=linked.counts,
    )


class _Parts(Mapping[str, Any]):
    """One part (the summary, or an analyzer's facts) of every scanned file, by module name,
    unpickled on first use: a warm run that relinks one module reads only what it resolves."""

    def __init__(self, outcome: ScanOutcome, by_module: dict[str, ScannedFile], part: str) -> None:
        self._outcome = outcome
        self._by_module = by_module
        self._part = part
        self._loaded: dict[str, Any] = {}

    def __getitem__(self, module: str) -> Any:
        try:
            return self._loaded[module]
        except KeyError:
            value = self._loaded[module] = self._outcome.load(self._by_module[module], self._part)
            return value

    def __contains__(self, module: object) -> bool:
        return module in self._by_module

    def load_all(self) -> None:
        """Unpickle every module's part now (before a fork: else both processes would)."""
        for module in self._by_module:
            self[module]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_module)

    def __len__(self) -> int:
        return len(self._by_module)


@dataclass
class _Linked:
    graph: DependencyGraph
    text: bytes
    counts: GraphCounts
    skipped: list[Skipped]
    notes: list[str]


class _StaleCache(Exception):
    """The previous run's contributions are not where its state says."""


_PREVIOUS = "previous"
"""In ``parts``: the analyzer's contribution is the previous run's, still in its cache file."""


class _Linker:
    """Every analyzer's link, reusing what the previous run made from the same inputs."""

    def __init__(
        self,
        project: Project,
        analyzers: Sequence[Analyzer],
        outcome: ScanOutcome,
        found: Discovery,
        store: LinkStore,
        seconds: dict[str, float],
        progress: Progress | None,
    ) -> None:
        self.project = project
        self.analyzers = analyzers
        self.outcome = outcome
        self.store = store
        self.seconds = seconds
        self.progress = progress
        self.previous = store.load_state()
        self.fork = project.options.workers != 1 and can_fork()
        """Whether a forked child may share the link (not when one process is asked for)."""
        self._previous_parts: dict[str, Any] | None = None
        scans = outcome.scans
        options = project.options
        self.by_module = {s.file.module: s for s in scans}
        self.by_relpath = {s.file.relpath: s for s in scans}
        self.module_set = fingerprint([(s.file.module, s.file.relpath, s.file.is_package, s.file.root) for s in scans])
        self.interfaces = {s.file.module: s.digests[INTERFACE] for s in scans}
        self.shape = fingerprint(self.module_set, list(self.interfaces.values()))
        self.outside = (
            (options.history_commits, options.co_change_min, options.max_file_bytes),
            outside_signature(project.root, found, outcome),
        )
        self._commons: dict[str, str] = {}
        self._moved: dict[str, tuple[ScannedFile, LineMap]] | None = None

    def _common(self, summaries: list[str | None]) -> str:
        """The fingerprint of what every whole-program link reads: the modules and their summaries."""
        return fingerprint(self.module_set, summaries, *self.outside)

    def _common_of(self, view: str) -> str:
        """``_common`` of every file's digest ``view`` of its summary (``Analyzer.summary_view``)."""
        found = self._commons.get(view)
        if found is None:
            found = self._commons[view] = self._common([s.digests[view] for s in self.outcome.scans])  # a wrong name fails here
        return found

    def run(self) -> _Linked:
        try:
            return self._run()
        except _StaleCache:
            self.previous = None
            return self._run()

    def _previous_part(self, name: str) -> Any:
        if self._previous_parts is None:
            self._previous_parts = self.store.load_parts()
        if name not in self._previous_parts:
            raise _StaleCache(name)
        return self._previous_parts[name]

    def _run(self) -> _Linked:
        state = LinkState(self.store.key, shape=self.shape, module_set=self.module_set, interfaces=self.interfaces)
        parts: dict[str, Any] = {}
        plans = {a.name: self._plan_per_module(a) for a in self.analyzers if a.per_module}
        with contextlib.ExitStack() as children:
            return self._link_all(state, parts, plans, children)

    def _link_all(self, state: LinkState, parts: dict[str, Any], plans: dict[str, _ModulePlan], children: contextlib.ExitStack) -> _Linked:
        # the scan cache is saved by the first forked child, else here; that child then stays,
        # to write a share of graph.json's edges (``_edges_in_child``)
        save_cache = self.outcome.cache_saver()
        sharing = []
        # every module's link resolves names through every summary: read them once, before a fork
        summaries = self.project.names.summaries
        before = summaries.load_all if isinstance(summaries, _Parts) else _nothing
        # with one per-module analyzer, its child can take graph.json's edges afterwards
        then = self._edges_in_child if len(plans) == 1 else None
        for plan in plans.values():
            if plan.share_with_child(children, self.project, fork=self.fork, first=save_cache, then=then, before=before):
                save_cache = _nothing
                sharing.append(plan)
        save_cache()
        helper = sharing[0] if then is not None and sharing else None
        # with no child sharing the per-module link, the costliest other link gets one
        apart = self.fork and not sharing and sum(s.lines for s in self.outcome.scans) >= PARALLEL_LINK_LINES
        # the per-module links last: their forked share runs while the others link here
        linked_here: dict[str, dict[str, Packed]] = {}
        for analyzer in sorted(self.analyzers, key=lambda a: (a.per_module, not a.link_apart)):
            started = time.perf_counter()
            if self.progress:
                self.progress(analyzer.name, 0, 1)
            if analyzer.per_module:
                linked_here[analyzer.name] = plans[analyzer.name].link_here(self.project)
            else:
                self._link(analyzer, state, parts, children if apart and analyzer.link_apart else None)
            self.seconds[analyzer.name] = time.perf_counter() - started
        for name, part in list(parts.items()):
            if isinstance(part, _Apart):
                started = time.perf_counter()
                self._settle_apart(name, part, state, parts)
                self.seconds[name] += time.perf_counter() - started
        if helper is not None and not self._patch_tried():
            self._send_rest(helper, parts, linked_here[helper.analyzer.name])
        for analyzer in self.analyzers:
            if analyzer.per_module:
                started = time.perf_counter()
                self._link_per_module(plans[analyzer.name], state, parts, linked_here[analyzer.name])
                self.seconds[analyzer.name] += time.perf_counter() - started
            if self.progress:
                self.progress(analyzer.name, 1, 1)
        state.result = fingerprint(self.module_set, [state.fingerprints[a.name] for a in self.analyzers])
        skipped = [s for a in self.analyzers for s in state.skipped[a.name]]
        notes = [n for a in self.analyzers for n in state.notes[a.name]]
        root = self.project.root.as_posix()
        # built only if someone asks for it: writing graph.json needs none of it
        graph = DependencyGraph.deferred(root, lambda: self._graph(parts))
        previous = self.previous
        if previous is not None and previous.result == state.result and previous.counts is not None:
            text = self.store.load_json()
            if text is not None:
                return _Linked(graph, text, previous.counts, skipped, notes)
        kept = {name: self._packed(name, part) for name, part in parts.items()}
        started = time.perf_counter()
        patched = self._patched(parts, kept)
        if isinstance(patched, Patched):
            text, state.counts = patched.text, patched.counts
            self.store.save_result(state, text)
            self.seconds["patch"] = time.perf_counter() - started
        else:
            text, state.counts, parts_saved = self._graph_text(root, kept, save=patched is None, helper=helper)
            self.store.save_result(state, text, first=parts_saved)
        return _Linked(graph, text, state.counts, skipped, notes)

    def _packs(self, kept: dict[str, Any]) -> list[Packed]:
        """Every contribution's packs, in the analyzers' order (the order the graph merges them in)."""
        return [pack for analyzer in self.analyzers for pack in _pack_list(kept[analyzer.name])]

    def _nodes(self, packs: list[Packed]) -> dict[str, Node]:
        return assemble_nodes(self.project.files.values(), (unpack_nodes(pack.nodes) for pack in packs))

    def _graph(self, parts: dict[str, Any]) -> tuple[Iterable[Node], Iterable[Edge]]:
        """The graph's nodes (with their contexts) and edges, as ``_graph_text`` writes them."""
        packs = self._packs({name: self._packed(name, part) for name, part in parts.items()})
        nodes = self._nodes(packs)
        nodes.update(route_contexts(nodes, itertools.chain.from_iterable(pack.edges for pack in packs)))
        return nodes.values(), unpack_edges(merge_packed_edges(nodes, [pack.edges for pack in packs]).values())

    def _patched(self, parts: dict[str, Any], kept: dict[str, Any]) -> Patched | Literal[False] | None:
        """The previous graph.json patched (``graph_patch``); None where no patch was tried, False
        where one was but a full merge is due. Either way, a tried patch saved the contributions."""
        previous = self.previous
        if not self._patch_tried():
            return None  # a file that came or went changes the nodes of modules: merge afresh
        assert previous is not None and previous.counts is not None
        changes = self._changes(parts, kept)
        old_text = self.store.load_json() if changes is not None else None
        if changes is None or not old_text:
            return None
        # the contributions are saved meanwhile, on the second core; the state goes last
        self.store.forget_state()
        with Forked(lambda: self.store.save_parts(kept), fork=self.fork) as saving:
            patched = patch_graph(old_text, previous.counts, changes, list(self.project.files.values()), self._packs(kept))
            saving.result()
        return patched or False

    def _patch_tried(self) -> bool:
        """Whether graph.json may be patched: the previous run's is there, with the same modules."""
        previous = self.previous
        return previous is not None and previous.counts is not None and previous.module_set == self.module_set

    def _changes(self, parts: dict[str, Any], kept: dict[str, Any]) -> Changes | None:
        """What differs between the previous run's contributions and these (None: unknown)."""
        changes = Changes()
        for analyzer in self.analyzers:
            name = analyzer.name
            if parts[name] is _PREVIOUS:
                continue
            old, new = self._previous_part(name), kept[name]
            if isinstance(old, dict) != isinstance(new, dict):
                return None
            if isinstance(new, dict):
                for module in old.keys() | new.keys():
                    if old.get(module) is not new.get(module):
                        changes.add(old.get(module), new.get(module))
            else:
                changes.add(old, new)
        return changes

    def _graph_text(
        self, root: str, kept: dict[str, Any], *, save: bool = True, helper: _ModulePlan | None = None
    ) -> tuple[bytes, GraphCounts, Callable[[], None]]:
        """graph.json of the contributions ``kept``, its counts, and the call that makes sure
        ``kept`` is saved for the next run (without ``save``: nothing to make sure of).

        The edges (most of the graph) are merged and written in two ranges of their sources: a
        child takes the first and then saves the link, while this process does the nodes and the
        rest of the edges. The child is the ``helper`` that linked a share of the per-module
        analyzer, when it was sent the other contributions (``_send_rest``): it sends its edges
        before it saves, and the call returned waits for that save (``save_result`` calls it in
        the background), saving here if the child could not. Else the child is one forked here."""
        packs = self._packs(kept)
        started = time.perf_counter()
        split = _edge_split(packs, EDGES_CHILD_SHARE) if self.fork and sum(len(pack.edges) for pack in packs) >= PARALLEL_EDGES else None

        def first_edges_then_save() -> tuple[bytes, dict[str, int]]:
            made_first = _edges_side(nodes, packs, None, split)
            if save:
                self.store.save_parts(kept)
            return made_first

        parts_saved = _nothing
        helping = helper is not None and helper.sent and split is not None
        if helping:
            assert helper is not None and helper.child is not None
            child = helper.child
            child.send(save)

            def second() -> tuple[bytes, dict[str, int]]:
                nonlocal parts_saved
                made = child.second(lambda: (split, first_edges_then_save()))
                finish = child.finisher()

                def saved_by_child_or_here() -> None:
                    if not finish() and save:
                        self.store.save_parts(kept)

                parts_saved = saved_by_child_or_here
                # the child found the split from the same packs; were it not the same, redo here
                return made[1] if made[0] == split else first_edges_then_save()

        nodes = self._nodes(packs)
        with contextlib.ExitStack() as forked:
            if not helping:
                second = forked.enter_context(Forked(first_edges_then_save, fork=split is not None)).result
            nodes.update(route_contexts(nodes, itertools.chain.from_iterable(pack.edges for pack in packs)))
            self.seconds["graph"] = time.perf_counter() - started
            started = time.perf_counter()
            node_text = nodes_block(nodes).encode()
            last_text, last_kinds = _edges_side(nodes, packs, split, None) if split is not None else (b"", {})
            node_counts = GraphCounts.of(nodes, {})  # while the child finishes
            self.seconds["json"] = time.perf_counter() - started
            started = time.perf_counter()
            first_text, first_kinds = second()
            self.seconds["edges"] = time.perf_counter() - started
        edge_text = LINE_SEPARATOR.encode().join([block for block in (first_text, last_text) if block])
        kinds = {kind: first_kinds.get(kind, 0) + last_kinds.get(kind, 0) for kind in {*first_kinds, *last_kinds}}
        return join_blocks_utf8(root, node_text, edge_text), replace(node_counts, edges=dict(sorted(kinds.items()))), parts_saved

    def _send_rest(self, helper: _ModulePlan, parts: dict[str, Any], linked_here: dict[str, Packed]) -> None:
        """Send the child that links a share of ``helper``'s modules every other contribution,
        before its own share is read back: it then writes the first range of graph.json's edges
        (``_edges_in_child``) while this process writes the rest."""
        assert helper.child is not None
        name = helper.analyzer.name
        rest: dict[str, Any] = {}
        for analyzer in self.analyzers:
            other = analyzer.name
            if other == name:
                rest[other] = {m: freeze_packed(p) for m, p in itertools.chain(helper.kept.items(), linked_here.items())}
            else:
                rest[other] = freeze_part(self._packed(other, parts[other]))
        helper.child.send(marshal.dumps(rest))
        helper.sent = True

    def _edges_in_child(self, name: str, own: dict[str, Packed], payload: bytes, more: Callable[[], Any]) -> Later:
        """In the child that linked a share of ``name``: the first range of the edges, from its
        own packs and the rest sent (``_send_rest``), with the split it used; then, once they
        are sent, and if this process says so (``more()``), the save of the contributions."""
        rest = marshal.loads(payload)
        kept: dict[str, Any] = {}
        for analyzer in self.analyzers:
            if analyzer.name == name:
                linked = {m: thaw_packed(p) for m, p in rest[name].items()}
                linked.update(own)
                kept[name] = {m: linked[m] for m in self.project.files}
            else:
                kept[analyzer.name] = thaw_part(rest[analyzer.name])
        packs = self._packs(kept)
        split = _edge_split(packs, EDGES_CHILD_SHARE)
        made = _edges_side(self._nodes(packs), packs, None, split)

        def save() -> None:
            if more():
                self.store.save_parts(kept)

        return Later((split, made), save)

    def _packed(self, name: str, part: Any) -> Any:
        return self._previous_part(name) if part is _PREVIOUS else part

    def _link(self, analyzer: Analyzer, state: LinkState, parts: dict[str, Any], children: contextlib.ExitStack | None = None) -> None:
        """Link one analyzer, or reuse the previous run's contribution where its inputs are the
        same. With ``children``, a link to be made is made in a forked child (``_Apart``)."""
        name = analyzer.name
        previous = self.previous
        if analyzer.cacheable:
            inputs = fingerprint(name, self._common_of(analyzer.summary_view), [s.digests.get(name) for s in self.outcome.scans])
            if previous is not None and previous.fingerprints.get(name) == inputs:
                parts[name] = _PREVIOUS
                state.fingerprints[name] = inputs
                state.skipped[name], state.notes[name] = previous.skipped[name], previous.notes[name]
                return
            relocated = self._relocated(analyzer, previous) if previous is not None else None
            if relocated is not None:
                parts[name] = relocated
                state.fingerprints[name] = inputs
                state.skipped[name], state.notes[name] = relocated.skipped, relocated.notes
                return
        if children is not None:
            project = self.project
            child = children.enter_context(Forked(lambda: marshal.dumps(freeze_packed(Packed.of(analyzer.link(project))))))
            parts[name] = _Apart(child, inputs if analyzer.cacheable else None)
            return
        self._place(name, Packed.of(analyzer.link(self.project)), inputs if analyzer.cacheable else None, state, parts)

    def _settle_apart(self, name: str, apart: _Apart, state: LinkState, parts: dict[str, Any]) -> None:
        """The contribution a child linked (``_link``), in its place."""
        self._place(name, thaw_packed(marshal.loads(apart.child.result())), apart.inputs, state, parts)

    @staticmethod
    def _place(name: str, packed: Packed, inputs: str | None, state: LinkState, parts: dict[str, Any]) -> None:
        """A contribution just linked, in ``parts`` and in the state: what a cacheable link
        made is known by its ``inputs``; the rest (None), by what it made."""
        parts[name] = packed
        state.fingerprints[name] = inputs if inputs is not None else fingerprint(name, packed.nodes, packed.edges, packed.skipped, packed.notes)
        state.skipped[name], state.notes[name] = packed.skipped, packed.notes

    def _relocated(self, analyzer: Analyzer, previous: LinkState) -> Packed | None:
        """The previous contribution of a whole-program link with the places it names in edited
        files relocated, when the only change to its inputs is lines that moved (``relocation``)."""
        moved = self._moved_files()
        if not moved:
            return None
        name = analyzer.name
        common = self._common(self._digests_before(analyzer.summary_view))
        if previous.fingerprints.get(name) != fingerprint(name, common, self._digests_before(name)):
            return None
        facts = self.project.facts(name)
        try:
            for module, (old, lines) in moved.items():
                if old.digests.get(name) != self.by_module[module].digests.get(name):
                    if relocate(self.outcome.load(old, name), lines) != facts[module]:
                        return None
            return relocate_packed(self._previous_part(name), {old.file.relpath: lines for old, lines in moved.values()})
        except NotRelocatable:
            return None

    def _moved_files(self) -> dict[str, tuple[ScannedFile, LineMap]]:
        """The files scanned again whose summary only moved, or gained functions that nothing
        else in the tree names: module -> (previous scan, line map). Empty when any changed file's
        summary changed otherwise, or the previous scan is gone."""
        if self._moved is None:
            self._moved, added = {}, set()
            for relpath, old in self.outcome.previous.items():
                new = self.by_relpath[relpath]
                old_source, new_source = self.outcome.source(old), self.outcome.source(new)
                if old_source is None or new_source is None:
                    return self._no_moves()
                lines = LineMap.between(old_source, new_source)
                module = new.file.module
                if old.digests[SUMMARY] != new.digests[SUMMARY]:
                    try:
                        names = added_definitions(relocate(self.outcome.load(old, SUMMARY), lines), self.project.names.summaries[module])
                    except NotRelocatable:
                        names = None
                    if names is None:
                        return self._no_moves()
                    added |= names
                self._moved[module] = (old, lines)
            if added and not self._unnamed(added):
                return self._no_moves()
        return self._moved

    def _shape_before(self) -> str | None:
        """The shape as it was if the edited files only moved or gained unnamed definitions."""
        return fingerprint(self.module_set, self._digests_before(INTERFACE)) if self._moved_files() else None

    def _digests_before(self, part: str) -> list[str | None]:
        """Every file's digest of ``part``, the edited files' as they were (``_moved_files``)."""
        moved = self._moved_files()
        return [moved[s.file.module][0].digests.get(part) if s.file.module in moved else s.digests.get(part) for s in self.outcome.scans]

    def _no_moves(self) -> dict[str, tuple[ScannedFile, LineMap]]:
        self._moved = {}
        return self._moved

    def _unnamed(self, names: set[str]) -> bool:
        """Whether no file but the edited ones holds any of ``names`` (new definitions): then no
        other module can refer to them, and no other module's link changes. The edited files'
        facts must not name them either, except those of a per-module analyzer (linked again)."""
        needles = [name.encode() for name in names]
        per_module = {a.name for a in self.analyzers if a.per_module} | {SUMMARY, SOURCE, *VIEWS}
        for scanned in self.outcome.scans:
            edited = scanned.file.relpath in self.outcome.previous
            parts = [p for p in scanned.digests if p not in per_module] if edited else [SOURCE]
            for part in parts:
                if any(self.outcome.holds(scanned, part, needle) for needle in needles):
                    return False
        return True

    def _plan_per_module(self, analyzer: Analyzer) -> _ModulePlan:
        """Which modules a per-module analyzer must link again, and what it keeps."""
        name = analyzer.name
        previous = self.previous
        digests = {s.file.module: (s.digests[SUMMARY], s.digests.get(name)) for s in self.outcome.scans}
        plan = _ModulePlan(analyzer, digests, fingerprint(name, self.shape, list(digests.items())))
        if previous is not None and previous.fingerprints.get(name) == plan.fingerprint:
            plan.reused = True
            return plan
        if previous is not None and name in previous.module_digests:
            # the modules whose interfaces changed, if any: None when the previous parts cannot
            # be kept at all (the module set changed, or an older state does not say)
            changed: set[str] | None = None
            if previous.shape in (self.shape, self._shape_before()):
                changed = set()
            elif previous.module_set == self.module_set and getattr(previous, "interfaces", None):
                # what other modules see of some module changed (a name renamed, removed, added
                # and used): link again the modules that read one of those modules' summaries
                changed = {m for m, digest in self.interfaces.items() if previous.interfaces.get(m) != digest}
            if changed is not None:
                old_digests = previous.module_digests[name]
                old_parts: dict[str, Packed] = self._previous_part(name)
                plan.kept = {
                    m: old_parts[m] for m in self.project.files
                    if m in old_parts and old_digests.get(m) == digests[m] and _reads_none_of(old_parts[m], changed)
                }
        weights = {s.file.module: s.lines for s in self.outcome.scans}
        plan.todo = [(m, weights.get(m, 1)) for m in self.project.files if m not in plan.kept]
        return plan

    def _link_per_module(self, plan: _ModulePlan, state: LinkState, parts: dict[str, Any], linked: dict[str, Packed]) -> None:
        name = plan.analyzer.name
        previous = self.previous
        state.module_digests[name] = plan.digests
        state.fingerprints[name] = plan.fingerprint
        if plan.reused:
            assert previous is not None
            parts[name] = _PREVIOUS
            state.skipped[name], state.notes[name] = previous.skipped[name], previous.notes[name]
            return
        linked.update(plan.child_result())
        mine = {m: plan.kept[m] if m in plan.kept else linked[m] for m in self.project.files}
        parts[name] = mine
        state.skipped[name] = [s for packed in mine.values() for s in packed.skipped]
        state.notes[name] = [n for packed in mine.values() for n in packed.notes]


def _nothing() -> None:
    pass


def _reads_none_of(packed: Packed, changed: set[str]) -> bool:
    """Whether a module's part read none of the ``changed`` modules (with none changed, any part
    does; with some, only a part that says what it read)."""
    return not changed or (packed.reads is not None and packed.reads.isdisjoint(changed))


@dataclass
class _Apart:
    """In ``parts``, until it is read back: a contribution a forked child links."""

    child: Forked[bytes]
    inputs: str | None
    """The fingerprint of its inputs (a cacheable link), else None: known from what it made."""


PARALLEL_LINK_LINES = 50_000
"""Below this many lines to link again, forking a child costs more than it saves."""
CHILD_SHARE = 0.7
"""The child's share of a per-module link: this process links the other analyzers meanwhile."""


@dataclass
class _ModulePlan:
    """A per-module analyzer's link: the modules kept from the previous run, those to link
    again, and (on a large link) the share of them that a forked child links."""

    analyzer: Analyzer
    digests: dict[str, tuple[str, ...]]
    fingerprint: str
    reused: bool = False
    kept: dict[str, Packed] = field(default_factory=dict)
    todo: list[tuple[str, int]] = field(default_factory=list)
    """Modules to link, with their weight (lines)."""
    child: Forked[bytes] | None = None
    child_modules: set[str] = field(default_factory=set)
    sent: bool = False
    """The child was sent the other contributions, to write a share of the edges."""

    def share_with_child(
        self,
        children: contextlib.ExitStack,
        project: Project,
        *,
        fork: bool,
        first: Callable[[], object],
        then: Callable[[str, dict[str, Packed], Any, Callable[[], Any]], Any] | None = None,
        before: Callable[[], object] = _nothing,
    ) -> bool:
        """Fork a child that runs ``first``, then links a share of the modules, if that pays.
        With ``then``, the child stays for more work (``Forked.send``): ``then`` gets the
        analyzer's name, the packs the child linked, the payload and ``more``."""
        total = sum(weight for _, weight in self.todo)
        if self.reused or total < PARALLEL_LINK_LINES or not fork:
            return False
        # the biggest modules first, as long as they fit the share
        budget, taken = total * CHILD_SHARE, 0
        for module, weight in sorted(self.todo, key=lambda item: -item[1]):
            if taken + weight <= budget:
                self.child_modules.add(module)
                taken += weight
        share = [m for m, _ in self.todo if m in self.child_modules]
        analyzer = self.analyzer

        own: dict[str, Packed] = {}

        def task() -> bytes:
            first()
            own.update((m, Packed.of(analyzer.link_module(project, m))) for m in share)
            # marshal: the child's share crosses to this process four times faster than pickled
            return marshal.dumps({m: freeze_packed(packed) for m, packed in own.items()})

        more = None if then is None else lambda payload, following: then(analyzer.name, own, payload, following)
        before()
        self.child = children.enter_context(Forked(task, then=more))
        return True

    def link_here(self, project: Project) -> dict[str, Packed]:
        return {m: Packed.of(self.analyzer.link_module(project, m)) for m, _ in self.todo if m not in self.child_modules}

    def child_result(self) -> dict[str, Packed]:
        if self.child is None:
            return {}
        return {m: thaw_packed(p) for m, p in marshal.loads(self.child.result()).items()}


PARALLEL_EDGES = 20_000
"""Below this many edges, forking a child to merge them costs more than it saves."""


def _pack_list(packed: Packed | dict[str, Packed]) -> list[Packed]:
    return [packed] if isinstance(packed, Packed) else list(packed.values())


EDGES_CHILD_SHARE = 0.66
"""The child's share of the edges (it saves the link too): this process writes the nodes meanwhile."""


def _edge_split(packs: list[Packed], share: float) -> str | None:
    """The source id below which about ``share`` of the edges lie (from a sample)."""
    sample = sorted(edge[0] for pack in packs for edge in pack.edges[::16])
    return sample[min(int(len(sample) * share), len(sample) - 1)] if sample else None


def _edges_side(nodes: dict[str, Node], packs: list[Packed], low: str | None, high: str | None) -> tuple[bytes, dict[str, int]]:
    """The block of graph.json (UTF-8) that holds the edges whose source is in [low, high) (None:
    no bound), and their count by kind. Ranges of sources are ranges of the sorted edge keys."""
    merged = merge_packed_edges(nodes, [pack.edges for pack in packs], low, high)
    return edges_block(merged).encode(), edge_counts(merged)


def outside_signature(root: Path, found: Discovery, outcome: ScanOutcome) -> str:
    """What the scan does not cover but the imports analyzer's grimp reads: files left out by the
    excludes or for their size (by size and time of change), and files that do not parse (by
    content: grimp's error names them)."""
    stats = []
    for relpath in [*found.excluded, *(s.relpath for s in outcome.skipped)]:
        try:
            info = (root / relpath).stat()
            stats.append((relpath, info.st_size, info.st_mtime_ns))
        except OSError:
            stats.append((relpath, -1, -1))
    return fingerprint(sorted(stats), sorted(outcome.unparsed.items()))
