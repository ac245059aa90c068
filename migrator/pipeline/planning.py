"""``migrator plan`` and the boundary contracts it writes."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from generators.boundaries import IMPORTLINTER, TACH, render_boundaries
from migrator.model.decomposition import Decomposition
from migrator.model.graph import DependencyGraph
from migrator.model.plan import MigrationPlan
from migrator.planning.plan import build_plan
from migrator.reporting.plan_markdown import render_plan_markdown
from migrator.writer import is_unedited, stamp, write_output
from migrator.pipeline.inputs import load_decomposition, load_graph


def plan(decomposition_path: Path, graph_path: Path, output: Path | None, *, fmt: str = "markdown", force: bool = False) -> tuple[MigrationPlan, str]:
    """``migrator plan``: the migration plan, as Markdown or JSON, written where asked."""
    graph = load_graph(graph_path)
    decomposition = load_decomposition(decomposition_path, graph)
    migration = migration_plan(graph, decomposition)
    text = render_plan_markdown(migration) if fmt == "markdown" else render_plan_json(migration)
    if output is not None:
        write_plan(migration, output, fmt=fmt, force=force)
    return migration, text


def migration_plan(graph: DependencyGraph, decomposition: Decomposition) -> MigrationPlan:
    """The migration plan, with its contracts rendered as the files import-linter and tach read
    (the plan's Markdown, JSON and the HTML report show them)."""
    migration = build_plan(graph, decomposition)
    files = render_boundaries(migration.contracts)
    return replace(migration, importlinter=files[IMPORTLINTER], tach=files[TACH])


def render_plan_json(migration: MigrationPlan) -> str:
    return json.dumps(migration.to_dict(), indent=1, sort_keys=True) + "\n"


def write_plan(migration: MigrationPlan, path: Path, *, fmt: str, force: bool = False) -> None:
    """The plan at ``path``: Markdown stamped against overwriting edits, or JSON."""
    if fmt == "markdown":
        write_output(path, stamp(render_plan_markdown(migration)), force=force, ours=is_unedited)
    else:
        write_output(path, render_plan_json(migration), force=force, ours=is_our_plan)


def is_our_plan(existing: str) -> bool:
    return existing.lstrip().startswith("{") and '"importlinter"' in existing and '"waves"' in existing


def write_contracts(migration: MigrationPlan, path: Path, *, force: bool = False) -> None:
    """The import-linter contracts at ``path`` and tach.toml beside it."""
    files = render_boundaries(migration.contracts)
    write_output(path, stamp(files[IMPORTLINTER]), force=force, ours=is_unedited)
    write_output(path.parent / TACH, stamp(files[TACH]), force=force, ours=is_unedited)
