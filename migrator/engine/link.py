"""Every analyzer's link, reusing what the previous run made from the same inputs.

The linker decides, analyzer by analyzer, what the previous run's contribution is still worth
(``incremental``): the same (reused as it is), moved lines (``relocation``), or a per-module link
of which only some modules change (``module_plan``); it links the rest, sharing the work with a
forked child on a large link, and has graph.json written (``graph_text``) unless the previous
text is still the graph's.
"""

from __future__ import annotations

import contextlib
import marshal
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from analyzers.base import SUMMARY, Analyzer, Project, Skipped
from migrator.engine.discovery import Discovery
from migrator.engine.edits import Edits
from migrator.engine.forking import Forked, can_fork
from migrator.engine.graph_text import GraphWriter
from migrator.engine.incremental import LinkState, LinkStore, fingerprint
from migrator.engine.merge import GraphCounts
from migrator.engine.module_plan import ModulePlan, nothing, worth_a_child
from migrator.engine.packing import Packed, freeze_packed, thaw_packed
from migrator.engine.patch import Changes, Patched
from migrator.engine.relocation import NotRelocatable, relocate, relocate_packed
from migrator.engine.scan_cache import INTERFACE
from migrator.engine.scanning import ModuleParts, ScanOutcome
from migrator.model.graph import DependencyGraph
from migrator.model.progress import Progress


@dataclass
class Linked:
    """What the link made: the graph (built when asked for), graph.json's text and counts."""

    graph: DependencyGraph
    text: bytes
    counts: GraphCounts
    skipped: list[Skipped]
    notes: list[str]


class _StaleCache(Exception):
    """The previous run's contributions are not where its state says."""


_PREVIOUS = "previous"
"""In ``parts``: the analyzer's contribution is the previous run's, still in its cache file."""


class Linker:
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
        self.module_set = fingerprint([(s.file.module, s.file.relpath, s.file.is_package, s.file.root) for s in scans])
        self.interfaces = {s.file.module: s.digests[INTERFACE] for s in scans}
        self.shape = fingerprint(self.module_set, list(self.interfaces.values()))
        self.outside = (
            (options.history_commits, options.co_change_min, options.max_file_bytes),
            outside_signature(project.root, found, outcome),
        )
        self._commons: dict[str, str] = {}
        self.edits = Edits(outcome, project.names.summaries, analyzers)
        self.writer = GraphWriter(project.root.as_posix(), analyzers, project.files, store, seconds, fork=self.fork)

    def _common(self, summaries: list[str | None]) -> str:
        """The fingerprint of what every whole-program link reads: the modules and their summaries."""
        return fingerprint(self.module_set, summaries, *self.outside)

    def _common_of(self, view: str) -> str:
        """``_common`` of every file's digest ``view`` of its summary (``Analyzer.summary_view``)."""
        found = self._commons.get(view)
        if found is None:
            found = self._commons[view] = self._common([s.digests[view] for s in self.outcome.scans])  # a wrong name fails here
        return found

    def run(self) -> Linked:
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

    def _run(self) -> Linked:
        state = LinkState(self.store.key, shape=self.shape, module_set=self.module_set, interfaces=self.interfaces)
        parts: dict[str, Any] = {}
        plans = {a.name: self._plan_per_module(a) for a in self.analyzers if a.per_module}
        with contextlib.ExitStack() as children:
            helper, shared = self._share_with_children(plans, children)
            # with no child sharing the per-module link, the costliest other link gets one
            apart = self.fork and not shared and worth_a_child(sum(s.lines for s in self.outcome.scans))
            linked_here = self._link_each(state, parts, plans, children if apart else None)
            if helper is not None and not self._patch_tried():
                others = {a.name: self._packed(a.name, parts[a.name]) for a in self.analyzers if a.name != helper.analyzer.name}
                self.writer.send_rest(helper, linked_here[helper.analyzer.name], others)
            self._link_per_module_all(plans, state, parts, linked_here)
            return self._linked(state, parts, helper)

    def _share_with_children(self, plans: dict[str, ModulePlan], children: contextlib.ExitStack) -> tuple[ModulePlan | None, bool]:
        """Fork the children that share the per-module links, where that pays: the helper (the
        child that stays to write a share of graph.json's edges afterwards, with one per-module
        analyzer), and whether any child shares a link. The scan cache is saved by the first
        forked child, else here."""
        save_cache = self.outcome.cache_saver()
        sharing = []
        # every module's link resolves names through every summary: read them once, before a fork
        summaries = self.project.names.summaries
        before = summaries.load_all if isinstance(summaries, ModuleParts) else nothing
        then = self.writer.edges_in_child if len(plans) == 1 else None
        for plan in plans.values():
            if plan.share_with_child(children, self.project, fork=self.fork, first=save_cache, then=then, before=before):
                save_cache = nothing
                sharing.append(plan)
        save_cache()
        helper = sharing[0] if then is not None and sharing else None
        return helper, bool(sharing)

    def _link_each(
        self, state: LinkState, parts: dict[str, Any], plans: dict[str, ModulePlan], children: contextlib.ExitStack | None
    ) -> dict[str, dict[str, Packed]]:
        """Every analyzer's link, the per-module links' share here last (their forked share runs
        while the others link here); with ``children``, the costliest whole-program link is made
        in a child. Returns the per-module links' parts made here."""
        linked_here: dict[str, dict[str, Packed]] = {}
        for analyzer in sorted(self.analyzers, key=lambda a: (a.per_module, not a.link_apart)):
            started = time.perf_counter()
            if self.progress:
                self.progress(analyzer.name, 0, 1)
            if analyzer.per_module:
                linked_here[analyzer.name] = plans[analyzer.name].link_here(self.project)
            else:
                self._link(analyzer, state, parts, children if analyzer.link_apart else None)
            self.seconds[analyzer.name] = time.perf_counter() - started
        for name, part in list(parts.items()):
            if isinstance(part, _Apart):
                started = time.perf_counter()
                self._settle_apart(name, part, state, parts)
                self.seconds[name] += time.perf_counter() - started
        return linked_here

    def _link_per_module_all(
        self, plans: dict[str, ModulePlan], state: LinkState, parts: dict[str, Any], linked_here: dict[str, dict[str, Packed]]
    ) -> None:
        """The per-module links completed with what their children linked and what they keep."""
        for analyzer in self.analyzers:
            if analyzer.per_module:
                started = time.perf_counter()
                self._link_per_module(plans[analyzer.name], state, parts, linked_here[analyzer.name])
                self.seconds[analyzer.name] += time.perf_counter() - started
            if self.progress:
                self.progress(analyzer.name, 1, 1)

    def _linked(self, state: LinkState, parts: dict[str, Any], helper: ModulePlan | None) -> Linked:
        """The graph of the contributions, with graph.json's text: the previous run's if the
        contributions are the same, else patched or written afresh; the state saved for the next run."""
        state.result = fingerprint(self.module_set, [state.fingerprints[a.name] for a in self.analyzers])
        skipped = [s for a in self.analyzers for s in state.skipped[a.name]]
        notes = [n for a in self.analyzers for n in state.notes[a.name]]
        # built only if someone asks for it: writing graph.json needs none of it
        graph = DependencyGraph.deferred(self.writer.root, lambda: self.writer.graph(self._kept(parts)))
        previous = self.previous
        if previous is not None and previous.result == state.result and previous.counts is not None:
            text = self.store.load_json()
            if text is not None:
                return Linked(graph, text, previous.counts, skipped, notes)
        kept = self._kept(parts)
        started = time.perf_counter()
        patched = self._patched(parts, kept)
        if isinstance(patched, Patched):
            text, state.counts = patched.text, patched.counts
            self.store.save_result(state, text)
            self.seconds["patch"] = time.perf_counter() - started
        else:
            text, state.counts, parts_saved = self.writer.text(kept, save=patched is None, helper=helper)
            self.store.save_result(state, text, first=parts_saved)
        return Linked(graph, text, state.counts, skipped, notes)

    def _kept(self, parts: dict[str, Any]) -> dict[str, Any]:
        """Every contribution, the previous run's read from its cache file."""
        return {name: self._packed(name, part) for name, part in parts.items()}

    def _patched(self, parts: dict[str, Any], kept: dict[str, Any]) -> Patched | Literal[False] | None:
        """The previous graph.json patched (``patch``); None where no patch was tried, False
        where one was but a full merge is due. Either way, a tried patch saved the contributions."""
        previous = self.previous
        if not self._patch_tried():
            return None  # a file that came or went changes the nodes of modules: merge afresh
        assert previous is not None and previous.counts is not None
        changes = self._changes(parts, kept)
        old_text = self.store.load_json() if changes is not None else None
        if changes is None or not old_text:
            return None
        return self.writer.patched(old_text, previous.counts, changes, kept) or False

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
        moved = self.edits.moved()
        if not moved:
            return None
        name = analyzer.name
        common = self._common(self.edits.digests_before(analyzer.summary_view))
        if previous.fingerprints.get(name) != fingerprint(name, common, self.edits.digests_before(name)):
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

    def _shape_before(self) -> str | None:
        """The shape as it was if the edited files only moved or gained unnamed definitions."""
        return fingerprint(self.module_set, self.edits.digests_before(INTERFACE)) if self.edits.moved() else None

    def _plan_per_module(self, analyzer: Analyzer) -> ModulePlan:
        """Which modules a per-module analyzer must link again, and what it keeps."""
        name = analyzer.name
        previous = self.previous
        digests = {s.file.module: (s.digests[SUMMARY], s.digests.get(name)) for s in self.outcome.scans}
        plan = ModulePlan(analyzer, digests, fingerprint(name, self.shape, list(digests.items())))
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

    def _link_per_module(self, plan: ModulePlan, state: LinkState, parts: dict[str, Any], linked: dict[str, Packed]) -> None:
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


def outside_signature(root: Path, found: Discovery, outcome: ScanOutcome) -> str:
    """What the scan does not cover but links read: files left out by the excludes or for their
    size, which the imports analyzer's grimp reads, and the data files the data analyzer reads
    (by size and time of change), and files that do not parse (by content: grimp's error names
    them)."""
    stats = []
    outside = [*found.excluded, *found.data_files, *(s.relpath for s in outcome.skipped)]
    for relpath in dict.fromkeys(outside):
        try:
            info = (root / relpath).stat()
            stats.append((relpath, info.st_size, info.st_mtime_ns))
        except OSError:
            stats.append((relpath, -1, -1))
    return fingerprint(sorted(stats), sorted(outcome.unparsed.items()))
