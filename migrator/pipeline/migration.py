"""``migrator migrate``: every stage in one go, into one folder."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from migrator.boundaries.evaluation import Evaluation
from migrator.boundaries.evaluation import evaluate as evaluate_decomposition
from migrator.model.decomposition import Decomposition, dumps_decomposition
from migrator.model.plan import MigrationPlan
from migrator.model.progress import Progress
from migrator.model.summary import AnalysisSummary
from migrator.writer import is_unedited, stamp, write_output
from migrator.pipeline.analysis import AnalyzeRequest, analyze
from migrator.pipeline.generation import generate_from, project_event_bus
from migrator.pipeline.inputs import load_decomposition, load_truth
from migrator.pipeline.planning import migration_plan, write_contracts, write_plan
from migrator.pipeline.proposing import ProposeRequest, propose_for, propose_settings
from migrator.pipeline.reports import is_our_report, report_html, write_pictures


@dataclass(frozen=True)
class MigrateResult:
    folder: Path
    files: dict[str, Path]
    summary: AnalysisSummary
    decomposition: Decomposition
    evaluation: Evaluation
    plan: MigrationPlan
    reused_decomposition: bool


def migrate(
    request: ProposeRequest, out: Path, *, truth: Path | None = None, analysis: AnalyzeRequest | None = None, event_bus: str | None = None,
    progress: Progress | None = None,
) -> MigrateResult:
    """``migrator migrate``: analyze, propose, evaluate, plan, report and generate in one go, under
    ``out``. ``analysis`` carries analyze's options (its source, output and force are migrate's own).

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
    analysis = replace(analysis or AnalyzeRequest(src=request.source), src=request.source, output=files["graph"], format="json", force=request.force)
    graph, summary = analyze(analysis, progress)
    step = _stepper(progress)
    step("propose")
    existing = files["decomposition"]
    reused = existing.is_file() and not request.force and not is_unedited(existing.read_text(encoding="utf-8", errors="replace"))
    if reused:
        decomposition = load_decomposition(existing, graph)
    else:
        decomposition = propose_for(graph, request)
        write_output(existing, stamp(dumps_decomposition(decomposition)), force=request.force, ours=is_unedited)
    if truth is None and (request.source / "expected_boundaries.json").is_file():
        truth = request.source / "expected_boundaries.json"
    step("evaluate")
    reference = load_truth(truth) if truth else None
    evaluation = evaluate_decomposition(graph, decomposition, reference)
    write_output(files["evaluation"], json.dumps(evaluation.to_dict(), indent=1, sort_keys=True) + "\n", force=request.force, ours=_is_our_evaluation)
    step("plan")
    migration = migration_plan(graph, decomposition)
    write_plan(migration, files["plan"], fmt="markdown", force=request.force)
    write_plan(migration, files["plan_json"], fmt="json", force=request.force)
    write_contracts(migration, files["contracts"], force=request.force)
    files["tach"] = files["contracts"].parent / "tach.toml"
    step("report")
    files["report"] = out / "report.html"
    html = report_html(graph, decomposition, summary=summary, truth=reference, seed=propose_settings(request)[0].seed, migration=migration, evaluation=evaluation)
    write_output(files["report"], html, force=request.force, ours=is_our_report)
    files["picture_svg"], files["picture_png"] = write_pictures(graph, decomposition, out / "services", force=request.force)
    step("generate")
    bus = event_bus or project_event_bus(request.source)
    generate_from(graph, decomposition, request.source, out / "system", event_bus=bus, force=request.force, migration=migration)
    files["system"] = out / "system"
    step("")
    return MigrateResult(out, files, summary, decomposition, evaluation, migration, reused)


def _stepper(progress: Progress | None) -> Callable[[str], None]:
    """Report each stage as a one-step bar that completes when the next one starts."""
    current: list[str] = []

    def step(name: str) -> None:
        if progress is None:
            return
        if current:
            progress(current.pop(), 1, 1)
        if name:
            current.append(name)
            progress(name, 0, 1)

    return step


def _is_our_evaluation(existing: str) -> bool:
    return existing.lstrip().startswith("{") and '"assigned_share"' in existing and '"scores"' in existing
