"""Composes discovery, the scan phase and every analyzer's link into one graph."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from analyzers.base import AnalysisOptions, Analyzer, Contribution, Project, Skipped
from analyzers.discovery import DEFAULT_EXCLUDES, discover
from analyzers.names import NameResolver
from analyzers.scanning import Progress, scan_files
from migrator.errors import NoPythonSource, SourceNotFound
from migrator.model.facts import EdgeKind, Node, NodeKind
from migrator.model.graph import DependencyGraph

CONTEXT_EDGES = (EdgeKind.HANDLES, EdgeKind.CALLS, EdgeKind.READS, EdgeKind.WRITES)
"""A route's business context spreads from its handler along these edges."""


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
    """Build the dependency graph of the Python code under ``root``."""
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
        cache_file=(cache_dir / "scan.pickle") if options.use_cache else None,
        progress=progress,
    )
    if not outcome.scans:
        first = outcome.skipped[0] if outcome.skipped else None
        raise NoPythonSource(
            f"{root} holds no Python file that could be analysed: all {len(found.files)} were skipped" + (f" ({first})" if first else ""),
            hint="run with --verbose to see every reason; files must be Python 3",
        )
    seconds = {"scan": time.perf_counter() - clock}
    summaries = {s.file.module: s.summary for s in outcome.scans}
    facts = {a.name: {s.file.module: s.facts.get(a.name) for s in outcome.scans} for a in analyzers}
    files = {s.file.module: s.file for s in outcome.scans}
    project = Project(root, files, facts, NameResolver(summaries), options, cache_dir=cache_dir)

    graph = DependencyGraph(root.as_posix())
    for file in files.values():
        graph.add_node(Node(file.module, NodeKind.PACKAGE if file.is_package else NodeKind.MODULE, file.relpath, 1))
    contributions: list[Contribution] = []
    for analyzer in analyzers:
        started = time.perf_counter()
        if progress:
            progress(analyzer.name, 0, 1)
        contributions.append(analyzer.link(project))
        seconds[analyzer.name] = time.perf_counter() - started
        if progress:
            progress(analyzer.name, 1, 1)
    for contribution in contributions:
        for node in contribution.nodes:
            graph.add_node(node)
    graph.add_edges(edge for contribution in contributions for edge in contribution.edges)
    started = time.perf_counter()
    assign_contexts(graph)
    seconds["contexts"] = time.perf_counter() - started
    skipped = sorted([*found.skipped, *outcome.skipped, *(s for c in contributions for s in c.skipped)], key=lambda s: (s.relpath, s.line or 0))
    return Analysis(
        graph=graph,
        skipped=skipped,
        notes=[note for c in contributions for note in c.notes],
        files=len(found.files),
        lines=sum(s.lines for s in outcome.scans),
        reused=outcome.reused,
        roots=[(root / r).resolve().as_posix() for r in found.roots],
        seconds=seconds,
    )


def assign_contexts(graph: DependencyGraph) -> None:
    """Give every node reached from a route's handler that route's name as a business context."""
    reached: dict[str, set[str]] = {}
    for route in graph.nodes(NodeKind.ROUTE):
        for node_id in graph.find_reachable(route.id, *CONTEXT_EDGES):
            reached.setdefault(node_id, set()).add(route.id)
    for node_id, contexts in reached.items():
        graph.set_contexts(node_id, contexts)
