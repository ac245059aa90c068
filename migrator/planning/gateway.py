"""Which paths the gateway sends to which service: a prefix where one service serves everything
under it, else each route's own pattern; every other path stays with the monolith (strangler fig).

A prefix is the first two fixed segments of a route's path (``/api/orders``), or more when that
is not enough to tell services apart, and only when no route of another service, nor of the
monolith, could match a path under it (``/<project>/add`` matches ``/dashboard/add``). A route
without such a prefix gets its own pattern, matched as its framework matches it
(``migrator.model.route_pattern``); a route of the monolith gets one too when a service's
pattern would match its paths. A route the gateway cannot match (part of its path could not be
read, a route nothing mounts, a regular expression no gateway matches alike, or a path two
owners serve) is held: it stays with the monolith, with the reason, in the plan.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from migrator.model.facts import NodeKind
from migrator.model.graph import DependencyGraph
from migrator.model.plan import ServiceScope
from migrator.model.route_pattern import Part, RoutePattern, Unroutable, parse_route
from migrator.model.service_plan import MONOLITH, UNMOUNTED_REASON, GatewayRoute, HeldRoute

PREFIX_SEGMENTS = 2
"""Fixed segments a prefix has at least (when the path has that many)."""
UNMOUNTED = Unroutable(UNMOUNTED_REASON)


@dataclass(frozen=True)
class GatewayPlan:
    routes: tuple[GatewayRoute, ...]
    """Most specific first."""
    held: tuple[HeldRoute, ...]


@dataclass(frozen=True)
class _Owned:
    route: str
    """``GET /api/orders/{id}``."""
    owner: str
    pattern: RoutePattern
    framework: str

    @property
    def path(self) -> str:
        return self.route.partition(" ")[2]


def plan_gateway(graph: DependencyGraph, scopes: Iterable[ServiceScope]) -> GatewayPlan:
    """The gateway's routes for the services of ``scopes``; every route no scope takes is the monolith's."""
    owner_of = {f"route:{route}": scope.name for scope in scopes for route in scope.routes}
    owned: list[_Owned] = []
    held: list[HeldRoute] = []
    for node in sorted(graph.nodes(NodeKind.ROUTE), key=lambda n: n.id):
        route, owner, framework = node.id.removeprefix("route:"), owner_of.get(node.id, MONOLITH), str(node.attrs.get("framework") or "")
        pattern = parse_route(route.partition(" ")[2], framework=framework) if node.attrs.get("mounted", True) else UNMOUNTED
        if isinstance(pattern, Unroutable):
            if owner != MONOLITH:
                held.append(HeldRoute(route, owner, pattern.reason))
            continue
        owned.append(_Owned(route, owner, pattern, framework))
    owned, shared = _one_owner_per_path(owned)
    held += shared
    return GatewayPlan(_routes(owned), tuple(sorted(held, key=lambda h: (h.service, h.route))))


def _one_owner_per_path(owned: list[_Owned]) -> tuple[list[_Owned], list[HeldRoute]]:
    """A path several owners serve (by method: GET by one, POST by another) stays with the
    monolith: the gateway tells routes apart by path only."""
    by_path: dict[str, list[_Owned]] = defaultdict(list)
    for route in owned:
        by_path[route.pattern.python_regex.pattern].append(route)
    kept, held = [], []
    for routes in by_path.values():
        owners = sorted({r.owner for r in routes})
        if len(owners) == 1:
            kept += routes
            continue
        for route in routes:
            if route.owner != MONOLITH:
                others = ", ".join(f"{o} ({', '.join(r.route.partition(' ')[0] for r in routes if r.owner == o)})" for o in owners if o != route.owner)
                held.append(HeldRoute(route.route, route.owner, f"its path is also served by {others}: the gateway tells routes apart by path, "
                                                                  "not by method; move the handlers of this path into one service"))
            kept.append(_Owned(route.route, MONOLITH, route.pattern, route.framework))
    return kept, held


def _routes(owned: list[_Owned]) -> tuple[GatewayRoute, ...]:
    owners_under: dict[tuple[str, ...], set[str]] = {}

    def owners(prefix: tuple[str, ...]) -> set[str]:
        if prefix not in owners_under:
            owners_under[prefix] = {r.owner for r in owned if r.pattern.could_match_under(prefix)}
        return owners_under[prefix]

    chosen: dict[GatewayRoute, RoutePattern] = {}
    whole: list[_Owned] = []
    for route in owned:
        prefix = _prefix(route, owners)
        if prefix is None:
            whole.append(route)
        elif route.owner != MONOLITH:
            text = "/" + "/".join(prefix)
            chosen[GatewayRoute(text, route.owner)] = RoutePattern(text, (Part(literal=text),), whole=False)
    services = [r for r in whole if r.owner != MONOLITH]
    for route in whole:
        # the monolith's own route needs a location only where a service's pattern would take its paths
        if route.owner != MONOLITH or any(s.pattern.matches(route.pattern.example) for s in services):
            chosen[GatewayRoute(route.path, route.owner, whole=True, framework=route.framework)] = route.pattern
    kept = {route: pattern for route, pattern in chosen.items() if not _covered(route, pattern, chosen)}
    return tuple(sorted(kept, key=lambda g: (kept[g].specificity, g.service)))


def _covered(route: GatewayRoute, pattern: RoutePattern, chosen: dict[GatewayRoute, RoutePattern]) -> bool:
    """Whether a shorter prefix of the same service already takes every path of ``route``."""
    fixed = pattern.fixed_segments
    return any(
        other != route and other.service == route.service and not other.whole
        and len(theirs.fixed_segments) < len(fixed) + route.whole and fixed[: len(theirs.fixed_segments)] == theirs.fixed_segments
        for other, theirs in chosen.items()
    )


def _prefix(route: _Owned, owners: Callable[[tuple[str, ...]], set[str]]) -> tuple[str, ...] | None:
    """The shortest prefix of at least two fixed segments under which only ``route``'s owner
    serves, or None (the route is matched by its own pattern)."""
    fixed = route.pattern.fixed_segments
    for depth in range(min(PREFIX_SEGMENTS, len(fixed)), len(fixed) + 1):
        if depth and owners(fixed[:depth]) == {route.owner}:
            return fixed[:depth]
    return None
