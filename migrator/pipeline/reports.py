"""``migrator report``: the HTML report and the pictures of the service graph."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from migrator.boundaries.baseline import import_louvain
from migrator.boundaries.evaluation import Evaluation
from migrator.boundaries.evaluation import evaluate as evaluate_decomposition
from migrator.model.decomposition import Decomposition
from migrator.model.graph import DependencyGraph
from migrator.model.plan import MigrationPlan
from migrator.model.progress import Progress
from migrator.model.summary import AnalysisSummary
from migrator.graphviz import GraphvizMissing, render_dot
from migrator.reporting.html import render_report
from migrator.reporting.service_picture import service_graph_dot
from migrator.writer import Ours, Output, write_all
from migrator.pipeline.analysis import AnalyzeRequest, analyze
from migrator.pipeline.inputs import load_decomposition, load_graph, load_truth
from migrator.pipeline.planning import migration_plan


def report_html(
    graph: DependencyGraph,
    decomposition: Decomposition | None,
    *,
    summary: AnalysisSummary | None = None,
    truth: dict[str, str] | None = None,
    seed: int = 42,
    migration: MigrationPlan | None = None,
    evaluation: Evaluation | None = None,
) -> str:
    """The self-contained HTML report; with a decomposition, its plan and scores beside the
    baseline (Louvain on the import graph, same number of services). A plan and an evaluation
    already computed for that decomposition are used as they are."""
    scores = baseline = None
    if decomposition is not None:
        migration = migration or migration_plan(graph, decomposition)
        scores = (evaluation or evaluate_decomposition(graph, decomposition, truth)).to_dict()
        reference = import_louvain(graph, max(1, len(decomposition.services)), seed=seed)
        baseline = evaluate_decomposition(graph, reference, truth).to_dict()
    return render_report(graph=graph, decomposition=decomposition, plan=migration, evaluation=scores, baseline=baseline, summary=summary)


@dataclass(frozen=True)
class ReportResult:
    """What ``migrator report`` wrote (the report first), and what it could not do."""

    written: tuple[Path, ...]
    warnings: tuple[str, ...] = ()


def report(
    source: Path,
    output: Path,
    *,
    decomposition_path: Path | None = None,
    truth_path: Path | None = None,
    pictures: bool = False,
    force: bool = False,
    progress: Progress | None = None,
) -> ReportResult:
    """``migrator report``: write the HTML report, and with ``pictures`` the service graph beside
    it, all of them or none."""
    summary = None
    if source.is_dir():
        graph, summary = analyze(AnalyzeRequest(src=source), progress)
    else:
        graph = load_graph(source)
    decomposition = load_decomposition(decomposition_path, graph) if decomposition_path else None
    truth = load_truth(truth_path) if truth_path else None
    outputs = [Output(output, report_html(graph, decomposition, summary=summary, truth=truth), is_our_report)]
    warnings: tuple[str, ...] = ()
    if pictures and decomposition is not None:
        drawn, warnings = picture_outputs(graph, decomposition, output.with_name(output.stem + "-services"))
        outputs += drawn
    elif pictures:
        warnings = ("the pictures show the services of a decomposition, so none were drawn: pass --decomposition too",)
    write_all(outputs, force=force)
    return ReportResult(tuple(o.path for o in outputs), warnings)


def picture_outputs(graph: DependencyGraph, decomposition: Decomposition, stem: Path) -> tuple[list[Output], tuple[str, ...]]:
    """The service graph as ``stem.svg`` and ``stem.png`` (Graphviz), for documents and PRs; when
    Graphviz is not installed, none, and a warning that says so (pictures are optional)."""
    dot_text = service_graph_dot(graph, decomposition)
    svg, png = stem.with_name(stem.name + ".svg"), stem.with_name(stem.name + ".png")
    try:
        return [Output(svg, render_dot(dot_text, "svg"), _is_our_svg), Output(png, render_dot(dot_text, "png"), _our_png_beside(svg))], ()
    except GraphvizMissing as missing:
        return [], (f"{missing.message}, so {svg.name} and {png.name} were not drawn; {missing.hint} to draw them, or pass --no-pictures",)


def _is_our_svg(existing: str) -> bool:
    return "<title>services</title>" in existing[:4000]


def _our_png_beside(svg: Path) -> Ours:
    """A PNG bears no mark of who drew it: it is taken for ours when it is one and our SVG is beside it."""
    return lambda existing: existing.startswith("\ufffdPNG") and svg.is_file()


def is_our_report(existing: str) -> bool:
    return 'name="generator" content="migrator' in existing[:2000]
