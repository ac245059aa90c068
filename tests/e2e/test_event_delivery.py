"""Events of the generated system survive a broker restart in the middle of a checkout: none is
lost (the transactional outbox keeps them until the broker is back) and none is applied twice
(consumers keep an inbox of message ids), on NATS JetStream, RabbitMQ and Redis, each really stopped and started again."""

from __future__ import annotations

import socket
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from migrator.verify.adapters.loopback import free_ports
from migrator.pipeline.verification import VerifyReport, VerifyRequest, verify
from sample_monolith.tests.helpers import ADMIN_TOKEN, Shop
from tests.cli import invoke

ROOT = Path(__file__).resolve().parents[2]
ADMIN = {"X-Admin-Token": ADMIN_TOKEN}


class Broker:
    """A broker this test may stop and start again, its data kept on disk."""

    bus = ""
    port = 0

    @property
    def url(self) -> str:
        raise NotImplementedError

    def start(self) -> None:
        raise NotImplementedError

    def kill(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        pass


class _OwnProcess(Broker):
    def __init__(self, store: Path) -> None:
        self.port, self.store = free_ports(1)[0], store
        self.process: subprocess.Popen[bytes] | None = None

    def command(self) -> list[str]:
        raise NotImplementedError

    def start(self) -> None:
        self.store.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(self.command(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _until(lambda: _answers(self.port), f"{self.bus} to listen")

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.wait(10)
        _until(lambda: not _answers(self.port), f"{self.bus} to be gone")

    def close(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


class Nats(_OwnProcess):
    """JetStream with its store on disk."""

    bus = "nats"

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        return ["nats-server", "-a", "127.0.0.1", "-p", str(self.port), "-js", "-sd", str(self.store)]


class Redis(_OwnProcess):
    """Redis with an append-only file, so that streams and consumer groups survive."""

    bus = "redis"

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        return ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--appendonly", "yes", "--appendfsync", "always",
                "--dir", str(self.store), "--save", ""]


class Rabbit(Broker):
    """The machine's RabbitMQ: its application stopped and started again (durable queues survive)."""

    bus = "rabbit"
    port = 5672
    url = "amqp://guest:guest@127.0.0.1:5672/"

    def start(self) -> None:
        subprocess.run(["rabbitmqctl", "start_app"], check=True, capture_output=True, timeout=120)
        _until(lambda: _answers(self.port), "rabbitmq to listen")

    def kill(self) -> None:
        subprocess.run(["rabbitmqctl", "stop_app"], check=True, capture_output=True, timeout=120)
        _until(lambda: not _answers(self.port), "rabbitmq to stop")

    def close(self) -> None:
        if not _answers(self.port):
            self.start()


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def _until(condition: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


@pytest.fixture(params=["nats", "rabbit", "redis"])
def broker(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Broker]:
    server: Broker = {"nats": Nats, "redis": Redis}[request.param](tmp_path / "store") if request.param != "rabbit" else Rabbit()
    if request.param != "rabbit":
        server.start()
    try:
        yield server
    finally:
        server.close()


def _outbox(database_url: str, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(database_url.removeprefix("sqlite:///")) as connection:
        return list(connection.execute(sql))


def _metric(client: httpx.Client, url: str, name: str, **labels: str) -> float:
    total = 0.0
    for line in client.get(f"{url}/metrics").text.splitlines():
        if line.startswith(name + "{") and all(f'{k}="{v}"' in line for k, v in labels.items()):
            total += float(line.rsplit(" ", 1)[1])
    return total


def test_a_broker_restart_mid_checkout_loses_no_event_and_applies_none_twice(broker: Broker, tmp_path: Path) -> None:
    result = invoke("migrate", str(ROOT / "sample_monolith"), "-o", str(tmp_path / "out"), "--services", "10")
    assert result.exit_code == 0, result.output
    seen: dict[str, object] = {}

    def scenario(report: VerifyReport, _states: object) -> None:
        with httpx.Client(base_url=report.gateway_url, timeout=30) as client:
            shop = Shop(client, ADMIN)
            customer = shop.register()
            product = shop.create_product(price_cents=1500, stock=10)
            order = shop.checkout(customer, [(product, 2)])
            before = client.get("/api/reports/summary", headers=ADMIN).json()

            broker.kill()  # the broker dies between checkout and payment
            paid = shop.pay(customer, order["id"])
            assert paid.status_code == 201, paid.text
            # payment.captured for inventory and reporting waits in the payments service's outbox
            waiting = _outbox(report.databases["payments"], "SELECT channel FROM migrator_outbox WHERE published_at IS NULL")
            assert ("payment.captured",) in waiting
            assert client.get("/api/reports/summary", headers=ADMIN).json()["paid_orders"] == before["paid_orders"]

            broker.start()  # back, with its store: the relay publishes what waited, consumers catch up
            _until(lambda: client.get("/api/reports/summary", headers=ADMIN).json()["paid_orders"] == before["paid_orders"] + 1,
                   "reporting to see the payment")
            _until(lambda: shop.stock(product["id"])["reserved"] == 0, "inventory to commit the reservation")
            after = client.get("/api/reports/summary", headers=ADMIN).json()
            assert after["revenue_cents"] - before["revenue_cents"] == order["total"]["amount_cents"]
            stock = shop.stock(product["id"])
            assert _outbox(report.databases["payments"], "SELECT count(*) FROM migrator_outbox WHERE published_at IS NULL") == [(0,)]

            # a relay that crashed after publishing and before marking publishes everything again:
            # every consumer sees each message twice and applies it once
            duplicates = _metric(client, report.urls["reporting"], "events_consumed_total", outcome="duplicate")
            for service in ("payments", "orders"):
                with sqlite3.connect(report.databases[service].removeprefix("sqlite:///")) as connection:
                    connection.execute("UPDATE migrator_outbox SET published_at = NULL")
            _until(lambda: _metric(client, report.urls["reporting"], "events_consumed_total", outcome="duplicate") > duplicates,
                   "the republished events to reach reporting")
            _until(lambda: not _outbox(report.databases["payments"], "SELECT 1 FROM migrator_outbox WHERE published_at IS NULL"),
                   "the relay to publish again")
            time.sleep(2)  # let every consumer take its copy
            assert client.get("/api/reports/summary", headers=ADMIN).json() == after
            assert shop.stock(product["id"]) == stock
            assert shop.order(customer, order["id"])["status"] == "paid"
            seen["ok"] = True

    report = verify(VerifyRequest(out=tmp_path / "out" / "system", examples=1, event_bus=broker.bus, bus_url=broker.url), hold=scenario)
    assert seen.get("ok"), [(s.name, s.status, s.detail) for s in report.steps if s.status != "passed"]
