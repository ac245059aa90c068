"""The whole generated system of one plan: every renderer, in one place, so that ``migrator
generate`` and anything else that renders a system (the golden files) render the same thing."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from generators.asyncapi import render_asyncapi
from generators.deploy import render_deployment
from generators.gateway import render_gateway
from generators.openapi import render_openapi, system_document
from generators.service.files import carry_files
from generators.service.render import ModuleSource, render_services
from generators.service.rewrites import Rewrite, rewrite_here
from generators.system_file import render_system_file
from generators.system_readme import render_readme
from migrator.model.dependencies.declared import DeclaredRequirements
from migrator.model.service_plan import ServicePlan


@dataclass(frozen=True)
class Monolith:
    """What the generated system carries of the monolith beyond its plan."""

    source: str
    """Its folder, as system.json names it."""
    sources: Mapping[str, ModuleSource] = field(default_factory=dict)
    """The text of its modules, by dotted name."""
    handlers: Collection[str] = ()
    """Its event handlers (removed from the copies of modules another service owns, on ASGI)."""
    requirements: DeclaredRequirements = DeclaredRequirements()
    """What it declares it needs (every service installs it, with the runtime's own requirements)."""
    openapi: Mapping[str, Any] | None = None
    """Its own OpenAPI document, when its application builds one."""
    tests: Mapping[str, str] | None = None
    """Its HTTP test suite (``path``, ``base_url_variable``), when it has one."""
    files: Mapping[str, bytes] = field(default_factory=dict)
    """Its other files (templates, static files, migrations, config...), by path relative to the
    folder that holds its top-level package, as ``ModuleSource.path``."""


def render_system(plan: ServicePlan, monolith: Monolith, *, rewrite: Rewrite = rewrite_here) -> dict[str, str | bytes]:
    """``{path under OUT: text}`` for every file of the generated system (bytes for the monolith's
    files carried as they are); ``rewrite`` runs the rewrites of the monolith's modules (``render_services``)
    and of its other Python files (``carry_files``)."""
    files: dict[str, str | bytes] = {}
    files.update(render_readme(plan))
    files.update(render_asyncapi(plan))
    files.update(render_gateway(plan))
    files.update(render_deployment(plan))
    files.update(render_openapi(plan, monolith.openapi))
    files.update(render_services(plan, monolith.sources, handlers=monolith.handlers, requirements=monolith.requirements,
                                 system_openapi=system_document(monolith.openapi) if monolith.openapi is not None else None, rewrite=rewrite))
    for path, data in carry_files(plan, monolith.sources, monolith.files, rewrite=rewrite).items():
        files.setdefault(path, data)  # what the system writes itself wins over the monolith's file at its path
    files.update(render_system_file(plan, source=monolith.source, tests=monolith.tests, written=files))
    return files
