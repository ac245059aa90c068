"""Fixtures for the black-box HTTP test-suite of the Sample Shop.

The suite only talks HTTP.  By default it runs the app in-process with
``TestClient`` on a throw-away SQLite file; set ``MONOLITH_BASE_URL`` to run
the very same tests against a deployed instance (which may be long-lived and
shared: every test creates its own customers, products and categories with
unique names and never assumes an empty database).

``MONOLITH_ADMIN_TOKEN`` is the back-office token (``X-Admin-Token``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from sample_monolith.tests.helpers import ADMIN_TOKEN, Customer, Shop

BASE_URL = os.environ.get("MONOLITH_BASE_URL")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("filterwarnings", "ignore:Using `httpx` with `starlette.testclient`")


@pytest.fixture(scope="session")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    if BASE_URL:
        with httpx.Client(base_url=BASE_URL, timeout=30.0) as remote:
            yield remote
        return
    from fastapi.testclient import TestClient

    from sample_monolith.app import create_app
    from sample_monolith.config import Settings

    db_file = tmp_path_factory.mktemp("shop") / "shop.db"
    settings = Settings(database_url=f"sqlite:///{db_file}", admin_token=ADMIN_TOKEN, scheduler_enabled=False)
    with TestClient(create_app(settings)) as local:
        yield local


@pytest.fixture(scope="session")
def admin_headers() -> dict[str, str]:
    return {"X-Admin-Token": ADMIN_TOKEN}


@pytest.fixture
def shop(client: httpx.Client, admin_headers: dict[str, str]) -> Shop:
    return Shop(client, admin_headers)


@pytest.fixture
def customer(shop: Shop) -> Customer:
    return shop.register()


@pytest.fixture
def product(shop: Shop) -> dict[str, Any]:
    return shop.create_product(price_cents=1250, stock=10)
