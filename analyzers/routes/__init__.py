"""HTTP routes and the code that handles them: Django URLconfs and DRF routers, Flask, FastAPI.

The scan records, per file, what is written: route decorators (``@app.get("/x")``),
registration calls (``register_blueprint``, ``include_router``, ``add_url_rule``,
``router.register``...), the app, blueprint and router objects with their own prefixes, Django
pattern lists, and module-level string constants (for prefixes held in variables). The link
resolves names across modules and walks down from the roots (an app; Django's ROOT_URLCONF)
through every include to give each route its full path. A route that no root reaches keeps its
local path and ``mounted: false``.
"""

from __future__ import annotations

from analyzers.base import Analyzer, Contribution, ParsedModule, Project
from analyzers.routes.constants import _module_constants
from analyzers.routes.facts import (
    Action,
    AppObject,
    ClassFacts,
    Piece,
    Ref,
    Registration,
    RouteDecorator,
    RouteFacts,
    UrlEntry,
    ViewRef,
)
from analyzers.routes.link import _Linker
from analyzers.routes.route_like import count_django_patterns, route_like_offsets
from analyzers.routes.scan import _Scanner, _trigger_lines
from analyzers.routes.vocabulary import Text

__all__ = [
    "Action",
    "AppObject",
    "ClassFacts",
    "Piece",
    "Ref",
    "Registration",
    "RouteDecorator",
    "RouteFacts",
    "RoutesAnalyzer",
    "Text",
    "UrlEntry",
    "ViewRef",
]


class RoutesAnalyzer(Analyzer):
    """Routes of Django (URLconfs, class-based views, DRF routers), Flask and FastAPI."""

    name = "routes"
    version = 5

    def scan(self, module: ParsedModule) -> RouteFacts | None:
        constants = _module_constants(module.tree.body)
        offsets = route_like_offsets(module.source)
        triggers = _trigger_lines(module.source, offsets)
        route_like = len(offsets) + count_django_patterns(module.source)
        if not triggers:
            return RouteFacts(constants, route_like=route_like) if constants or route_like else None
        facts = RouteFacts(constants, route_like=route_like)
        _Scanner(facts, triggers).walk(module.tree.body)
        return facts

    def link(self, project: Project) -> Contribution:
        return _Linker(project, self.name).run()
