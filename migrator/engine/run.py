"""A run of the analysis: discovery, the scan phase and every analyzer's link, into one graph."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path

from analyzers import default_analyzers
from analyzers.base import SUMMARY, AnalysisOptions, Analyzer, Project, Skipped
from analyzers.names import NameResolver
from migrator.engine.discovery import DEFAULT_EXCLUDES, Discovery, discover
from migrator.engine.incremental import LinkStore, wait_for_saves
from migrator.engine.link import Linker
from migrator.engine.merge import GraphCounts
from migrator.engine.scan_cache import DamagedCache, cache_key
from migrator.engine.scanning import ModuleParts, ScanOutcome, scan_files
from migrator.errors import NoPythonSource, SourceNotFound
from migrator.model.graph import DependencyGraph, uncollected
from migrator.model.progress import Progress


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


def paused_gc() -> AbstractContextManager[None]:
    """Run without the cyclic garbage collector (it runs again, as usual, afterwards).

    The analysis builds millions of long-lived objects (facts, summaries, nodes, edges) and
    makes few cycles; with the collector on, it traverses the growing heap again and again,
    which roughly doubled the time of a cold run. Afterwards they are moved out of the
    collector's sight (``gc.freeze``): else its first pass, whenever it comes, would walk them
    all once more (a third of a second on Django), only to find nothing to free.
    """
    return uncollected(freeze=True)


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
    clock = time.perf_counter()
    root, found = _discovered(Path(root), excludes)
    cache_dir = options.cache_dir or default_cache_dir(root)
    outcome = _scanned(root, found, analyzers, options, (cache_dir / "scan") if options.use_cache else None, progress)
    seconds = {"scan": time.perf_counter() - clock}
    by_module = {s.file.module: s for s in outcome.scans}
    files = {module: scanned.file for module, scanned in by_module.items()}
    summaries = ModuleParts(outcome, by_module, SUMMARY)
    facts = {a.name: ModuleParts(outcome, by_module, a.name) for a in analyzers}
    project = Project(root, files, facts, NameResolver(summaries), options, cache_dir=cache_dir,
                      data_files=tuple(found.data_files))
    store = LinkStore((cache_dir / "link") if options.use_cache else None, f"{cache_key(analyzers)}:{root}")
    linked = Linker(project, analyzers, outcome, found, store, seconds, progress).run()
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


def _discovered(root: Path, excludes: Sequence[str]) -> tuple[Path, Discovery]:
    """The folder (resolved) and the Python files under it; an error if there are none."""
    if not root.exists():
        raise SourceNotFound(f"{root} does not exist", hint="give the folder of a repository or a package")
    if not root.is_dir():
        raise SourceNotFound(f"{root} is not a folder", hint="give the folder that holds the code, not a file")
    root = root.resolve()
    found = discover(root, excludes=tuple(excludes))
    if not found.files:
        detail = f" ({len(found.skipped)} skipped: {found.skipped[0]})" if found.skipped else ""
        raise NoPythonSource(
            f"{root} holds no Python file to analyse{detail}",
            hint="point at the repository or package folder; tests and migrations are excluded unless you pass --include-tests",
        )
    return root, found


def _scanned(
    root: Path,
    found: Discovery,
    analyzers: Sequence[Analyzer],
    options: AnalysisOptions,
    cache_dir: Path | None,
    progress: Progress | None,
) -> ScanOutcome:
    """The scan of the files found; an error if none could be scanned."""
    outcome = scan_files(
        found.files,
        analyzers,
        max_bytes=options.max_file_bytes,
        workers=options.workers,
        cache_dir=cache_dir,
        progress=progress,
        save=False,  # saved by the link's forked child if there is one, else at the link's start
    )
    if not outcome.scans:
        first = outcome.skipped[0] if outcome.skipped else None
        raise NoPythonSource(
            f"{root} holds no Python file that could be analysed: all {len(found.files)} were skipped" + (f" ({first})" if first else ""),
            hint="run with --verbose to see every reason; files must be Python 3",
        )
    return outcome
