"""Gateway routes that match what the application matches, through the real nginx: for a Flask,
a Django and a FastAPI application (tests/assets/gateway/), analysed, planned and rendered as
``migrate`` does it, every route pattern's example path (each parameter filled as its converter
takes it: an int, a uuid, a slug, a path with slashes) reaches the service that owns it, the
monolith's routes and paths nobody owns reach the monolith, and ``nginx -t`` passes."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzers.base import AnalysisOptions
from analyzers.routes import RoutesAnalyzer
from analyzers.symbols import SymbolsAnalyzer
from migrator.engine.run import analyze_tree
from migrator.model.facts import NodeKind
from migrator.model.graph import DependencyGraph
from migrator.model.plan import ServiceScope
from migrator.model.service_plan import MONOLITH, Endpoint, ServicePlan, ServiceSpec
from migrator.planning.gateway import plan_gateway
from tests.conftest import ASSETS
from tests.e2e.gateway_harness import RouteCheck, route_checks, running_gateway, send

UUID = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"
SITES = {
    # under a service's prefix a path nobody serves goes to the service (/t/fra/): it answers 404 as the monolith would
    "flask_site": {
        "services": {"blog.home": "home", "blog.posts": "posts", "blog.users": "users"},
        "paths": {"/posts": "posts", "/posts/7/edit": MONOLITH, "/u/ada/photos": MONOLITH, "/static/app.css": MONOLITH,
                  "/other": MONOLITH, "/t/fra/": "users", "/nothing/here": MONOLITH, f"/posts/by-token/{UUID.upper()}": "posts"},
    },
    "django_site": {
        "services": {"home": "home", "blog": "blog", "shop": "shop"},
        "paths": {"/ada/": "home", "/ada": "home", "/ada/b/c/": MONOLITH, "/blog/2024/extra/": MONOLITH, "/blog/a.b/": MONOLITH,
                  "/shop/x/y/": MONOLITH, "/shop/items/not-a-uuid/": "shop", "/legacy/x.html": MONOLITH, "/blog/": "home"},
    },
    "fastapi_site": {
        "services": {"api.home": "home", "api.items": "items", "api.users": "users", "api.files": "files", "api.plugins": "plugins"},
        "paths": {"/plugins/list": MONOLITH, "/api/v1/other": MONOLITH, "/api/v2/items/7": MONOLITH, "/api/v1/users/7/x": MONOLITH,
                  "/api/v1/items/7/reviews": "items", "/files/": "files", "/nothing": MONOLITH},
    },
}


def _system(graph: DependencyGraph, services: dict[str, str]) -> ServicePlan:
    """The plan ``migrate`` makes when each module of ``services`` is a service and the rest stays."""
    owned: dict[str, list[str]] = {name: [] for name in services.values()}
    for node in graph.nodes(NodeKind.ROUTE):
        handler = str(node.attrs["handler"])
        for package, name in services.items():
            if handler.startswith(package + "."):
                owned[name].append(node.id.removeprefix("route:"))
    gateway = plan_gateway(graph, [ServiceScope(name, (), (), (), tuple(routes), (), (), ()) for name, routes in owned.items()])
    specs = [ServiceSpec(name, 8001 + i, (), (), tuple(Endpoint(*r.split(" ", 1), "") for r in owned[name]), (), (), (), ())
             for i, name in enumerate(sorted(owned))]
    specs.append(ServiceSpec(MONOLITH, 8000, (), (), (), (), (), (), (), kind=MONOLITH))
    return ServicePlan("site", tuple(specs), (), gateway.routes, (), held_routes=gateway.held)


@pytest.mark.parametrize("site", sorted(SITES))
def test_every_route_pattern_reaches_its_owner_through_nginx(site: str, tmp_path: Path) -> None:
    analysis = analyze_tree(ASSETS / "gateway" / site, analyzers=[SymbolsAnalyzer(), RoutesAnalyzer()],
                            options=AnalysisOptions(use_cache=False, workers=1))
    plan = _system(analysis.graph, SITES[site]["services"])
    checks = route_checks(analysis.graph, plan)
    extra = [RouteCheck("", path, owner, owner) for path, owner in SITES[site]["paths"].items()]
    with running_gateway(plan, tmp_path) as gateway:
        assert gateway.check.returncode == 0, gateway.check.stderr
        results = send(gateway, [*checks, *extra])
    assert [(c.route, c.path, c.got) for c in results if not c.ok] == []
    assert {c.owner for c in checks} == {*SITES[site]["services"].values(), MONOLITH}
    assert "location ~ ^/$ " in gateway.config and gateway.config.count("location / ") == 1  # "/" is a service's, the rest the monolith's


def test_what_the_gateway_holds_is_named_and_reaches_the_monolith() -> None:
    analysis = analyze_tree(ASSETS / "gateway" / "fastapi_site", analyzers=[SymbolsAnalyzer(), RoutesAnalyzer()],
                            options=AnalysisOptions(use_cache=False, workers=1))
    plan = _system(analysis.graph, SITES["fastapi_site"]["services"])
    assert [(h.route, h.service) for h in plan.held_routes] == [("GET /{?}/list", "plugins")]
    assert "{?}" not in "".join(r.prefix for r in plan.gateway)
    assert any(r.prefix == "/api/v1/items" and not r.whole for r in plan.gateway)  # the settings' default prefix, read
