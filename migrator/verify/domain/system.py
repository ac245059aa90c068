"""The generated system a run boots, as ``OUT/system.json`` describes it (docs/generated-system.md)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from migrator.model.deployment import BUSES
from migrator.model.service_plan import MONOLITH, ServicePlan
from migrator.verify.domain.own_suite import OwnSuite


@dataclass(frozen=True)
class RunnableService:
    name: str
    """Its key (migrator.model.deployment): folder, host, variables and logs are named by it."""
    package: str
    dir: str
    app: str
    """``package.module:attribute`` for its server."""
    port: int
    env: dict[str, str]
    openapi: str | None
    """Relative to OUT; None when the service has no OpenAPI document of its own."""
    calls: tuple[str, ...]
    title: str = ""
    """The name the user gave it."""
    server: str = "uvicorn"
    """gunicorn (a WSGI application) or uvicorn (ASGI)."""
    serve: tuple[str, ...] = ()
    """The server's arguments, ``{host}`` and ``{port}`` to fill in."""
    prepare: bool = True
    """It has a schema step (``python -m <package>.prepare``)."""

    def command(self, python: str, host: str, port: int) -> list[str]:
        """The command that serves it with ``python`` at ``host:port``."""
        arguments = self.serve or (self.app, "--host", "{host}", "--port", "{port}")
        return [python, "-m", self.server, *(a.replace("{host}", host).replace("{port}", str(port)) for a in arguments)]


REQUIREMENTS_FILE = "requirements.txt"
LOCK_FILE = "requirements.lock"
"""In each service's folder: what it needs installed."""
SUITE_TOOLS = ("pytest", "httpx")
"""What the monolith's HTTP suite needs beside the monolith's own requirements: its runner and its client."""


def run_tools(bus: str, suite: OwnSuite | None = None) -> tuple[str, ...]:
    """What a run installs beside the services' requirements: the suite's tools, what the
    monolith's own ``suite`` needs (pytest-django, factory-boy...), and the client of the bus it runs
    on, which ``--event-bus`` may make another than the one the system was generated for."""
    return (*SUITE_TOOLS, *(suite.tools if suite else ()), f"faststream[{BUSES[bus].client_extra}]")


@dataclass(frozen=True)
class MonolithSuite:
    path: Path
    base_url_variable: str


@dataclass(frozen=True)
class SystemDescription:
    root: Path
    system: str
    source: Path | None
    tests: MonolithSuite | None
    event_bus: str
    shared: str | None
    services: tuple[RunnableService, ...]
    plan: ServicePlan
    own_suite: OwnSuite | None = None
    """The monolith's own test suite, found in ``source`` (pytest, unittest, Django's runner, pytest-django)."""

    def service_dir(self, service: RunnableService) -> Path:
        return self.root / service.dir

    def suite_service(self) -> RunnableService:
        """The service whose variables and runtime the monolith's own suite runs with: the
        monolith's, else the first."""
        return next((s for s in self.services if s.name == MONOLITH), self.services[0])

    def requirements(self) -> list[Path]:
        """Every service's requirements file."""
        return [self.service_dir(service) / REQUIREMENTS_FILE for service in self.services]

    def lock(self) -> Path | None:
        """The versions the requirements were locked to (``requirements.lock``), when generate wrote them."""
        path = self.root / LOCK_FILE
        return path if path.is_file() else None
