"""The event bus a verification run talks to: the broker already on the machine, or, when none
answers at the local default, one that ``verify`` starts itself on a free loopback port."""

from __future__ import annotations

import os
import shutil
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from migrator.errors import MigratorError
from migrator.model.deployment import BUSES
from migrator.pipeline.processes import Supervisor, free_ports

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


@dataclass(frozen=True)
class Broker:
    bus: str
    url: str
    started: bool
    """True when this run started the broker itself (and stops it at the end)."""


def broker_address(bus: str, url: str) -> tuple[str, int]:
    """Host and port of the first broker named by ``url`` (Kafka takes ``host:port[,host:port]``)."""
    first = url.split(",")[0].strip()
    parts = urlsplit(first if "://" in first else f"//{first}")
    try:
        port = parts.port
    except ValueError as error:
        raise MigratorError(f"bad {bus} broker URL {url!r}: {error}", hint="write it as scheme://host:port") from error
    return parts.hostname or "127.0.0.1", port or BUSES[bus].port


def probe(bus: str, url: str, timeout: float = 2.0) -> str | None:
    """None when a broker of kind ``bus`` answers at ``url``, else why not."""
    host, port = broker_address(bus, url)
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.settimeout(timeout)
            return _greeting_problem(bus, sock)
    except OSError as error:
        return f"{host}:{port}: {error.strerror or error}"


def _greeting_problem(bus: str, sock: socket.socket) -> str | None:
    # each protocol's first exchange, so that a wrong kind of server on the port is caught too
    if bus == "nats":
        return None if sock.recv(4096).startswith(b"INFO ") else "no NATS INFO greeting"
    if bus == "redis":
        sock.sendall(b"PING\r\n")
        return None if sock.recv(64)[:1] in (b"+", b"-") else "no Redis reply to PING"
    if bus == "rabbit":
        sock.sendall(b"AMQP\x00\x00\x09\x01")
        return None if sock.recv(64)[:1] == b"\x01" else "no AMQP 0-9-1 Connection.Start"
    return None  # kafka: an open port is as far as we look without a client


def ensure_broker(bus: str, url: str | None, supervisor: Supervisor, folder: Path, *, deadline: float = 15.0) -> Broker:
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
    return start_broker(server, supervisor, folder, deadline=deadline)


def start_broker(server: LocalServer, supervisor: Supervisor, folder: Path, *, deadline: float = 15.0) -> Broker:
    """Start ``server`` on a free loopback port, its data under ``folder``, and wait until it answers."""
    (port,) = free_ports(1)
    data = folder / f"{server.bus}-data"
    data.mkdir(parents=True, exist_ok=True)
    child = supervisor.start(f"{server.bus} broker", server.argv(port, data), cwd=folder, env={},
                             log=folder / "logs" / f"{server.bus}.log")
    url = BUSES[server.bus].url("127.0.0.1", port=port)
    stop_at = time.monotonic() + deadline
    while (problem := probe(server.bus, url, timeout=0.5)) is not None:
        if child.exit_code() is not None or time.monotonic() > stop_at:
            raise MigratorError(f"the {server.bus} broker this run started ({server.program}) did not answer ({problem})", hint=f"see {child.log}")
        time.sleep(0.1)
    return Broker(server.bus, url, started=True)
