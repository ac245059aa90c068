"""Where a run puts things: every process on loopback, its own event namespace, and each service's
variables (from the deployment view) pointed at this run's ports, bus and databases."""

from __future__ import annotations

import re
from collections.abc import Mapping

from migrator.errors import MigratorError
from migrator.model.deployment import BUSES, Topology
from migrator.verify.domain.report import Broker
from migrator.verify.domain.request import VerifyRequest
from migrator.verify.domain.system import RunnableService, SystemDescription

CONSISTENCY_TIMEOUT = "10"
"""Seconds a request waits for its events' consumers: the monolith's suite expects read-your-writes."""
CALL_TIMEOUT = "30"
"""Seconds a service waits on another in a run: a loaded test machine is slower than production,
and a call that times out there fails a test the split system passes."""
GATEWAY = "gateway"
MAIL_VARIABLE = "MIGRATOR_MAIL_DIR"
MAIL_FOLDER = "mail"
"""Where in the run's folder the services keep the mail they send (verify's shim): nobody gets
mail from a run, and the monolith's own suite reads there what the services sent."""
LOOPBACK = "127.0.0.1"


def loopback_address(port: int) -> str:
    """``host:port`` of a process of this run."""
    return f"{LOOPBACK}:{port}"


def loopback_url(port: int) -> str:
    return f"http://{loopback_address(port)}"


def event_bus(request: VerifyRequest, system: SystemDescription) -> str:
    """The bus the run uses: the one asked for, else the system's own; a MigratorError for an unknown one."""
    bus = request.event_bus or system.event_bus
    if bus not in BUSES:
        raise MigratorError(f"unknown event bus {bus!r}", hint=f"use one of {', '.join(BUSES)}")
    return bus


def event_namespace(system: SystemDescription, run_id: str) -> str:
    """The prefix of this run's subjects, queues and streams: runs on one broker never meet."""
    return re.sub(r"[^a-z0-9_]", "_", system.system.lower()) + "_" + run_id


def service_env(
    service: RunnableService, system: SystemDescription, *, ports: Mapping[str, int], namespace: str, database_url: str, broker: Broker
) -> dict[str, str]:
    """The service's configuration for this run: its variables (from the deployment view) with
    every address on loopback and the database, the bus and the event namespace the run's own."""
    topology = Topology(system.plan)
    env = topology.environment(topology.by_key(service.name), lambda key, _port: loopback_url(ports[key]))
    env["PORT"] = str(ports[service.name])
    env.update(
        EVENT_NAMESPACE=namespace, EVENT_CONSISTENCY_TIMEOUT=CONSISTENCY_TIMEOUT, CALL_TIMEOUT_SECONDS=CALL_TIMEOUT, DATABASE_URL=database_url,
        EVENT_BUS=broker.bus, EVENT_BUS_URL=broker.url,
    )
    for variable in system.plan.database_variables:
        env[variable] = database_url
    return env
