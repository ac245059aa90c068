"""From the decomposition and its migration plan to the ``ServicePlan`` generators render."""

from __future__ import annotations

import re
from collections import defaultdict

from migrator.model.decomposition import Decomposition
from migrator.model.facts import EdgeKind, NodeKind
from migrator.model.graph import DependencyGraph
from migrator.model.plan import EVENT, REST, MigrationPlan
from migrator.model.service_plan import (
    FIRST_PORT, Channel, Client, Endpoint, GatewayRoute, InternalEndpoint, ServicePlan, ServiceSpec,
)

IDEMPOTENT_VERBS = frozenset({"get", "list", "find", "fetch", "load", "read", "check", "validate", "quote", "search", "count"})
BUSES = ("nats", "kafka", "rabbit", "redis")


def _env_name(service: str) -> str:
    return re.sub(r"[^A-Z0-9]", "_", service.upper())


def internal_path(function: str) -> str:
    """The HTTP path that exposes a function to other services, derived from its name only."""
    return "/internal/" + "/".join(part.strip("_") or "x" for part in function.split("."))


def build_service_plan(
    graph: DependencyGraph, decomposition: Decomposition, plan: MigrationPlan, *, system: str = "system", event_bus: str = "nats"
) -> ServicePlan:
    """Ports, packages, endpoints, clients, channels and gateway routes for every service."""
    if event_bus not in BUSES:
        raise ValueError(f"unknown event bus {event_bus!r}")
    names = sorted(s.name for s in plan.services)
    ports = {name: FIRST_PORT + i for i, name in enumerate(names)}
    routes = _routes(graph, plan)
    callers: dict[tuple[str, str], set[str]] = defaultdict(set)
    clients: dict[str, set[Client]] = defaultdict(set)
    for crossing in plan.crossings:
        if crossing.treatment == REST and crossing.via == "call" and graph.node(crossing.target).kind is NodeKind.FUNCTION:
            callers[(crossing.target_service, crossing.target)].add(crossing.source_service)
            verb = crossing.target.rsplit(".", 1)[-1].lstrip("_").split("_")[0]
            clients[crossing.source_service].add(
                Client(crossing.target_service, crossing.target, internal_path(crossing.target), verb in IDEMPOTENT_VERBS)
            )
    channels = _channels(plan)
    specs = []
    for scope in plan.services:
        name = scope.name
        env = {"SERVICE_NAME": name, "PORT": str(ports[name]), "DATABASE_URL": f"sqlite:///./{name.replace('-', '_')}.db", "EVENT_BUS_URL": ""}
        for client in sorted(clients[name], key=lambda c: (c.service, c.function)):
            env[f"{_env_name(client.service)}_URL"] = f"http://{client.service}:{ports[client.service]}"
        specs.append(
            ServiceSpec(
                name=name,
                package=name.replace("-", "_") + "_service",
                port=ports[name],
                modules=scope.units,
                tables=scope.tables,
                routes=tuple(routes.get(name, ())),
                internal=tuple(
                    InternalEndpoint(function, internal_path(function), tuple(sorted(who)))
                    for (owner, function), who in sorted(callers.items()) if owner == name
                ),
                clients=tuple(sorted(clients[name], key=lambda c: (c.service, c.function))),
                publishes=tuple(c.name for c in channels if name in c.publishers),
                subscribes=tuple(c.name for c in channels if name in c.subscribers),
                env=env,
                labels={
                    "app.kubernetes.io/name": name,
                    "app.kubernetes.io/part-of": system,
                    "app.kubernetes.io/component": "service",
                    "app.kubernetes.io/managed-by": "migrator",
                },
            )
        )
    return ServicePlan(
        system=system,
        services=tuple(specs),
        shared_modules=decomposition.shared.units if decomposition.shared else (),
        gateway=_gateway(routes),
        channels=tuple(channels),
        event_bus=event_bus,
    )


def _routes(graph: DependencyGraph, plan: MigrationPlan) -> dict[str, list[Endpoint]]:
    result: dict[str, list[Endpoint]] = defaultdict(list)
    for scope in plan.services:
        for route in scope.routes:
            node = graph.node(f"route:{route}")
            method, _, path = route.partition(" ")
            handlers = graph.find_successors(node.id, EdgeKind.HANDLES)
            result[scope.name].append(Endpoint(method, path, str(node.attrs.get("handler") or (handlers[0] if handlers else ""))))
    return result


def _channels(plan: MigrationPlan) -> list[Channel]:
    publishers: dict[str, set[str]] = defaultdict(set)
    subscribers: dict[str, set[str]] = defaultdict(set)
    for crossing in plan.crossings:
        if crossing.treatment != EVENT:
            continue
        name = crossing.detail.split(" ", 1)[1] if crossing.via in ("event", "signal", "task") else crossing.target.rsplit(".", 1)[-1]
        publishers[name].add(crossing.source_service)
        subscribers[name].add(crossing.target_service)
    return [
        Channel(name, re.sub(r"[^a-z0-9.]+", "-", name.lower()).strip("-.") or "event", tuple(sorted(publishers[name])), tuple(sorted(subscribers[name])))
        for name in sorted(publishers)
    ]


def _gateway(routes: dict[str, list[Endpoint]]) -> tuple[GatewayRoute, ...]:
    """Exact prefixes per service: the first two path segments of each route, when no other
    service serves under the same prefix (else the full path)."""
    owners: dict[str, set[str]] = defaultdict(set)
    for service, endpoints in routes.items():
        for endpoint in endpoints:
            owners[_prefix(endpoint.path)].add(service)
    chosen: dict[str, str] = {}
    for service, endpoints in routes.items():
        for endpoint in endpoints:
            prefix = _prefix(endpoint.path)
            key = prefix if len(owners[prefix]) == 1 else endpoint.path
            chosen[key] = service
    return tuple(GatewayRoute(p, s) for p, s in sorted(chosen.items(), key=lambda item: (-len(item[0]), item[0])))


def _prefix(path: str) -> str:
    segments = [s for s in path.split("/") if s]
    fixed = []
    for segment in segments[:2]:
        if "{" in segment or "<" in segment or "(" in segment:
            break
        fixed.append(segment)
    return "/" + "/".join(fixed)
