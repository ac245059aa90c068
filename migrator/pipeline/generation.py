"""``migrator generate``: the generated system under OUT, from one ServicePlan."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

from generators.asyncapi import render_asyncapi
from generators.gateway import render_gateway
from generators.openapi import render_openapi
from generators.system_readme import render_readme
from migrator.errors import MigratorError
from migrator.model.decomposition import Decomposition
from migrator.model.graph import DependencyGraph
from migrator.model.service_plan import ServicePlan
from migrator.planning.plan import build_plan
from migrator.planning.service_plan import BUSES, build_service_plan
from migrator.pipeline.inputs import load_decomposition
from migrator.pipeline.analysis import AnalyzeRequest, analyze
from migrator.writer import TreeChanges, write_tree


def generate(src: Path, decomposition_path: Path, out: Path, *, event_bus: str = "nats", force: bool = False, dry_run: bool = False) -> tuple[ServicePlan, TreeChanges]:
    """Write what the generators produce today: the contracts, the gateway and the README."""
    if event_bus not in BUSES:
        raise MigratorError(f"unknown event bus {event_bus!r}", hint=f"use one of {', '.join(BUSES)}")
    graph, _ = analyze(AnalyzeRequest(src=src))
    return generate_from(graph, load_decomposition(decomposition_path), src, out, event_bus=event_bus, force=force, dry_run=dry_run)


def generate_from(
    graph: DependencyGraph, decomposition: Decomposition, src: Path, out: Path, *, event_bus: str = "nats", force: bool = False, dry_run: bool = False
) -> tuple[ServicePlan, TreeChanges]:
    """``generate`` for a graph and decomposition already in hand (as ``migrate`` has them)."""
    plan = build_service_plan(graph, decomposition, build_plan(graph, decomposition), system=src.resolve().name, event_bus=event_bus)
    files: dict[str, str] = {}
    files.update(render_readme(plan))
    files.update(render_asyncapi(plan))
    files.update(render_gateway(plan))
    monolith = monolith_openapi(src)
    if monolith is not None:
        files.update(render_openapi(plan, monolith))
    return plan, write_tree(out, files, force=force, dry_run=dry_run)


def monolith_openapi(src: Path) -> dict[str, Any] | None:
    """The monolith's own OpenAPI document when it is a FastAPI app with a ``create_app`` or
    an ``app`` in ``<package>.app`` or ``<package>.main``; None otherwise."""
    root = src.resolve()
    package, parent = (root.name, root.parent) if (root / "__init__.py").is_file() else (None, root)
    if package is None:
        return None
    sys.path.insert(0, str(parent))
    try:
        for name in ("app", "main"):
            try:
                module = importlib.import_module(f"{package}.{name}")
            except ImportError:
                continue
            factory = getattr(module, "create_app", None)
            app = factory() if callable(factory) else getattr(module, "app", None)
            if app is not None and callable(getattr(app, "openapi", None)):
                return app.openapi()
    finally:
        sys.path.remove(str(parent))
    return None
