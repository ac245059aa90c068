"""The gateway run by the real nginx: each service's paths to its address, a service that is not
part of the run answered with 502, nginx stopped with the run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from migrator.model.deployment import GATEWAY_HEALTH_PATH
from migrator.model.service_plan import GatewayRoute, ServicePlan, ServiceSpec
from migrator.verify.adapters.loopback import free_ports
from migrator.verify.adapters.nginx import NginxGateway, find_nginx
from migrator.verify.adapters.processes import Supervisor
from migrator.verify.adapters.readiness import wait_ready
from migrator.verify.application.ports import Target
from tests.unit.verify.adapters.http_stub import serving


@pytest.fixture
def orders() -> Iterator[int]:
    with serving(lambda path: (200, f"orders {path}".encode())) as port:
        yield port


def _plan() -> ServicePlan:
    specs = tuple(ServiceSpec(name, port, (), (), (), (), (), (), ()) for name, port in (("orders", 8001), ("reviews", 8002)))
    return ServicePlan("shop", specs, (), (GatewayRoute("/api/orders", "orders"), GatewayRoute("/api/reviews", "reviews")), ())


def test_the_gateway_sends_each_path_to_its_address_and_stops_with_the_run(tmp_path: Path, orders: int) -> None:
    supervisor = Supervisor()
    listen, refusing = free_ports(2)
    addresses = {"orders": f"127.0.0.1:{orders}", "reviews": f"127.0.0.1:{refusing}", "monolith": f"127.0.0.1:{refusing}"}
    gateway = NginxGateway(find_nginx(), supervisor).start(_plan(), addresses=addresses, listen=listen, folder=tmp_path / "gateway",
                                                           log=tmp_path / "logs" / "gateway.log")
    try:
        url = f"http://127.0.0.1:{listen}"
        (ready,) = wait_ready([Target("gateway", url + GATEWAY_HEALTH_PATH, gateway)], timeout=10)
        assert ready.status == "passed", ready.detail
        with httpx.Client(base_url=url, trust_env=False, timeout=5) as client:
            assert client.get("/api/orders/7").text == "orders /api/orders/7"
            assert client.get("/api/reviews/7").status_code == 502
    finally:
        supervisor.stop_all()
    assert gateway.exit_code() is not None
    assert (tmp_path / "gateway" / "nginx.conf").is_file()
