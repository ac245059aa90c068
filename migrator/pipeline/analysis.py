"""``migrator analyze``: build the graph, write it, summarise what was found."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from analyzers.base import AnalysisOptions, split_notes
from migrator.config import ProjectConfig, load_project_config, pick
from migrator.engine.discovery import DEFAULT_EXCLUDES
from migrator.engine.run import Analysis, analyze_tree
from migrator.model.facts import NodeKind
from migrator.model.graph import DependencyGraph
from migrator.model.graph_json import dumps_json
from migrator.model.progress import Progress
from migrator.model.serialization import dumps_dot, dumps_graphml
from migrator.model.summary import AnalysisSummary, SkippedFile
from migrator.writer import write_output


TEST_GLOBS = frozenset(g for g in DEFAULT_EXCLUDES if "migration" not in g and "alembic" not in g)
MIGRATION_GLOBS = frozenset(DEFAULT_EXCLUDES) - TEST_GLOBS
GRAPH_FORMATS = {"json": dumps_json, "graphml": dumps_graphml, "dot": dumps_dot}


@dataclass(frozen=True)
class AnalyzeRequest:
    src: Path
    output: Path | None = None
    format: str = "json"
    exclude: tuple[str, ...] = ()
    include_tests: bool | None = None
    include_migrations: bool | None = None
    history_commits: int | None = None
    options: AnalysisOptions = AnalysisOptions()
    force: bool = False
    trace: Path | None = None
    """A trace.json of ``migrator trace``, merged into the graph (``migrator.model.runtime``)."""


def analyze(request: AnalyzeRequest, progress: Progress | None = None) -> tuple[DependencyGraph, AnalysisSummary]:
    """``migrator analyze``: build the graph, write it where asked, summarise what was found."""
    analysis = build_analysis(request, progress)
    runtime: tuple[str, ...] = ()
    if request.trace is not None:
        from migrator.pipeline.tracing import merge_trace, runtime_note

        merged, match = merge_trace(analysis.graph, request.trace)
        analysis = replace(analysis, graph=merged, graph_text=dumps_json(merged).encode())
        runtime = (runtime_note(match),)
    written = None
    if request.output is not None:
        write_output(request.output, graph_text(analysis, request.format), force=request.force, ours=is_our_graph)
        written = str(request.output)
    summary = summarize(analysis, written)
    return analysis.graph, replace(summary, notes=(*summary.notes, *runtime))


def build_analysis(request: AnalyzeRequest, progress: Progress | None = None) -> Analysis:
    """The graph of ``request.src`` with what was left out, read with the project's settings
    and the request's (which win); nothing is written."""
    config = load_project_config(request.src) if request.src.is_dir() else ProjectConfig()
    excludes = set(DEFAULT_EXCLUDES)
    if pick(request.include_tests, config.include_tests, default=False):
        excludes -= TEST_GLOBS
    if pick(request.include_migrations, config.include_migrations, default=False):
        excludes -= MIGRATION_GLOBS
    excludes |= set(request.exclude) | set(config.exclude)
    history = pick(request.history_commits, config.history_commits, default=request.options.history_commits)
    options = replace(request.options, history_commits=history)
    return analyze_tree(request.src, options=options, excludes=tuple(sorted(excludes)), progress=progress)


def graph_text(analysis: Analysis, fmt: str = "json") -> str | bytes:
    """The graph file's text in ``fmt``; graph.json as the engine kept it (UTF-8 bytes), which
    saves dumping a graph the same as the last run's."""
    return analysis.graph_text if fmt == "json" and analysis.graph_text is not None else GRAPH_FORMATS[fmt](analysis.graph)


def summarize(analysis: Analysis, output: str | None = None) -> AnalysisSummary:
    graph = analysis.graph
    counts = analysis.counts
    notes, warnings = split_notes(analysis.notes)
    if counts is None:  # an Analysis built by hand: read the graph itself
        named = {
            "route": tuple(n.id for n in graph.nodes(NodeKind.ROUTE)),
            "model": tuple(n.id for n in graph.nodes(NodeKind.MODEL) if not n.attrs.get("abstract")),
            "event": tuple(n.id for n in graph.nodes(NodeKind.EVENT)),
            "task": tuple(n.id for n in graph.nodes(NodeKind.TASK)),
        }
        nodes, edges = graph.count_nodes_by_kind(), graph.count_edges_by_kind()
    else:  # kept by the engine, so that a warm run need not build the graph
        named, nodes, edges = counts.named, counts.nodes, counts.edges
    return AnalysisSummary(
        root=graph.root,
        files=analysis.files,
        lines=analysis.lines,
        reused=analysis.reused,
        roots=tuple(analysis.roots),
        nodes=nodes,
        edges=edges,
        routes=tuple(i.removeprefix("route:") for i in named["route"]),
        models=named["model"],
        events=tuple(i.removeprefix("event:") for i in named["event"]),
        tasks=tuple(i.removeprefix("task:") for i in named["task"]),
        skipped=tuple(SkippedFile(s.relpath, s.reason, s.line) for s in analysis.skipped),
        notes=notes,
        seconds=analysis.seconds,
        output=output,
        warnings=warnings,
    )


def is_our_graph(existing: str) -> bool:
    head = existing[:400]
    return '"schema": "migrator.graph/1"' in head or head.startswith("digraph migrator {") or "migrator-graph" in head
