"""The composition root: each command of the CLI is one function here."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

from analyzers.base import AnalysisOptions
from analyzers.discovery import DEFAULT_EXCLUDES
from analyzers.engine import Analysis, analyze_tree
from analyzers.scanning import Progress
from migrator.boundaries.baseline import import_louvain
from migrator.boundaries.constraints import loads_constraints
from migrator.boundaries.evaluation import Evaluation
from migrator.boundaries.evaluation import evaluate as evaluate_decomposition
from migrator.boundaries.propose import ProposeSettings
from migrator.boundaries.propose import propose as boundaries_propose
from migrator.boundaries.weights import DEFAULT_WEIGHTS, check_weights, parse_weight_overrides
from migrator.config import load_project_config
from migrator.errors import MigratorError
from migrator.model.decomposition import Decomposition, dumps_decomposition, loads_decomposition
from migrator.model.facts import NodeKind
from migrator.model.graph import DependencyGraph
from migrator.model.serialization import dumps_dot, dumps_graphml, dumps_json, loads_json
from migrator.model.plan import MigrationPlan
from migrator.model.summary import AnalysisSummary, SkippedFile
from migrator.planning.plan import build_plan
from migrator.graphviz import render_dot
from migrator.reporting.html import render_report
from migrator.reporting.service_picture import service_graph_dot
from migrator.reporting.plan_markdown import render_plan_markdown
from migrator.writer import is_unedited, stamp, write_output

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


def analyze(request: AnalyzeRequest, progress: Progress | None = None) -> tuple[DependencyGraph, AnalysisSummary]:
    """``migrator analyze``: build the graph, write it where asked, summarise what was found."""
    config = load_project_config(request.src) if request.src.is_dir() else None
    excludes = set(DEFAULT_EXCLUDES)
    include_tests = request.include_tests if request.include_tests is not None else bool(config and config.include_tests)
    include_migrations = (
        request.include_migrations if request.include_migrations is not None else bool(config and config.include_migrations)
    )
    if include_tests:
        excludes -= TEST_GLOBS
    if include_migrations:
        excludes -= MIGRATION_GLOBS
    excludes |= set(request.exclude) | set(config.exclude if config else ())
    options = request.options
    history = request.history_commits if request.history_commits is not None else (config.history_commits if config else None)
    if history is not None:
        options = replace(options, history_commits=history)
    analysis = analyze_tree(request.src, options=options, excludes=tuple(sorted(excludes)), progress=progress)
    written = None
    if request.output is not None:
        text = GRAPH_FORMATS[request.format](analysis.graph)
        write_output(request.output, text, force=request.force, ours=_is_our_graph)
        written = str(request.output)
    return analysis.graph, summarize(analysis, written)


def summarize(analysis: Analysis, output: str | None = None) -> AnalysisSummary:
    graph = analysis.graph
    return AnalysisSummary(
        root=graph.root,
        files=analysis.files,
        lines=analysis.lines,
        reused=analysis.reused,
        roots=tuple(analysis.roots),
        nodes=graph.count_nodes_by_kind(),
        edges=graph.count_edges_by_kind(),
        routes=tuple(n.id.removeprefix("route:") for n in graph.nodes(NodeKind.ROUTE)),
        models=tuple(n.id for n in graph.nodes(NodeKind.MODEL) if not n.attrs.get("abstract")),
        events=tuple(n.id.removeprefix("event:") for n in graph.nodes(NodeKind.EVENT)),
        tasks=tuple(n.id.removeprefix("task:") for n in graph.nodes(NodeKind.TASK)),
        skipped=tuple(SkippedFile(s.relpath, s.reason, s.line) for s in analysis.skipped),
        notes=tuple(analysis.notes),
        seconds=analysis.seconds,
        output=output,
    )


def _is_our_graph(existing: str) -> bool:
    head = existing[:400]
    return '"schema": "migrator.graph/1"' in head or head.startswith("digraph migrator {") or "migrator-graph" in head


# -- propose ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProposeRequest:
    source: Path
    """A source folder (analysed on the fly) or a graph.json."""
    output: Path | None = None
    services: int | None = None
    seed: int = 42
    resolution: float = 1.0
    unit: str = "module"
    weights: tuple[str, ...] = ()
    constraints: Path | None = None
    shared: bool = True
    force: bool = False


def load_graph(source: Path, progress: Progress | None = None) -> DependencyGraph:
    """A graph from graph.json, or by analysing a source folder."""
    if source.is_dir():
        graph, _ = analyze(AnalyzeRequest(src=source), progress)
        return graph
    if not source.exists():
        raise MigratorError(f"{source} does not exist", hint="give a source folder or a graph.json written by `migrator analyze`")
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise MigratorError(f"cannot read {source}: {exc}") from None
    return loads_json(text, source=str(source))


def propose(request: ProposeRequest, progress: Progress | None = None) -> Decomposition:
    """``migrator propose``: cluster the graph into services and write decomposition.yaml."""
    graph = load_graph(request.source, progress)
    decomposition = propose_for(graph, request)
    if request.output is not None:
        write_output(request.output, stamp(dumps_decomposition(decomposition)), force=request.force, ours=is_unedited)
    return decomposition


def propose_for(graph: DependencyGraph, request: ProposeRequest) -> Decomposition:
    """Propose for a graph already in hand, with the request's settings (and the project's)."""
    config = load_project_config(request.source) if request.source.is_dir() else None
    weights = dict(DEFAULT_WEIGHTS)
    if config and isinstance(config.raw.get("weights"), dict):
        weights.update(check_weights(config.raw["weights"], source=f"{request.source}/pyproject.toml [tool.migrator.weights]"))
    weights.update(parse_weight_overrides(request.weights))
    constraints = None
    if request.constraints is not None:
        constraints = loads_constraints(_read_text(request.constraints), source=str(request.constraints))
    settings = ProposeSettings(
        unit=request.unit,
        services=request.services,
        resolution=request.resolution,
        seed=request.seed,
        weights=weights,
        shared=request.shared,
    )
    return boundaries_propose(graph, settings, constraints)


def load_decomposition(path: Path) -> Decomposition:
    return loads_decomposition(_read_text(path), source=str(path))


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise MigratorError(f"{path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise MigratorError(f"cannot read {path}: {exc}") from None


# -- evaluate ---------------------------------------------------------------------------------


def evaluate(decomposition_path: Path, graph_path: Path, truth_path: Path | None = None) -> Evaluation:
    """``migrator evaluate``: score a decomposition (as the user left it) on its graph."""
    decomposition = load_decomposition(decomposition_path)
    graph = load_graph(graph_path)
    truth = load_truth(truth_path) if truth_path is not None else None
    return evaluate_decomposition(graph, decomposition, truth)


def load_truth(path: Path) -> dict[str, str]:
    try:
        data = json.loads(_read_text(path))
    except json.JSONDecodeError as exc:
        raise MigratorError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise MigratorError(f"{path} must map dotted module names to group names", hint='{"shop.orders.models": "orders", ...}')
    return data


# -- plan -------------------------------------------------------------------------------------


def plan(decomposition_path: Path, graph_path: Path, output: Path | None, *, fmt: str = "markdown", force: bool = False) -> tuple[MigrationPlan, str]:
    """``migrator plan``: the migration plan, as Markdown or JSON, written where asked."""
    decomposition = load_decomposition(decomposition_path)
    graph = load_graph(graph_path)
    migration = build_plan(graph, decomposition)
    text = render_plan_markdown(migration) if fmt == "markdown" else json.dumps(migration.to_dict(), indent=1, sort_keys=True) + "\n"
    if output is not None:
        write_output(output, stamp(text) if fmt == "markdown" else text, force=force, ours=is_unedited if fmt == "markdown" else _is_our_plan)
    return migration, text


def _is_our_plan(existing: str) -> bool:
    return existing.lstrip().startswith("{") and '"importlinter"' in existing and '"waves"' in existing


def write_contracts(migration: MigrationPlan, path: Path, *, force: bool = False) -> None:
    """The import-linter contracts at ``path`` and tach.toml beside it."""
    write_output(path, stamp(migration.importlinter), force=force, ours=is_unedited)
    write_output(path.parent / "tach.toml", stamp(migration.tach), force=force, ours=is_unedited)


# -- migrate ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MigrateResult:
    folder: Path
    files: dict[str, Path]
    summary: AnalysisSummary
    decomposition: Decomposition
    evaluation: Evaluation
    plan: MigrationPlan
    reused_decomposition: bool


def migrate(request: ProposeRequest, out: Path, *, truth: Path | None = None, progress: Progress | None = None) -> MigrateResult:
    """``migrator migrate``: analyze, propose, evaluate, plan and report in one go, under ``out``.

    A decomposition.yaml already in ``out`` that a person edited is honoured, not replaced.
    """
    files = {
        "graph": out / "graph.json",
        "decomposition": out / "decomposition.yaml",
        "evaluation": out / "evaluation.json",
        "plan": out / "plan.md",
        "plan_json": out / "plan.json",
        "contracts": out / "boundaries" / ".importlinter",
    }
    graph, summary = analyze(AnalyzeRequest(src=request.source, output=files["graph"], force=request.force), progress)
    existing = files["decomposition"]
    reused = existing.is_file() and not request.force and not is_unedited(existing.read_text(encoding="utf-8", errors="replace"))
    if reused:
        decomposition = load_decomposition(existing)
    else:
        decomposition = propose_for(graph, request)
        write_output(existing, stamp(dumps_decomposition(decomposition)), force=request.force, ours=is_unedited)
    if truth is None and (request.source / "expected_boundaries.json").is_file():
        truth = request.source / "expected_boundaries.json"
    evaluation = evaluate_decomposition(graph, decomposition, load_truth(truth) if truth else None)
    write_output(files["evaluation"], json.dumps(evaluation.to_dict(), indent=1, sort_keys=True) + "\n", force=True)
    migration = build_plan(graph, decomposition)
    write_output(files["plan"], stamp(render_plan_markdown(migration)), force=request.force, ours=is_unedited)
    write_output(files["plan_json"], json.dumps(migration.to_dict(), indent=1, sort_keys=True) + "\n", force=request.force, ours=_is_our_plan)
    write_contracts(migration, files["contracts"], force=request.force)
    files["tach"] = files["contracts"].parent / "tach.toml"
    files["report"] = out / "report.html"
    html = report_html(graph, decomposition, summary=summary, truth=load_truth(truth) if truth else None, seed=request.seed)
    write_output(files["report"], html, force=request.force, ours=_is_our_report)
    files["picture_svg"], files["picture_png"] = write_pictures(graph, decomposition, out / "services", force=request.force)
    return MigrateResult(out, files, summary, decomposition, evaluation, migration, reused)


# -- report -----------------------------------------------------------------------------------


def report_html(
    graph: DependencyGraph,
    decomposition: Decomposition | None,
    *,
    summary: AnalysisSummary | None = None,
    truth: dict[str, str] | None = None,
    seed: int = 42,
) -> str:
    """The self-contained HTML report; with a decomposition, its plan and scores beside the
    baseline (Louvain on the import graph, same number of services)."""
    migration = evaluation = baseline = None
    if decomposition is not None:
        migration = build_plan(graph, decomposition)
        evaluation = evaluate_decomposition(graph, decomposition, truth).to_dict()
        reference = import_louvain(graph, max(1, len(decomposition.services)), seed=seed)
        baseline = evaluate_decomposition(graph, reference, truth).to_dict()
    return render_report(graph=graph, decomposition=decomposition, plan=migration, evaluation=evaluation, baseline=baseline, summary=summary)


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
    decomposition = load_decomposition(decomposition_path) if decomposition_path else None
    truth = load_truth(truth_path) if truth_path else None
    html = report_html(graph, decomposition, summary=summary, truth=truth)
    write_output(output, html, force=force, ours=_is_our_report)
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
        picture = render_dot(dot_text, fmt)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{fmt}.tmp")
        temporary.write_bytes(picture)
        temporary.replace(path)
        written.append(path)
    return written


def _is_our_picture(path: Path) -> bool:
    head = path.read_bytes()[:4000]
    return b"<title>services</title>" in head or (head.startswith(b"\x89PNG") and path.with_suffix(".svg").is_file())


def _is_our_report(existing: str) -> bool:
    return 'name="generator" content="migrator' in existing[:2000]
