"""Events of the generated system survive a broker restart in the middle of a checkout: none is
lost (the transactional outbox keeps them until the broker is back) and none is applied twice
(consumers keep an inbox of message ids), with a real NATS JetStream killed and restarted."""

from __future__ import annotations

import socket
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from migrator.pipeline.verification import VerifyReport, VerifyRequest, verify
from sample_monolith.tests.helpers import ADMIN_TOKEN, Shop
from tests.cli import invoke

ROOT = Path(__file__).resolve().parents[2]
ADMIN = {"X-Admin-Token": ADMIN_TOKEN}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Nats:
    """A JetStream server of our own, with its store on disk, so that it can die and come back."""

    def __init__(self, store: Path) -> None:
        self.port, self.store = _free_port(), store
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = subprocess.Popen(["nats-server", "-a", "127.0.0.1", "-p", str(self.port), "-js", "-sd", str(self.store)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _until(lambda: _answers(self.port), "nats-server to listen")

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.wait(10)
        _until(lambda: not _answers(self.port), "nats-server to be gone")


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


@pytest.fixture
def nats(tmp_path: Path) -> Iterator[Nats]:
    server = Nats(tmp_path / "jetstream")
    server.start()
    yield server
    if server.process is not None and server.process.poll() is None:
        server.process.kill()
        server.process.wait(10)


def _outbox(database_url: str, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(database_url.removeprefix("sqlite:///")) as connection:
        return list(connection.execute(sql))


def _metric(client: httpx.Client, url: str, name: str, **labels: str) -> float:
    total = 0.0
    for line in client.get(f"{url}/metrics").text.splitlines():
        if line.startswith(name + "{") and all(f'{k}="{v}"' in line for k, v in labels.items()):
            total += float(line.rsplit(" ", 1)[1])
    return total


def test_a_broker_restart_mid_checkout_loses_no_event_and_applies_none_twice(nats: Nats, tmp_path: Path) -> None:
    result = invoke("migrate", str(ROOT / "sample_monolith"), "-o", str(tmp_path / "out"), "--services", "10")
    assert result.exit_code == 0, result.output
    seen: dict[str, object] = {}

    def scenario(report: VerifyReport) -> None:
        with httpx.Client(base_url=report.gateway_url, timeout=30) as client:
            shop = Shop(client, ADMIN)
            customer = shop.register()
            product = shop.create_product(price_cents=1500, stock=10)
            order = shop.checkout(customer, [(product, 2)])
            before = client.get("/api/reports/summary", headers=ADMIN).json()

            nats.kill()  # the broker dies between checkout and payment
            paid = shop.pay(customer, order["id"])
            assert paid.status_code == 201, paid.text
            # payment.captured for inventory and reporting waits in the payments service's outbox
            waiting = _outbox(report.databases["payments"], "SELECT channel FROM migrator_outbox WHERE published_at IS NULL")
            assert ("payment.captured",) in waiting
            assert client.get("/api/reports/summary", headers=ADMIN).json()["paid_orders"] == before["paid_orders"]

            nats.start()  # back, with its store: the relay publishes what waited, consumers catch up
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

    report = verify(VerifyRequest(out=tmp_path / "out" / "system", examples=1, bus_url=nats.url), hold=scenario)
    assert seen.get("ok"), [(s.name, s.status, s.detail) for s in report.steps if s.status != "passed"]
