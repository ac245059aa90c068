"""Whether a broker of a kind answers at a URL: a socket and each protocol's first exchange."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

from migrator.errors import MigratorError
from migrator.model.deployment import BUSES


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
