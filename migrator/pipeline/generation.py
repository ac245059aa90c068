"""``migrator generate``: the generated system under OUT, from one ServicePlan."""

from __future__ import annotations

import importlib
import importlib.metadata
import re
import sys
from pathlib import Path
from typing import Any

from analyzers.runtime_facts import app_factory, database_variables, raising_functions
from generators.asyncapi import render_asyncapi
from generators.deploy import render_deployment
from generators.gateway import render_gateway
from generators.openapi import render_openapi, system_document
from generators.service.render import ModuleSource, render_services
from generators.system_file import render_system_file
from generators.system_readme import render_readme
from migrator.errors import MigratorError
from migrator.model.decomposition import Decomposition
from migrator.model.facts import EdgeKind, NodeKind
from migrator.model.graph import DependencyGraph
from migrator.model.plan import MigrationPlan
from migrator.model.deployment import BUSES
from migrator.model.service_plan import ServicePlan
from migrator.planning.plan import build_plan
from migrator.planning.service_plan import RuntimeFacts, build_service_plan
from migrator.pipeline.inputs import load_decomposition
from migrator.pipeline.analysis import AnalyzeRequest, analyze
from migrator.writer import TreeChanges, write_tree

RUNTIME_DISTRIBUTIONS = ("fastapi", "uvicorn", "sqlalchemy", "pydantic", "httpx", "prometheus-client", "anyio", "faststream", "psycopg")


def generate(src: Path, decomposition_path: Path, out: Path, *, event_bus: str = "nats", force: bool = False, dry_run: bool = False) -> tuple[ServicePlan, TreeChanges]:
    """Analyze SRC and write the system the decomposition describes under OUT."""
    if event_bus not in BUSES:
        raise MigratorError(f"unknown event bus {event_bus!r}", hint=f"use one of {', '.join(BUSES)}")
    graph, _ = analyze(AnalyzeRequest(src=src))
    return generate_from(graph, load_decomposition(decomposition_path), src, out, event_bus=event_bus, force=force, dry_run=dry_run)


def module_sources(graph: DependencyGraph, src: Path) -> dict[str, ModuleSource]:
    """The text of every module of the graph, keyed by dotted name, with its path relative to the
    folder that holds the top-level package."""
    root = src.resolve()
    prefix = f"{root.name}/" if (root / "__init__.py").is_file() else ""
    sources = {}
    for node in graph.nodes(NodeKind.MODULE, NodeKind.PACKAGE):
        if not node.file:
            continue
        try:
            text = (root / node.file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        sources[node.id] = ModuleSource(prefix + node.file, text, node.kind is NodeKind.PACKAGE or node.file.endswith("__init__.py"))
    return sources


def _dispatcher(graph: DependencyGraph) -> str:
    """The module whose ``publish`` the functions that publish events call."""
    counts: dict[str, int] = {}
    for edge in graph.edges(EdgeKind.PUBLISHES):
        for callee in graph.find_successors(edge.source, EdgeKind.CALLS):
            module, _, name = callee.rpartition(".")
            if name in ("publish", "emit", "dispatch", "send_event", "fire"):
                counts[module] = counts.get(module, 0) + 1
    return max(sorted(counts), key=counts.__getitem__) if counts else ""


def runtime_facts(graph: DependencyGraph, src: Path, sources: dict[str, ModuleSource]) -> RuntimeFacts:
    texts = [(module, s.text) for module, s in sources.items()]
    return RuntimeFacts(app_factory=app_factory(src), dispatcher=_dispatcher(graph), database_variables=database_variables(texts),
                        raising=raising_functions(texts))


def lock(event_bus: str, monolith: list[str]) -> list[str]:
    """Pinned requirements: the runtime's distributions, the monolith's, and everything they pull in,
    at the versions installed here (where migrator ran and the monolith imports)."""
    wanted = [*RUNTIME_DISTRIBUTIONS, *monolith]
    pins: dict[str, str] = {}
    with_extras = {"faststream": {event_bus}, "psycopg": {"binary"}}  # the bus's client; PostgreSQL by URL
    pending = [(name, with_extras.get(name, set())) for name in wanted]
    while pending:
        name, extras = pending.pop()
        key = re.sub(r"[-_.]+", "-", name).lower()
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            continue
        label = f"{key}[{','.join(sorted(extras))}]" if extras else key
        if key in pins and not extras:
            continue
        pins[key] = f"{label}=={dist.version}"
        for requirement in dist.requires or []:
            spec, _, marker = requirement.partition(";")
            if marker and "extra" in marker and not any(f'extra == "{e}"' in marker or f"extra == '{e}'" in marker for e in extras):
                continue
            if marker and "extra" not in marker and not _marker_holds(marker):
                continue
            dependency = re.split(r"[\s\[<>=!~(]", spec.strip(), maxsplit=1)[0]
            if dependency:
                pending.append((dependency, set()))
    return sorted(pins.values())


def _marker_holds(marker: str) -> bool:
    try:
        from packaging.markers import Marker

        return Marker(marker.strip()).evaluate()
    except Exception:  # noqa: BLE001 - keep what cannot be judged
        return True


def _monolith_distributions(graph: DependencyGraph) -> list[str]:
    mapping = importlib.metadata.packages_distributions()
    found = set()
    for node in graph.nodes(NodeKind.EXTERNAL):
        top = node.id.split(".")[0]
        found.update(mapping.get(top, []))
    return sorted(found)


def generate_from(
    graph: DependencyGraph, decomposition: Decomposition, src: Path, out: Path, *, event_bus: str = "nats", force: bool = False,
    dry_run: bool = False, migration: MigrationPlan | None = None,
) -> tuple[ServicePlan, TreeChanges]:
    """``generate`` for a graph and decomposition (and their migration plan) already in hand, as
    ``migrate`` has them."""
    sources = module_sources(graph, src)
    facts = runtime_facts(graph, src, sources)
    migration = migration or build_plan(graph, decomposition)
    plan = build_service_plan(graph, decomposition, migration, system=src.resolve().name, event_bus=event_bus, runtime=facts)
    monolith = monolith_openapi(src, facts.app_factory)
    handlers = {str(n.attrs.get("handler") or "") for n in graph.nodes(NodeKind.ROUTE)} | {e.target for e in graph.edges(EdgeKind.SUBSCRIBES)}
    files: dict[str, str] = {}
    files.update(render_readme(plan))
    files.update(render_asyncapi(plan))
    files.update(render_gateway(plan))
    files.update(render_deployment(plan))
    files.update(render_openapi(plan, monolith))
    files.update(render_services(plan, sources, handlers=handlers - {""}, requirements=lock(event_bus, _monolith_distributions(graph)),
                                 system_openapi=system_document(monolith) if monolith is not None else None))
    files.update(render_system_file(plan, source=str(src.resolve()), tests=monolith_suite(src), written=files))
    return plan, write_tree(out, files, force=force, dry_run=dry_run)


def monolith_suite(src: Path) -> dict[str, str] | None:
    """The monolith's HTTP test suite, when it has one that takes its base URL from a variable."""
    tests = src.resolve() / "tests"
    return {"path": str(tests), "base_url_variable": "MONOLITH_BASE_URL"} if (tests / "conftest.py").is_file() else None


def monolith_openapi(src: Path, factory: str) -> dict[str, Any] | None:
    """The monolith's own OpenAPI document, from the application ``factory`` (``module:name``, as
    ``analyzers.runtime_facts.app_factory`` finds it) when it builds one; None otherwise."""
    if not factory:
        return None
    root = src.resolve()
    module_name, _, attribute = factory.partition(":")
    sys.path.insert(0, str(root.parent))
    try:
        try:
            target = getattr(importlib.import_module(module_name), attribute, None)
        except ImportError:
            return None
        app = target if callable(getattr(target, "openapi", None)) else target() if callable(target) else None
        return app.openapi() if callable(getattr(app, "openapi", None)) else None
    finally:
        sys.path.remove(str(root.parent))
