"""Free ports on loopback, for the processes of a run."""

from __future__ import annotations

import socket


def free_ports(count: int) -> list[int]:
    """``count`` distinct loopback ports that are free right now."""
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


class LoopbackPorts:
    """The ``Loopback`` port: ports the operating system hands out."""

    def free_ports(self, count: int) -> list[int]:
        return free_ports(count)
