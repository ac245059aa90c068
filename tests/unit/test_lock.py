"""The pinned requirements every generated service installs."""

from __future__ import annotations

import pytest

from migrator.pipeline.monolith import lock


@pytest.mark.parametrize(("bus", "client"), [("nats", "nats-py=="), ("rabbit", "aio-pika=="), ("redis", "redis==")])
def test_the_lock_pins_the_runtime_the_bus_client_and_the_postgres_driver(bus: str, client: str) -> None:
    lines = lock(bus, ["sqlalchemy"])
    assert all("==" in line for line in lines)
    assert any(line.startswith(f"faststream[{bus}]==") for line in lines)
    assert any(line.startswith(client) for line in lines)  # pulled in through the bus's extra
    assert any(line.startswith("psycopg[binary]==") for line in lines) and any(line.startswith("psycopg-binary==") for line in lines)
    assert len({line.split("==")[0].split("[")[0] for line in lines}) == len(lines)  # one pin per distribution
    assert lines == sorted(lines) and lock(bus, ["sqlalchemy"]) == lines  # deterministic
