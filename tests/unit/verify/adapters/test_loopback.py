from __future__ import annotations

from migrator.verify.adapters.loopback import LoopbackPorts


def test_free_ports_are_distinct() -> None:
    ports = LoopbackPorts().free_ports(20)
    assert len(set(ports)) == 20
