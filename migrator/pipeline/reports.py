"""``migrator report``: the HTML report and the pictures of the service graph."""

from __future__ import annotations

from pathlib import Path

from migrator.boundaries.baseline import import_louvain
from migrator.boundaries.evaluation import Evaluation
from migrator.boundaries.evaluation import evaluate as evaluate_decomposition
from migrator.errors import MigratorError
from migrator.model.decomposition import Decomposition
from migrator.model.graph import DependencyGraph
from migrator.model.plan import MigrationPlan
from migrator.model.progress import Progress
from migrator.model.summary import AnalysisSummary
from migrator.graphviz import render_dot
from migrator.reporting.html import render_report
from migrator.reporting.service_picture import service_graph_dot
from migrator.writer import write_output
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


def report(
    source: Path,
    output: Path,
    *,
    decomposition_path: Path | None = None,
    truth_path: Path | None = None,
    pictures: bool = False,
    force: bool = False,
    progress: Progress | None = None,
) -> list[Path]:
    """``migrator report``: write the HTML report and return its path."""
    summary = None
    if source.is_dir():
        graph, summary = analyze(AnalyzeRequest(src=source), progress)
    else:
        graph = load_graph(source)
    decomposition = load_decomposition(decomposition_path, graph) if decomposition_path else None
    truth = load_truth(truth_path) if truth_path else None
    html = report_html(graph, decomposition, summary=summary, truth=truth)
    write_output(output, html, force=force, ours=is_our_report)
    written = [output]
    if pictures and decomposition is not None:
        written += write_pictures(graph, decomposition, output.with_name(output.stem + "-services"), force=force)
    return written


def write_pictures(graph: DependencyGraph, decomposition: Decomposition, stem: Path, *, force: bool = False) -> list[Path]:
    """The service graph as ``stem.svg`` and ``stem.png`` (Graphviz), for documents and PRs."""
    dot_text = service_graph_dot(graph, decomposition)
    written = []
    for fmt in ("svg", "png"):
        path = stem.with_suffix(f".{fmt}")
        if path.exists() and not force and not _is_our_picture(path):
            raise MigratorError(f"{path} exists and was not written by migrator", hint="choose another path or pass --force")
        write_output(path, render_dot(dot_text, fmt), force=True)
        written.append(path)
    return written


def _is_our_picture(path: Path) -> bool:
    head = path.read_bytes()[:4000]
    return b"<title>services</title>" in head or (head.startswith(b"\x89PNG") and path.with_suffix(".svg").is_file())


def is_our_report(existing: str) -> bool:
    return 'name="generator" content="migrator' in existing[:2000]
