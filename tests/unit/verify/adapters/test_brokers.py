"""Brokers on this machine: the one at a given URL, the local default, or one started here."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from migrator.errors import MigratorError
from migrator.model.deployment import BUSES
from migrator.verify.adapters import brokers
from migrator.verify.adapters.broker_probe import probe
from migrator.verify.adapters.brokers import LocalBrokers, local_server
from migrator.verify.adapters.loopback import free_ports
from migrator.verify.domain.report import Broker


def test_a_broker_at_a_given_url_that_does_not_answer_is_a_user_error(tmp_path: Path) -> None:
    (closed,) = free_ports(1)
    with pytest.raises(MigratorError) as raised:
        LocalBrokers().ensure("redis", f"redis://127.0.0.1:{closed}", tmp_path)
    assert raised.value.message == f"the redis broker at redis://127.0.0.1:{closed} does not answer (127.0.0.1:{closed}: Connection refused)"
    assert raised.value.hint == BUSES["redis"].start_hint


def test_the_broker_at_the_local_default_is_used_as_it_is(tmp_path: Path) -> None:
    assert probe("nats", BUSES["nats"].local_url) is None, "a NATS server at the local default is needed"
    assert LocalBrokers().ensure("nats", None, tmp_path) == Broker("nats", BUSES["nats"].local_url, started=False)


def test_without_a_broker_at_the_default_one_is_started_and_stopped_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert local_server("redis") is not None, "redis-server is needed"
    (closed,) = free_ports(1)
    monkeypatch.setattr(brokers, "BUSES", {**BUSES, "redis": dataclasses.replace(BUSES["redis"], local_url=f"redis://127.0.0.1:{closed}")})
    local = LocalBrokers()
    broker = local.ensure("redis", None, tmp_path)
    try:
        assert broker.started and broker.url.startswith("redis://127.0.0.1:") and broker.url != f"redis://127.0.0.1:{closed}"
        assert probe("redis", broker.url) is None
    finally:
        local.stop_all()
    assert probe("redis", broker.url) is not None
    assert (tmp_path / "logs" / "redis.log").is_file()


def test_kafka_is_not_started_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (closed,) = free_ports(1)
    monkeypatch.setattr(brokers, "BUSES", {**BUSES, "kafka": dataclasses.replace(BUSES["kafka"], local_url=f"127.0.0.1:{closed}")})
    with pytest.raises(MigratorError, match=f"no kafka broker answers at 127.0.0.1:{closed}"):
        LocalBrokers().ensure("kafka", None, tmp_path)
