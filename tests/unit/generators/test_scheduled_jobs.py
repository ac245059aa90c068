"""A job of the monolith's scheduler runs in its owner only: the other services' copies of the
scheduler get a client that leaves it alone, while requests and events still call the owner."""

from __future__ import annotations

import textwrap

import httpx
import pytest

from generators.service.code import RemoteCall, service_module
from generators.service.runtime import client
from generators.service.runtime.context import serving

JOBS = textwrap.dedent('''\
    """Background jobs."""
    from sqlalchemy.orm import Session


    def release_expired(session: Session, *, limit: int = 100) -> dict:
        """Give back stock held too long."""
        return {"released": 0}
''')


def test_the_client_of_a_scheduled_job_says_so() -> None:
    code = service_module(
        JOBS, module="shop.inventory.jobs", is_package=False, moves={}, drop_foreign_keys_to=(),
        remote={"release_expired": RemoteCall("inventory", "/internal/shop/inventory/jobs/release_expired", False, True)},
        client_module="catalog_service.runtime.client",
    )
    assert (
        "return _migrator_call('inventory', '/internal/shop/inventory/jobs/release_expired', {'limit': limit}, "
        "idempotent=False, scheduled=True)  # served by the inventory service (and run by its scheduler)"
    ) in code
    assert '"""Give back stock held too long."""' in code
    compile(code, "jobs.py", "exec")


@pytest.fixture
def posts(monkeypatch):
    """Every POST the runtime client makes, answered as the owner would."""
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        return httpx.Response(200, json={"result": {"released": 3}})

    monkeypatch.setenv("INVENTORY_URL", "http://inventory.test")
    monkeypatch.setattr(client._local, "client", httpx.Client(transport=httpx.MockTransport(answer)), raising=False)
    return seen


PATH = "/internal/shop/inventory/jobs/release_expired"


def test_the_scheduler_of_another_service_does_not_run_the_job(posts) -> None:
    assert client.call("inventory", PATH, {"limit": 5}, idempotent=False, scheduled=True) is None
    assert posts == []


def test_a_request_or_an_event_still_runs_the_job_on_its_owner(posts) -> None:
    token = serving.set(True)
    try:
        assert client.call("inventory", PATH, {"limit": 5}, idempotent=False, scheduled=True) == {"released": 3}
    finally:
        serving.reset(token)
    assert posts == [PATH]


def test_other_calls_go_to_the_owner_from_anywhere(posts) -> None:
    assert client.call("inventory", PATH, {"limit": 5}, idempotent=False) == {"released": 3}
    assert posts == [PATH]
