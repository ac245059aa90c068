"""``migrator migrate``: every stage in one go, into one folder."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from migrator.boundaries.evaluation import Evaluation
from migrator.boundaries.evaluation import evaluate as evaluate_decomposition
from migrator.model.decomposition import Decomposition, dumps_decomposition
from migrator.model.graph import DependencyGraph
from migrator.model.plan import MigrationPlan
from migrator.model.progress import Progress
from migrator.model.summary import AnalysisSummary
from migrator.writer import Output, TreeChanges, check_destinations, is_unedited, plan_tree, remove_pruned, stamp, tree_outputs, write_all
from migrator.pipeline.analysis import AnalyzeRequest, build_analysis, graph_text, is_our_graph, summarize
from migrator.pipeline.generation import locked, project_event_bus, render_generated
from migrator.pipeline.inputs import load_decomposition, load_truth
from migrator.pipeline.planning import contract_outputs, is_our_plan, migration_plan, plan_output
from migrator.pipeline.proposing import ProposeRequest, propose_for, propose_settings
from migrator.pipeline.reports import is_our_report, picture_outputs, report_html


@dataclass(frozen=True)
class MigrateResult:
    folder: Path
    files: dict[str, Path]
    summary: AnalysisSummary
    decomposition: Decomposition
    evaluation: Evaluation
    plan: MigrationPlan
    reused_decomposition: bool
    changes: TreeChanges
    """What writing the generated system did (kept, replaced, pruned files among it)."""
    warnings: tuple[str, ...] = ()
    """The analysis's and the decomposition's warnings, then what could not be done (pictures without Graphviz)."""


def migrate(
    request: ProposeRequest, out: Path, *, truth: Path | None = None, analysis: AnalyzeRequest | None = None, event_bus: str | None = None,
    database: str | None = None, pictures: bool = True, prune: bool = False, progress: Progress | None = None,
) -> MigrateResult:
    """``migrator migrate``: analyze, propose, evaluate, plan, report and generate in one go, under
    ``out``. ``analysis`` carries analyze's options (its source, output and force are migrate's own).

    A decomposition.yaml already in ``out`` that a person edited is honoured, not replaced; so is
    an edited file of the generated system (``force`` replaces both). Every file is written at
    the end, all of them or none, so a failure leaves ``out`` as it was.
    """
    files = _destinations(out)
    check_destinations(((files[name], ours) for name, ours in _OURS.items()), force=request.force)
    analysis = replace(analysis or AnalyzeRequest(src=request.source), src=request.source, output=None, format="json", force=request.force)
    analysed = build_analysis(analysis, progress)
    graph, summary = analysed.graph, summarize(analysed, str(files["graph"]))
    outputs = [Output(files["graph"], graph_text(analysed), is_our_graph)]
    step = _stepper(progress)
    step("propose")
    decomposition, reused = _decomposition(graph, request, files["decomposition"], outputs)
    if truth is None and (request.source / "expected_boundaries.json").is_file():
        truth = request.source / "expected_boundaries.json"
    step("evaluate")
    reference = load_truth(truth) if truth else None
    evaluation = evaluate_decomposition(graph, decomposition, reference)
    outputs.append(Output(files["evaluation"], json.dumps(evaluation.to_dict(), indent=1, sort_keys=True) + "\n", _is_our_evaluation))
    step("plan")
    migration = migration_plan(graph, decomposition)
    outputs += [plan_output(migration, files["plan"], fmt="markdown"), plan_output(migration, files["plan_json"], fmt="json")]
    outputs += contract_outputs(migration, files["contracts"])
    step("report")
    html = report_html(graph, decomposition, summary=summary, truth=reference, seed=propose_settings(request)[0].seed, migration=migration, evaluation=evaluation)
    outputs.append(Output(files["report"], html, is_our_report))
    drawn, not_drawn = picture_outputs(graph, decomposition, out / "services") if pictures else ([], ())
    outputs += drawn
    files.update({f"picture_{o.path.suffix[1:]}": o.path for o in drawn})
    step("generate")
    system = files["system"] = out / "system"
    _, generated = render_generated(graph, decomposition, request.source, event_bus=event_bus or project_event_bus(request.source), migration=migration,
                                    database=database)
    not_locked = locked(generated, system)
    changes = plan_tree(system, generated, force=request.force, prune=prune)
    write_all([*outputs, *tree_outputs(system, generated, changes)], force=request.force)
    remove_pruned(system, changes)
    step("")
    warnings = (*summary.warnings, *decomposition.warnings, *not_drawn, *not_locked)
    return MigrateResult(out, files, summary, decomposition, evaluation, migration, reused, changes, warnings)


def _destinations(out: Path) -> dict[str, Path]:
    """Where migrate writes each file, in the order it lists them."""
    contracts = out / "boundaries" / ".importlinter"
    return {
        "graph": out / "graph.json",
        "decomposition": out / "decomposition.yaml",
        "evaluation": out / "evaluation.json",
        "plan": out / "plan.md",
        "plan_json": out / "plan.json",
        "contracts": contracts,
        "tach": contracts.parent / "tach.toml",
        "report": out / "report.html",
    }


def _is_our_evaluation(existing: str) -> bool:
    return existing.lstrip().startswith("{") and '"assigned_share"' in existing and '"scores"' in existing


_OURS = {
    "graph": is_our_graph, "evaluation": _is_our_evaluation, "plan": is_unedited, "plan_json": is_our_plan, "contracts": is_unedited,
    "tach": is_unedited, "report": is_our_report,
}
"""How to recognise each file migrate wrote before, checked before the analysis starts, so that a
file of the user's in the way stops the run at once (decomposition.yaml is never in the way: an
edited one is read instead)."""


def _decomposition(graph: DependencyGraph, request: ProposeRequest, path: Path, outputs: list[Output]) -> tuple[Decomposition, bool]:
    """The decomposition a person edited at ``path`` (and True), else a new proposal, added to
    ``outputs`` (and False)."""
    if path.is_file() and not request.force and not is_unedited(path.read_text(encoding="utf-8", errors="replace")):
        return load_decomposition(path, graph), True
    decomposition = propose_for(graph, request)
    outputs.append(Output(path, stamp(dumps_decomposition(decomposition)), is_unedited))
    return decomposition, False


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
