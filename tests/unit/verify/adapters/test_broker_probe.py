"""Whether a broker answers: its address from a URL, and each protocol's greeting checked."""

from __future__ import annotations

import socket
import threading

import pytest

from migrator.errors import MigratorError
from migrator.verify.adapters.broker_probe import broker_address, probe
from migrator.verify.adapters.loopback import free_ports


@pytest.mark.parametrize(
    ("bus", "url", "address"),
    [
        ("nats", "nats://127.0.0.1", ("127.0.0.1", 4222)),
        ("rabbit", "amqp://guest:guest@mq.local:5673/vhost", ("mq.local", 5673)),
        ("redis", "redis://:pw@127.0.0.1:6380/0", ("127.0.0.1", 6380)),
        ("kafka", "k1.local:9093,k2.local:9093", ("k1.local", 9093)),
        ("kafka", "k1.local", ("k1.local", 9092)),
    ],
)
def test_broker_addresses(bus: str, url: str, address: tuple[str, int]) -> None:
    assert broker_address(bus, url) == address


def test_a_bad_broker_port_is_a_user_error() -> None:
    with pytest.raises(MigratorError, match="bad nats broker URL"):
        broker_address("nats", "nats://127.0.0.1:http")


def test_a_server_of_another_kind_on_the_port_is_no_broker() -> None:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()

    def greet_like_ssh() -> None:
        connection, _ = server.accept()
        with connection:
            connection.sendall(b"SSH-2.0-OpenSSH\r\n")
            connection.recv(64)

    threading.Thread(target=greet_like_ssh, daemon=True).start()
    try:
        assert probe("nats", f"nats://127.0.0.1:{server.getsockname()[1]}") == "no NATS INFO greeting"
    finally:
        server.close()


def test_a_closed_port_is_no_broker() -> None:
    (port,) = free_ports(1)
    assert probe("redis", f"redis://127.0.0.1:{port}") == f"127.0.0.1:{port}: Connection refused"
