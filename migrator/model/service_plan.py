"""The one model every generated artifact is rendered from (the service, its code, Dockerfile,
Kubernetes manifests, gateway, monitoring), so that names, ports, labels and paths agree."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

FIRST_PORT = 8001
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


@dataclass(frozen=True)
class Channel:
    """An event on the bus: in-process events, signals, fire-and-forget calls and tasks."""

    name: str
    subject: str
    publishers: tuple[str, ...]
    subscribers: tuple[str, ...]


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    package: str
    """The Python package of the generated service (``orders_service``)."""
    port: int
    modules: tuple[str, ...]
    tables: tuple[str, ...]
    routes: tuple[Endpoint, ...]
    internal: tuple[InternalEndpoint, ...]
    clients: tuple[Client, ...]
    publishes: tuple[str, ...]
    subscribes: tuple[str, ...]
    env: dict[str, str] = field(default_factory=dict)
    """Configuration variables and their defaults (service addresses included)."""
    labels: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class GatewayRoute:
    prefix: str
    service: str


@dataclass(frozen=True)
class ServicePlan:
    system: str
    services: tuple[ServiceSpec, ...]
    shared_modules: tuple[str, ...]
    gateway: tuple[GatewayRoute, ...]
    """Longest prefix first; everything else goes to the monolith."""
    channels: tuple[Channel, ...]
    event_bus: str = "nats"

    def service(self, name: str) -> ServiceSpec:
        for spec in self.services:
            if spec.name == name:
                return spec
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
