"""The route probes of a run: one request per route pattern, the service that must answer it, and
which GET routes are compared with the monolith."""

from __future__ import annotations

from migrator.model.service_plan import Endpoint, GatewayRoute, HeldRoute, ServicePlan, ServiceSpec
from migrator.verify.domain.routes import ProbeResult, misrouted, route_probes, status_differences


def _spec(name: str, port: int, *routes: tuple[str, str], kind: str = "service") -> ServiceSpec:
    return ServiceSpec(name, port, (f"shop.{name}",), (), tuple(Endpoint(m, p, f"shop.{name}.view") for m, p in routes), (), (), (), (), kind=kind)


def _plan() -> ServicePlan:
    services = (
        _spec("Orders", 8001, ("GET", "/orders/<int:id>"), ("POST", "/orders/"), ("GET", "/orders/export")),
        _spec("home", 8002, ("GET", "/")),
        _spec("monolith", 8000, ("POST", "/"), ("GET", "/about"), ("GET", "/{?}/legacy"), kind="monolith"),
    )
    gateway = (GatewayRoute("/orders/<int:id>", "Orders", framework="flask", whole=True), GatewayRoute("/orders", "Orders"),
               GatewayRoute("/", "home", framework="flask", whole=True))
    held = (HeldRoute("GET /orders/export", "Orders", "its prefix is another service's"),)
    return ServicePlan("shop", services, (), gateway, (), held_routes=held)


def test_each_route_pattern_is_probed_at_a_path_it_matches_with_its_owner() -> None:
    probes, left_out = route_probes(_plan())
    assert [(p.method, p.path, p.owner, p.compare) for p in probes] == [
        ("GET", "/orders/7", "orders", False),
        ("POST", "/orders/", "orders", False),
        ("GET", "/orders/export", "orders", True),  # held back, but the gateway's /orders prefix takes its path
        ("GET", "/", "home", True),
        ("POST", "/", "home", False),  # the monolith's route, but the gateway routes by path: home answers it
        ("GET", "/about", "monolith", True),
    ]
    assert len(left_out) == 1 and left_out[0].startswith("GET /{?}/legacy: ")


def test_a_request_answered_by_another_service_or_none_is_named() -> None:
    probes, _ = route_probes(_plan())
    results = [ProbeResult(probes[0], 200, "orders"), ProbeResult(probes[3], 200, "monolith", 200), ProbeResult(probes[5], 502, "", 200)]
    assert misrouted(results) == [
        "GET / (GET /): answered by monolith, owner home",
        "GET /about (GET /about): answered by no service (status 502), owner monolith",
    ]
    assert status_differences(results) == ["GET /about: 502 through the gateway, 200 on the monolith"]
