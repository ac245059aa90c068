"""The plan of the system to generate: per service what it owns (modules, tables, routes), serves
(internal endpoints) and calls (clients, channels). How the system is deployed (each service's key,
host, package, variables, addresses, database and the event bus) is derived from it in one place,
``migrator.model.deployment``."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from migrator.model.hosting import Hosting

MONOLITH = "monolith"
"""Where the gateway sends every path that no extracted service owns yet (strangler fig)."""


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    handler: str
    """Qualified name of the function that serves it in the monolith."""


@dataclass(frozen=True)
class InternalEndpoint:
    """A function other services call synchronously, exposed over HTTP by its owner."""

    function: str
    path: str
    callers: tuple[str, ...]


@dataclass(frozen=True)
class Client:
    """A typed client a service needs for a function of another service."""

    service: str
    function: str
    path: str
    idempotent: bool
    """Only idempotent calls are retried."""
    scheduled: bool = False
    """The function is a job the monolith's own scheduler runs: called in a thread of the service's
    own (its copy of the scheduler), not for a request or an event, the client leaves it to the
    owner, whose scheduler runs it; otherwise every service would run every job."""


@dataclass(frozen=True)
class Channel:
    """An event on the bus: in-process events, signals, fire-and-forget calls and tasks."""

    name: str
    subject: str
    publishers: tuple[str, ...]
    subscribers: tuple[str, ...]
    sync_subscribers: tuple[str, ...] = ()
    """Subscribers whose handler can refuse the event (it raises): they get it synchronously, in the
    publisher's transaction, until a saga replaces the refusal."""
    handlers: tuple[tuple[str, str], ...] = ()
    """``(service, qualified handler)`` for every handler of the event."""

    @property
    def async_subscribers(self) -> tuple[str, ...]:
        return tuple(s for s in self.subscribers if s not in self.sync_subscribers)


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    """As the user named it (decomposition.yaml); the deployment view derives its key."""
    port: int
    modules: tuple[str, ...]
    tables: tuple[str, ...]
    routes: tuple[Endpoint, ...]
    internal: tuple[InternalEndpoint, ...]
    clients: tuple[Client, ...]
    publishes: tuple[str, ...]
    subscribes: tuple[str, ...]
    env: dict[str, str] = field(default_factory=dict)
    """The application's own configuration variables and their defaults; the deployment view adds
    the ones every service has (its name, port, database, bus and the addresses it calls)."""
    labels: dict[str, str] = field(default_factory=dict)
    replicas: tuple[str, ...] = ()
    """Tables of other services it keeps a read model of (fed by their row changes)."""
    remote: tuple[str, ...] = ()
    """Functions of other services its code calls: their bodies become client calls."""
    kind: str = "service"
    """``service``, or ``monolith`` for what is not extracted yet."""
    symbols: tuple[str, ...] = ()
    """Classes and functions it takes from modules other services hold (a god module split at
    class and function level, decomposition.yaml's ``symbols``)."""


@dataclass(frozen=True)
class GatewayRoute:
    """Paths the gateway sends to a service: a prefix and everything under it, or with ``whole``
    a route's own pattern as its framework matches it (``migrator.model.route_pattern``)."""

    prefix: str
    service: str
    whole: bool = False
    framework: str = ""
    """Of a whole route, as the routes analyzer names it: a ``django`` path may hold regular expressions."""


UNMOUNTED_REASON = "no app, blueprint or URLconf that migrator found mounts it, so its full path is unknown"
"""Why a route is held back when its full path is unknown: no contract documents it, no check probes it."""


@dataclass(frozen=True)
class HeldRoute:
    """A route of a service that the gateway leaves with the monolith, and why."""

    route: str
    """``GET /api/orders/{id}``."""
    service: str
    reason: str


@dataclass(frozen=True)
class ServicePlan:
    system: str
    services: tuple[ServiceSpec, ...]
    shared_modules: tuple[str, ...]
    gateway: tuple[GatewayRoute, ...]
    """Most specific first (the deployment view orders them again); everything else goes to the monolith."""
    channels: tuple[Channel, ...]
    event_bus: str = "nats"
    root_package: str = ""
    """The monolith's top-level package (``sample_monolith``); its modules keep their names in every service."""
    app_factory: str = ""
    """``module:callable`` that builds the monolith's ASGI application (empty: none found)."""
    dispatcher: str = ""
    """The module of the monolith's in-process event dispatcher (``subscribe``/``publish``)."""
    database_variables: tuple[str, ...] = ()
    """The monolith's own variables for its database URL: each service sets them to its own database."""
    infrastructure: tuple[str, ...] = ()
    """Platform modules (app factory, settings, database) every service carries."""
    held_routes: tuple[HeldRoute, ...] = ()
    """Routes of services the gateway leaves with the monolith (``migrator.planning.gateway``)."""
    hosting: Hosting = field(default_factory=Hosting)
    """How the monolith's application is served (``migrator.model.hosting``)."""
    database: str = "per-service"
    """``per-service``: each service its own database; ``shared``: every service keeps the
    monolith's (the first step of a strangler fig; the plan's table issues are what is left)."""

    def served_routes(self, spec: ServiceSpec) -> tuple[Endpoint, ...]:
        """``spec``'s routes whose full path is known (held back unmounted, the others are not served at their path)."""
        unknown = {h.route for h in self.held_routes if h.service == spec.name and h.reason == UNMOUNTED_REASON}
        return tuple(r for r in spec.routes if f"{r.method} {r.path}" not in unknown)

    def service(self, name: str) -> ServiceSpec:
        for spec in self.services:
            if spec.name == name:
                return spec
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ServicePlan:
        """The inverse of ``to_dict`` (``system.json`` holds a plan so that ``verify`` can use it)."""
        services = tuple(
            ServiceSpec(
                **{
                    **{k: v for k, v in spec.items() if k != "package"},  # system.json of an earlier version
                    "modules": tuple(spec["modules"]),
                    "tables": tuple(spec["tables"]),
                    "routes": tuple(Endpoint(**r) for r in spec["routes"]),
                    "internal": tuple(InternalEndpoint(i["function"], i["path"], tuple(i["callers"])) for i in spec["internal"]),
                    "clients": tuple(Client(**c) for c in spec["clients"]),
                    "publishes": tuple(spec["publishes"]),
                    "subscribes": tuple(spec["subscribes"]),
                    "replicas": tuple(spec.get("replicas", ())),
                    "remote": tuple(spec.get("remote", ())),
                    "symbols": tuple(spec.get("symbols", ())),
                }
            )
            for spec in data["services"]
        )
        return cls(
            system=data["system"],
            services=services,
            shared_modules=tuple(data["shared_modules"]),
            gateway=tuple(GatewayRoute(**g) for g in data["gateway"]),
            channels=tuple(
                Channel(c["name"], c["subject"], tuple(c["publishers"]), tuple(c["subscribers"]), tuple(c.get("sync_subscribers", ())),
                        tuple(tuple(h) for h in c.get("handlers", ())))
                for c in data["channels"]
            ),
            event_bus=data.get("event_bus", "nats"),
            root_package=data.get("root_package", ""),
            app_factory=data.get("app_factory", ""),
            dispatcher=data.get("dispatcher", ""),
            database_variables=tuple(data.get("database_variables", ())),
            infrastructure=tuple(data.get("infrastructure", ())),
            held_routes=tuple(HeldRoute(**h) for h in data.get("held_routes", ())),
            hosting=Hosting.from_dict(data.get("hosting")),
            database=data.get("database", "per-service"),
        )
