"""The generated gateway, run by the real nginx: owned prefixes to their service, the rest to
the monolith, a request id passed along."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from migrator.model.service_plan import GatewayRoute, ServicePlan, ServiceSpec
from tests.e2e.gateway_harness import Gateway, running_gateway


def _plan() -> ServicePlan:
    spec = ServiceSpec("orders", 8001, (), (), (), (), (), (), ())
    return ServicePlan("shop", (spec,), (), (GatewayRoute("/api/orders", "orders"),), ())


@pytest.fixture
def gateway(tmp_path: Path) -> Iterator[Gateway]:
    with running_gateway(_plan(), tmp_path / "gateway") as running:
        assert running.check.returncode == 0, running.check.stderr
        yield running


@pytest.mark.parametrize(
    ("path", "upstream"),
    [("/api/orders", "orders"), ("/api/orders/7?x=1", "orders"), ("/api/ordersx", "monolith"), ("/api/catalog/products", "monolith"), ("/", "monolith")],
)
def test_each_path_reaches_its_owner_and_the_rest_the_monolith(gateway, path, upstream) -> None:
    status, answer = gateway.get(path)
    assert (status, answer["upstream"], answer["path"]) == (200, upstream, path)
    assert len(answer["request_id"]) == 32  # nginx's $request_id, for correlation across services
