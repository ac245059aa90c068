"""The runtime's WSGI layer with a plain WSGI application in place of Flask or Django: what the
service answers itself, which paths it passes on, the mark on every answer, internal calls."""

from __future__ import annotations

import contextlib
import functools
import io
import json
import sys
import types
from collections.abc import Iterator
from typing import Any
from wsgiref.util import setup_testing_defaults

import pytest

from generators.service.runtime.codec import Codec
from generators.service.runtime.frameworks import Framework, django_database
from generators.service.runtime.metrics import Metrics
from generators.service.runtime.host import in_framework
from generators.service.runtime.web import InternalCalls, Ownership
from generators.service.runtime.wsgi import WsgiRuntime

ROUTES = [("^/orders/[0-9]+/?$", "orders", "/orders/<int:id>"), ("^/orders(/|$)", "orders", "/orders"), ("^/cart(/|$)", "cart", "/cart")]


class _App(Framework):
    def __init__(self, database_up: bool = True) -> None:
        self.database_up, self.seen, self.contexts = database_up, [], 0

    def wsgi(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        self.seen.append(environ["PATH_INFO"])
        start_response("201 Created", [("Content-Type", "text/plain")])
        return [b"from the application"]

    def ping_database(self) -> bool:
        return self.database_up

    @contextlib.contextmanager
    def context(self) -> Iterator[None]:
        self.contexts += 1
        yield


@pytest.fixture
def functions() -> Iterator[types.ModuleType]:
    module = types.ModuleType("shop_orders_api")

    def total(order_id: int, session: Any = None) -> dict[str, Any]:
        return {"order": order_id, "session": session}

    def refuse(order_id: int) -> None:
        raise LookupError(f"no order {order_id}")

    module.total, module.refuse = total, refuse
    sys.modules[module.__name__] = module
    yield module
    del sys.modules[module.__name__]


def _runtime(app: _App, *, service: str = "orders", everything: bool = False) -> WsgiRuntime:
    internal = InternalCalls({"/internal/orders/total": "shop_orders_api:total", "/internal/orders/refuse": "shop_orders_api:refuse"},
                             Codec(), functools.partial(in_framework, app))
    return WsgiRuntime(app, service=service, ownership=Ownership(service, ROUTES, serves_everything=everything), internal=internal, metrics=Metrics())


def _call(runtime: WsgiRuntime, path: str, method: str = "GET", body: bytes = b"") -> tuple[int, dict[str, str], bytes]:
    environ: dict[str, Any] = {"PATH_INFO": path, "REQUEST_METHOD": method, "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body)}
    setup_testing_defaults(environ)
    seen: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        seen["status"], seen["headers"] = int(status.split()[0]), dict(headers)

    data = b"".join(runtime(environ, start_response))
    return seen["status"], seen["headers"], data


def test_the_service_passes_on_the_paths_the_gateway_gives_it_and_marks_the_answer() -> None:
    app = _App()
    runtime = _runtime(app)
    status, headers, body = _call(runtime, "/orders/7")
    assert (status, headers["X-Served-By"], body, app.seen) == (201, "orders", b"from the application", ["/orders/7"])


def test_a_path_of_another_service_is_not_answered_and_says_whose_it_is() -> None:
    app = _App()
    status, headers, body = _call(_runtime(app), "/cart/items")
    assert (status, headers["X-Served-By"], app.seen) == (404, "orders", [])
    assert json.loads(body) == {"detail": "/cart/items is served by the cart service"}
    assert _call(_runtime(app), "/about")[0] == 404  # nobody's: the monolith's


def test_the_monolith_serves_every_path() -> None:
    app = _App()
    assert [_call(_runtime(app, service="monolith", everything=True), path)[0] for path in ("/cart", "/about", "/orders")] == [201, 201, 201]


def test_health_and_metrics_are_the_runtimes_own() -> None:
    assert _call(_runtime(_App()), "/healthz/live")[0] == 200
    status, _, body = _call(_runtime(_App(database_up=False)), "/healthz/ready")
    assert (status, json.loads(body)) == (503, {"status": "error", "checks": {"database": "unreachable"}})
    runtime = _runtime(_App())
    _call(runtime, "/orders/7")
    _, headers, body = _call(runtime, "/metrics")
    assert headers["Content-Type"].startswith("text/plain")
    assert 'http_requests_total{method="GET",route="/orders/<int:id>",service="orders",status="201"} 1.0' in body.decode()


def test_an_internal_call_runs_the_function_in_the_applications_context(functions: types.ModuleType) -> None:
    app = _App()
    status, headers, body = _call(_runtime(app), "/internal/orders/total", "POST", json.dumps({"args": {"order_id": 7}}).encode())
    assert (status, json.loads(body), app.contexts) == (200, {"result": {"order": 7, "session": None}}, 1)


def test_an_exception_of_the_function_travels_back_for_the_caller_to_raise(functions: types.ModuleType) -> None:
    status, headers, body = _call(_runtime(_App()), "/internal/orders/refuse", "POST", json.dumps({"args": {"order_id": 9}}).encode())
    error = Codec().decode_error(json.loads(body)["error"])
    assert (status, headers["X-Remote-Error"], type(error), str(error)) == (422, "1", LookupError, "no order 9")
    assert _call(_runtime(_App()), "/internal/orders/total", "POST", b"not json")[0] == 400


@pytest.mark.parametrize(("url", "expected"), [
    ("postgresql+psycopg://app:p%40ss@db:5433/shop", {"ENGINE": "django.db.backends.postgresql", "NAME": "shop", "USER": "app",
                                                     "PASSWORD": "p@ss", "HOST": "db", "PORT": "5433"}),
    ("sqlite:///./orders.db", {"ENGINE": "django.db.backends.sqlite3", "NAME": "./orders.db"}),
    ("sqlite:////tmp/orders.db", {"ENGINE": "django.db.backends.sqlite3", "NAME": "/tmp/orders.db"}),
])
def test_a_database_url_becomes_djangos_database(url: str, expected: dict[str, str]) -> None:
    assert django_database(url) == expected


def test_a_database_django_cannot_use_is_refused_with_the_choices() -> None:
    with pytest.raises(RuntimeError, match="no Django database engine for 'redis'"):
        django_database("redis://localhost/0")


@pytest.mark.parametrize(("installed", "url", "expected"), [
    ({"psycopg"}, "postgresql://app@db/shop", "postgresql+psycopg://app@db/shop"),
    ({"psycopg2"}, "postgresql+psycopg://app@db/shop", "postgresql://app@db/shop"),
    ({"psycopg", "psycopg2"}, "postgresql://app@db/shop", "postgresql://app@db/shop"),
    ({"psycopg", "psycopg2"}, "postgresql+psycopg://app@db/shop", "postgresql+psycopg://app@db/shop"),
    ({"psycopg2"}, "postgresql+asyncpg://app@db/shop", "postgresql+asyncpg://app@db/shop"),  # the application's own driver
    (set(), "postgresql://app@db/shop", "postgresql://app@db/shop"),
    ({"psycopg2"}, "sqlite:///./shop.db", "sqlite:///./shop.db"),
])
def test_a_postgresql_url_names_the_driver_the_environment_has(monkeypatch: pytest.MonkeyPatch, installed: set[str], url: str,
                                                                expected: str) -> None:
    import importlib.util

    from generators.service.runtime.web import with_installed_driver

    monkeypatch.setattr(importlib.util, "find_spec", lambda name: object() if name in installed else None)
    assert with_installed_driver(url) == expected


@pytest.mark.parametrize(("installed", "url", "expected"), [
    # the runtime's own engines: bare is psycopg2 to SQLAlchemy 2.0 and psycopg 3 to 2.1, so always named
    ({"psycopg2"}, "postgresql://app@db/shop", "postgresql+psycopg2://app@db/shop"),
    ({"psycopg", "psycopg2"}, "postgresql://app@db/shop", "postgresql+psycopg2://app@db/shop"),
    ({"psycopg"}, "postgres://app@db/shop", "postgresql+psycopg://app@db/shop"),
    ({"psycopg2"}, "postgresql+psycopg://app@db/shop", "postgresql+psycopg2://app@db/shop"),
])
def test_the_runtime_s_own_engines_name_their_driver(monkeypatch: pytest.MonkeyPatch, installed: set[str], url: str, expected: str) -> None:
    import importlib.util

    from generators.service.runtime.web import engine_url

    monkeypatch.setattr(importlib.util, "find_spec", lambda name: object() if name in installed else None)
    assert engine_url(url) == expected
