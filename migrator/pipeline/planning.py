"""``migrator plan`` and the boundary contracts it writes."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

from generators.boundaries import IMPORTLINTER, TACH, render_boundaries
from migrator.model.decomposition import Decomposition
from migrator.model.graph import DependencyGraph
from migrator.model.plan import MigrationPlan
from migrator.planning.plan import build_plan
from migrator.reporting.plan_markdown import render_plan_markdown
from migrator.writer import Output, is_unedited, stamp, write_all
from migrator.pipeline.inputs import load_decomposition, load_graph


@dataclass(frozen=True)
class PlanResult:
    migration: MigrationPlan
    text: str
    """The plan in the format asked for, as printed when no file is asked for."""
    written: tuple[Path, ...] = ()


def plan(
    decomposition_path: Path, graph_path: Path, output: Path | None, *, fmt: str = "markdown", contracts: Path | None = None, force: bool = False
) -> PlanResult:
    """``migrator plan``: the migration plan, as Markdown or JSON, written where asked, and the
    boundary contracts with it: all of these files or none."""
    graph = load_graph(graph_path)
    decomposition = load_decomposition(decomposition_path, graph)
    migration = migration_plan(graph, decomposition)
    text = render_plan_markdown(migration) if fmt == "markdown" else render_plan_json(migration)
    outputs = [plan_output(migration, output, fmt=fmt)] if output is not None else []
    outputs += contract_outputs(migration, contracts) if contracts is not None else []
    write_all(outputs, force=force)
    return PlanResult(migration, text, tuple(o.path for o in outputs))


def migration_plan(graph: DependencyGraph, decomposition: Decomposition) -> MigrationPlan:
    """The migration plan, with its contracts rendered as the files import-linter and tach read
    (the plan's Markdown, JSON and the HTML report show them)."""
    migration = build_plan(graph, decomposition)
    files = render_boundaries(migration.contracts)
    return replace(migration, importlinter=files[IMPORTLINTER], tach=files[TACH])


def render_plan_json(migration: MigrationPlan) -> str:
    return json.dumps(migration.to_dict(), indent=1, sort_keys=True) + "\n"


def plan_output(migration: MigrationPlan, path: Path, *, fmt: str) -> Output:
    """The plan at ``path``: Markdown stamped against overwriting edits, or JSON."""
    if fmt == "markdown":
        return Output(path, stamp(render_plan_markdown(migration), markdown=True), is_unedited)
    return Output(path, render_plan_json(migration), is_our_plan)


def is_our_plan(existing: str) -> bool:
    return existing.lstrip().startswith("{") and '"importlinter"' in existing and '"waves"' in existing


def contract_outputs(migration: MigrationPlan, path: Path) -> list[Output]:
    """The import-linter contracts at ``path`` and tach.toml beside it."""
    files = render_boundaries(migration.contracts)
    return [Output(path, stamp(files[IMPORTLINTER]), is_unedited), Output(path.parent / TACH, stamp(files[TACH]), is_unedited)]
