"""One request per route pattern of the application, through the gateway: which service must
answer it (the plan's owner, or the monolith for what the gateway holds back), and, for a GET
with no parameter, the status the monolith gives it, which the split system must give too."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from migrator.model.deployment import Topology
from migrator.model.route_pattern import RoutePattern, parse_route
from migrator.model.service_plan import MONOLITH, UNMOUNTED_REASON, ServicePlan

SERVED_BY_HEADER = "X-Served-By"
"""The header every service's runtime marks its answers with (generated runtime/web.py)."""
ROUTES_STEP = "routes through the gateway"
SAME_STATUS_STEP = "GET routes answer as on the monolith"


@dataclass(frozen=True)
class RouteProbe:
    route: str
    """``GET /posts/<int:id>``: as the application declares it."""
    method: str
    path: str
    """A path the route matches (its parameters filled in with values their converters take)."""
    owner: str
    """The key of the service that must answer it."""
    compare: bool
    """A GET without parameters: the monolith's status is the expected one."""


@dataclass(frozen=True)
class ProbeResult:
    probe: RouteProbe
    status: int
    served_by: str
    monolith_status: int | None = None


def route_probes(plan: ServicePlan) -> tuple[list[RouteProbe], list[str]]:
    """A probe per route pattern of the plan's services, and the routes no request can be made
    for (a part of the path the analysis could not read), with the reason."""
    topology = Topology(plan)
    held = {(h.service, h.route) for h in plan.held_routes}
    monolith = topology.monolith.key if topology.monolith else MONOLITH
    probes, left_out, seen = [], [], set()
    for spec in plan.services:
        served = set(plan.served_routes(spec))
        for endpoint in spec.routes:
            if endpoint not in served:
                left_out.append(f"{endpoint.method} {endpoint.path}: {UNMOUNTED_REASON}")
                continue
            route = f"{endpoint.method} {endpoint.path}"
            pattern = parse_route(endpoint.path, framework=_framework(plan, endpoint.path))
            if not isinstance(pattern, RoutePattern):
                left_out.append(f"{route}: {pattern.reason}")
                continue
            method = endpoint.method.upper() if endpoint.method.upper() not in ("ANY", "*", "") else "GET"
            if (method, pattern.example) in seen:
                continue
            seen.add((method, pattern.example))
            owner = topology.key_of(spec.name)
            if (spec.name, route) in held or spec.name == MONOLITH:  # the fallback's: wherever the gateway sends its path
                owner = next((p.workload.key for p in topology.gateway if p.pattern.matches(pattern.example)), monolith)
            probes.append(RouteProbe(route, method, pattern.example, owner, method == "GET" and not pattern.parameters))
    return probes, left_out


def _framework(plan: ServicePlan, path: str) -> str:
    return next((g.framework for g in plan.gateway if g.prefix == path and g.framework), plan.hosting.framework)


def misrouted(results: list[ProbeResult]) -> list[str]:
    """The requests another service answered than their owner, or that no service marked."""
    return [f"{r.probe.method} {r.probe.path} ({r.probe.route}): answered by {r.served_by or 'no service (status ' + str(r.status) + ')'}, "
            f"owner {r.probe.owner}" for r in results if r.served_by != r.probe.owner]


def status_differences(results: list[ProbeResult]) -> list[str]:
    return [f"GET {r.probe.path}: {r.status} through the gateway, {r.monolith_status} on the monolith"
            for r in results if r.probe.compare and r.monolith_status is not None and r.status != r.monolith_status]


def count_by_owner(results: list[ProbeResult]) -> Mapping[str, int]:
    counts: dict[str, int] = {}
    for r in results:
        counts[r.probe.owner] = counts.get(r.probe.owner, 0) + 1
    return counts
