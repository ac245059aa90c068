"""``migrator generate``: the generated system under OUT, from one ServicePlan."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

from generators.system import Monolith, render_system
from migrator.errors import MigratorError
from migrator.model.decomposition import Decomposition
from migrator.model.dependencies.declared import DeclaredRequirements
from migrator.model.facts import EdgeKind, NodeKind
from migrator.model.graph import DependencyGraph, uncollected
from migrator.model.plan import MigrationPlan
from migrator.config import load_project_config
from migrator.model.deployment import BUSES, DEFAULT_BUS
from migrator.model.service_plan import ServicePlan
from migrator.planning.plan import build_plan
from migrator.planning.service_plan import build_service_plan
from migrator.pipeline.inputs import load_decomposition
from migrator.pipeline.analysis import AnalyzeRequest, analyze
from migrator.model.dependencies.declared import overridden
from migrator.pipeline.dependencies import declared_requirements
from migrator.pipeline.monolith import kept_monolith_openapi, module_sources, monolith_suite, runtime_facts
from migrator.pipeline.monolith_files import monolith_files
from migrator.pipeline.rewriting import pooled_rewrite
from migrator.pipeline.caches import load_documents, load_tree_stats, save_documents, save_tree_stats
from generators.deploy.text import kept_documents
from migrator.engine.run import default_cache_dir
from migrator.engine.forking import Forked
from migrator.writer import TreeChanges, survey_tree, write_tree
from migrator.pipeline.locking import lock_requirements
from generators.service.requirements import LOCK_FILE, pinned_runtime


P = ParamSpec("P")
R = TypeVar("R")


def _uncollected(function: Callable[P, R]) -> Callable[P, R]:
    """``function`` run without Python's cyclic garbage collector (``uncollected``): rendering and
    writing a system makes few reference cycles but hundreds of thousands of objects (a path and a
    text per file), and each collection they set off walked every object alive, the graph's and
    the plan's (5-7% of a warm run on saleor)."""

    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with uncollected():
            return function(*args, **kwargs)

    return run


def generate(
    src: Path, decomposition_path: Path, out: Path, *, event_bus: str | None = None, database: str | None = None, force: bool = False, prune: bool = False,
    dry_run: bool = False,
) -> tuple[ServicePlan, TreeChanges, tuple[str, ...]]:
    """Analyze SRC and write the system the decomposition describes under OUT; the event bus is
    the one asked for, else the project's ``[tool.migrator] event_bus``, else the default.

    Files a person edited are kept (``force`` replaces them); files of the last run that the
    system no longer has are left (``prune`` removes those nobody edited); ``dry_run`` writes
    nothing and tells what would happen. Returns the plan, what was written, and the warnings (the
    requirements could not be locked)."""
    bus = event_bus or project_event_bus(src)
    if bus not in BUSES:
        raise MigratorError(f"unknown event bus {bus!r}", hint=f"use one of {', '.join(BUSES)}")
    with OutSurvey(src, out) as survey:
        graph, _ = analyze(AnalyzeRequest(src=src))
        plan, files = render_generated(graph, load_decomposition(decomposition_path, graph), src, event_bus=bus, database=database)
        warnings = locked(files, out)
        return plan, write_generated(src, out, files, force=force, prune=prune, dry_run=dry_run, survey=survey), warnings


SURVEY_CHILD_FILES = 2_000
"""From this many files noted under OUT, a forked child looks at them while the system is made."""


class OutSurvey:
    """What the writer noted of OUT's files last time (kept in SRC's cache), and, from a forked
    child started now (``Forked``) when there are many, those of them no longer as noted
    (``survey_tree``): the look at every file of a large system is taken on the second core while
    this process renders it. Use it as a context manager (leaving stops the child)."""

    def __init__(self, src: Path, out: Path, *, child: bool = True) -> None:
        self.cache = default_cache_dir(src.resolve()) / "generate"
        self.stats = load_tree_stats(self.cache, out)
        self._surveyed = Forked(functools.partial(survey_tree, out, self.stats), fork=child and len(self.stats.files) >= SURVEY_CHILD_FILES)

    def surveyed(self) -> frozenset[str]:
        return self._surveyed.result()

    def close(self) -> None:
        """Stop the child, if it still runs, and reap it."""
        self._surveyed.cancel()

    def __enter__(self) -> OutSurvey:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@_uncollected
def write_generated(
    src: Path, out: Path, files: dict[str, str | bytes], *, force: bool = False, prune: bool = False, dry_run: bool = False, survey: OutSurvey | None = None,
) -> TreeChanges:
    """``write_tree`` with what the writer noted of OUT's files last time (``OutSurvey``, made
    now when not given), so that the files that did not change since are not read again."""
    survey = survey or OutSurvey(src, out, child=False)
    changes = write_tree(out, files, force=force, prune=prune, dry_run=dry_run, stats=survey.stats, surveyed=survey.surveyed())
    if not dry_run:
        save_tree_stats(survey.cache, out, survey.stats)
    return changes


def locked(files: dict[str, str | bytes], out: Path) -> tuple[str, ...]:
    """Put the lock of the services' requirements into ``files`` (``migrator.pipeline.locking``): the
    one under ``out`` while the requirements are those it was made from; each service's runtime
    lines pinned to it; the warning when uv could not resolve them from the index."""
    requirements = sorted({text for path, text in files.items() if path.count("/") == 1 and path.endswith("/requirements.txt") and isinstance(text, str)})
    if not requirements:
        return ()
    lock = lock_requirements("".join(requirements) if len(requirements) == 1 else _union(requirements), previous=out / LOCK_FILE)
    files[LOCK_FILE] = lock.text
    for path, text in list(files.items()):
        if path.count("/") == 1 and path.endswith("/requirements.txt") and isinstance(text, str):
            files[path] = pinned_runtime(text, lock.text)
    return (lock.warning,) if lock.warning else ()


def _union(texts: list[str]) -> str:
    """One requirements text holding every line of ``texts`` once."""
    return "".join(dict.fromkeys(line + "\n" for text in texts for line in text.splitlines()))


def project_event_bus(src: Path) -> str:
    """The project's ``[tool.migrator] event_bus``, else the default bus."""
    return (load_project_config(src).event_bus if src.is_dir() else None) or DEFAULT_BUS


@_uncollected
def render_generated(
    graph: DependencyGraph, decomposition: Decomposition, src: Path, *, event_bus: str = "nats", migration: MigrationPlan | None = None,
    database: str | None = None,
) -> tuple[ServicePlan, dict[str, str | bytes]]:
    """The generated system's files ({relative path: text, or bytes for the monolith's files carried as they are}) for a graph and decomposition (and
    their migration plan) already in hand, as ``migrate`` has them."""
    cache = default_cache_dir(src.resolve()) / "generate"
    sources = module_sources(graph, src)
    facts = runtime_facts(graph, src, sources, cache_dir=cache)
    migration = migration or build_plan(graph, decomposition)
    database = database or (load_project_config(src).database if src.is_dir() else None) or "per-service"
    plan = build_service_plan(graph, decomposition, migration, system=src.resolve().name, event_bus=event_bus, runtime=facts, database=database)
    # route handlers stay in every copy (the runtime answers only the gateway's paths); event handlers leave other services' copies
    handlers = {e.target for e in graph.edges(EdgeKind.SUBSCRIBES)}
    requirements = monolith_requirements(src)
    other_files = monolith_files(src, modules={source.path for source in sources.values()})
    openapi = kept_monolith_openapi(src, facts.app_factory, requirements, sources=sources, files=other_files, cache_dir=cache)
    monolith = Monolith(
        source=str(src.resolve()), sources=sources, handlers=handlers - {""}, requirements=requirements, openapi=openapi, tests=monolith_suite(src),
        files=other_files,
    )
    rewrite, documents = pooled_rewrite(cache), load_documents(cache)
    with kept_documents(documents) as used:
        files = render_system(plan, monolith, rewrite=rewrite)
    rewrite.save()
    save_documents(cache, used, documents)
    return plan, files


def monolith_requirements(src: Path) -> DeclaredRequirements:
    """What the monolith's project declares it needs, as ``[tool.migrator]`` asks (``requirements``, ``extras``)."""
    config = load_project_config(src) if src.is_dir() else None
    if config is None:
        return declared_requirements(src)
    missing = [path for path in config.requirements if not path.is_file()]
    if missing:
        raise MigratorError(f"{config.where.get('requirements', 'pyproject.toml')}: [tool.migrator] requirements names {missing[0]}, "
                            "which is not there", hint="name requirements files relative to the project's folder")
    return overridden(declared_requirements(src, groups=config.extras, files=config.requirements), config.overrides)
