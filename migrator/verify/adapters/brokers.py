"""The ``Brokers`` port: the broker already on the machine, or, when none answers at the local
default, one started here on a free loopback port (and stopped again at the end)."""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from migrator.errors import MigratorError
from migrator.model.deployment import BUSES
from migrator.verify.adapters.broker_probe import probe
from migrator.verify.adapters.loopback import free_ports
from migrator.verify.adapters.processes import Supervisor
from migrator.verify.domain.environment import LOOPBACK
from migrator.verify.domain.report import Broker

_SEARCH_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


@dataclass(frozen=True)
class LocalServer:
    """An installed broker program that ``verify`` can start on a port of its choosing."""

    bus: str
    program: str

    def argv(self, port: int, data: Path) -> list[str]:
        return BUSES[self.bus].server_argv(self.program, port, str(data))


def local_server(bus: str) -> LocalServer | None:
    """The broker program for ``bus`` if it is installed (NATS and Redis; RabbitMQ and Kafka are too heavy to start per run)."""
    server = BUSES[bus].server
    if not server:
        return None
    program = shutil.which(server[0], path=os.environ.get("PATH", "") + os.pathsep + _SEARCH_PATH)
    return LocalServer(bus, program) if program else None


class LocalBrokers:
    """Brokers on this machine; the ones it starts run under a supervisor of their own."""

    def __init__(self, supervisor: Supervisor | None = None, *, deadline: float = 15.0) -> None:
        self.supervisor = supervisor or Supervisor()
        self.deadline = deadline

    def ensure(self, bus: str, url: str | None, folder: Path) -> Broker:
        """The broker to use: ``url`` if given (it must answer), else the local default, else one
        started here when its server program is installed; a MigratorError saying what to do otherwise."""
        if url:
            problem = probe(bus, url)
            if problem:
                raise MigratorError(f"the {bus} broker at {url} does not answer ({problem})", hint=BUSES[bus].start_hint)
            return Broker(bus, url, started=False)
        default = BUSES[bus].local_url
        problem = probe(bus, default)
        if problem is None:
            return Broker(bus, default, started=False)
        server = local_server(bus)
        if server is None:
            raise MigratorError(f"no {bus} broker answers at {default} ({problem})", hint=BUSES[bus].start_hint)
        return start_broker(server, self.supervisor, folder, deadline=self.deadline)

    def stop_all(self) -> None:
        self.supervisor.stop_all()


def start_broker(server: LocalServer, supervisor: Supervisor, folder: Path, *, deadline: float = 15.0) -> Broker:
    """Start ``server`` on a free loopback port, its data under ``folder``, and wait until it answers."""
    (port,) = free_ports(1)
    data = folder / f"{server.bus}-data"
    data.mkdir(parents=True, exist_ok=True)
    child = supervisor.start(f"{server.bus} broker", server.argv(port, data), cwd=folder, env={}, inherit=False,
                             log=folder / "logs" / f"{server.bus}.log")
    url = BUSES[server.bus].url(LOOPBACK, port=port)
    stop_at = time.monotonic() + deadline
    while (problem := probe(server.bus, url, timeout=0.5)) is not None:
        if child.exit_code() is not None or time.monotonic() > stop_at:
            raise MigratorError(f"the {server.bus} broker this run started ({server.program}) did not answer ({problem})", hint=f"see {child.log}")
        time.sleep(0.1)
    return Broker(server.bus, url, started=True)
