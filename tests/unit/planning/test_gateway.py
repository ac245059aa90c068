"""Which paths the gateway sends where: prefixes where one service serves everything under them,
each route's own pattern where services (or the monolith) share a prefix, and the routes it
leaves with the monolith, with the reason."""

from __future__ import annotations

from migrator.model.facts import Edge, EdgeKind, Node, NodeKind
from migrator.model.graph import DependencyGraph
from migrator.model.plan import ServiceScope
from migrator.model.service_plan import MONOLITH, GatewayRoute
from migrator.planning.gateway import GatewayPlan, plan_gateway
from migrator.planning.plan import build_plan
from tests.unit.planning.test_plan import DECOMPOSITION, _graph


def _plan(services: dict[str, list[str]], monolith: list[str] = (), *, framework: str = "flask", unmounted: tuple[str, ...] = ()) -> GatewayPlan:
    graph = DependencyGraph("/app")
    for route in [*(r for routes in services.values() for r in routes), *monolith]:
        graph.add_node(Node(f"route:{route}", NodeKind.ROUTE, None, None, (), {"framework": framework, "mounted": route not in unmounted}))
    scopes = [ServiceScope(name, (), (), (), tuple(routes), (), (), ()) for name, routes in services.items()]
    return plan_gateway(graph, scopes)


def _routes(plan: GatewayPlan) -> list[tuple[str, str, bool]]:
    return [(r.prefix, r.service, r.whole) for r in plan.routes]


def test_a_prefix_of_two_fixed_segments_when_one_service_serves_under_it() -> None:
    plan = _plan({"orders": ["GET /api/orders", "GET /api/orders/<int:id>", "POST /api/orders/<int:id>/cancel"]})
    assert plan.routes == (GatewayRoute("/api/orders", "orders"),)


def test_a_longer_prefix_when_two_segments_do_not_tell_services_apart() -> None:
    plan = _plan({"items": ["GET /api/v1/items/{id}", "GET /api/v1/items/"], "users": ["GET /api/v1/users/me"]}, framework="fastapi")
    assert _routes(plan) == [("/api/v1/items", "items", False), ("/api/v1/users", "users", False)]


def test_each_routes_own_pattern_where_services_share_every_fixed_segment() -> None:
    plan = _plan({"main": ["GET /api/v1/posts/<int:id>", "GET /api/v1/posts/"], "api": ["GET /api/v1/posts/<int:id>/comments/"]})
    assert _routes(plan) == [
        ("/api/v1/posts/<int:id>/comments/", "api", True), ("/api/v1/posts/", "main", True), ("/api/v1/posts/<int:id>", "main", True),
    ]
    assert all(r.framework == "flask" for r in plan.routes)


def test_a_route_that_starts_with_a_parameter_keeps_others_from_taking_a_prefix() -> None:
    # Flask sends /dashboard/add to /<project_id>/add: /dashboard may not take what is under it
    plan = _plan({"projects": ["GET /<project_id>/add"], "dashboard": ["GET /dashboard", "POST /dashboard/<project_id>/delete"]})
    assert _routes(plan) == [
        ("/dashboard/<project_id>/delete", "dashboard", True), ("/dashboard", "dashboard", True), ("/<project_id>/add", "projects", True),
    ]


def test_a_route_of_the_monolith_gets_a_location_where_a_services_pattern_would_take_its_paths() -> None:
    plan = _plan({"users": ["GET /u/<name>"]}, monolith=["GET /u/new", "GET /legacy/report"])
    assert _routes(plan) == [("/u/new", MONOLITH, True), ("/u/<name>", "users", True)]


def test_the_monolith_under_a_prefix_keeps_its_paths() -> None:
    plan = _plan({"orders": ["GET /api/orders/{id}"]}, monolith=["GET /api/orders/export"], framework="fastapi")
    assert _routes(plan) == [("/api/orders/export", MONOLITH, True), ("/api/orders/{id}", "orders", True)]


def test_a_service_that_owns_the_root_path_gets_that_path_only() -> None:
    plan = _plan({"home": ["GET /", "GET /about"]}, monolith=["GET /admin/"])
    assert _routes(plan) == [("/about", "home", False), ("/", "home", True)]


def test_a_prefix_inside_a_prefix_of_the_same_service_is_left_out() -> None:
    plan = _plan({"main": ["GET /moderate", "GET /moderate/disable/<int:id>", "GET /moderate/enable/<int:id>"]})
    assert plan.routes == (GatewayRoute("/moderate", "main"),)


def test_django_regular_expressions_are_patterns_not_text() -> None:
    # a key of 40 characters is never "list": the prefix is safe; one of 4 could be, and is not
    plan = _plan({"meetings": ["GET /meetings/rsvp/(?P<key>[a-z0-9]{40})/"], "profiles": ["GET /meetings/rsvp/list/"]}, framework="django")
    assert _routes(plan) == [("/meetings/rsvp/list", "profiles", False), ("/meetings/rsvp/(?P<key>[a-z0-9]{40})/", "meetings", True)]
    assert plan.routes[1].framework == "django"
    plan = _plan({"meetings": ["GET /meetings/rsvp/(?P<key>[a-z0-9]{4})/"], "profiles": ["GET /meetings/rsvp/list/"]}, framework="django")
    assert _routes(plan) == [("/meetings/rsvp/list/", "profiles", True), ("/meetings/rsvp/(?P<key>[a-z0-9]{4})/", "meetings", True)]


def test_routes_the_gateway_cannot_match_stay_with_the_monolith_with_the_reason() -> None:
    plan = _plan({"items": ["GET /{?}/items/", "GET /api/items/{id}"], "mail": ["GET /contact", "POST /send"], "site": ["POST /contact"]},
                 framework="fastapi", unmounted=("POST /send",))
    assert {(h.route, h.service) for h in plan.held} == {("GET /{?}/items/", "items"), ("POST /send", "mail"),
                                                        ("GET /contact", "mail"), ("POST /contact", "site")}
    reasons = {h.route: h.reason for h in plan.held}
    assert "could not read" in reasons["GET /{?}/items/"] and "mounts it" in reasons["POST /send"]
    assert "also served by site (POST)" in reasons["GET /contact"] and "not by method" in reasons["GET /contact"]
    assert _routes(plan) == [("/api/items", "items", False)]  # /contact: the monolith's, as every path nobody owns


def test_the_migration_plan_lists_the_routes_the_gateway_holds() -> None:
    graph = _graph()
    graph.add_node(Node("route:GET /{?}/orders", NodeKind.ROUTE, None, None, (), {"framework": "fastapi"}))
    graph.add_edge(Edge("route:GET /{?}/orders", "shop.orders.place", EdgeKind.HANDLES))
    held = build_plan(graph, DECOMPOSITION).held_routes
    assert [(h.route, h.service) for h in held] == [("GET /{?}/orders", "orders")]
