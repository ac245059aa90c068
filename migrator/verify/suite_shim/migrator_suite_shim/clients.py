"""The in-process test clients, each sent over HTTP to the gateway where it called the
application: werkzeug's (Flask's ``test_client``) and WebTest's through a WSGI application that is
the gateway, Django's (and DRF's) through its handler, httpx's transports (Starlette's and FastAPI's
``TestClient``, ``ASGITransport``, ``WSGITransport``) through a real HTTP transport. Everything
else (cookies, redirects, the response object the test reads) stays the client's own."""

from __future__ import annotations

from types import ModuleType
from typing import Any

from . import databases, django_client, flask_csrf, forward, in_process, per_test, replication, service_config


def _werkzeug(module: ModuleType) -> None:
    original = module.run_wsgi_app

    def run_wsgi_app(app: Any, environ: dict[str, Any], buffered: bool = False) -> Any:
        answer = original(forward.forwarding_app, flask_csrf.with_token(app, environ), buffered=buffered)
        service_config.note_differences(app)
        return answer

    module.run_wsgi_app = run_wsgi_app


def _webtest(module: ModuleType) -> None:
    original = module.TestApp.__init__

    def __init__(self: Any, app: Any, *args: Any, **kwargs: Any) -> None:
        original(self, forward.forwarding_app, *args, **kwargs)

    module.TestApp.__init__ = __init__


def _to_gateway(request: Any) -> Any:
    """A copy of the httpx ``request`` addressed to the gateway, with the ``Host`` the test gave it
    (the test's own request keeps its URL: cookies are the test's host's)."""
    import httpx

    databases.commit_sessions()
    replication.settle()
    target = httpx.URL(forward.gateway())
    headers = httpx.Headers(request.headers)
    headers["Host"] = request.headers.get("Host") or request.url.netloc.decode("ascii")
    headers.update(per_test.header())
    url = request.url.copy_with(scheme=target.scheme, host=target.host, port=target.port)
    return httpx.Request(request.method, url, headers=headers, content=request.read())


def _send(self: Any, request: Any) -> Any:
    """A transport's ``handle_request``: the request over HTTP to the gateway."""
    import httpx

    with httpx.HTTPTransport() as transport:
        response = transport.handle_request(_to_gateway(request))
        response.read()
        forward.answered()
        return response


async def _send_async(self: Any, request: Any) -> Any:
    import httpx

    async with httpx.AsyncHTTPTransport() as transport:
        response = await transport.handle_async_request(_to_gateway(request))
        await response.aread()
        forward.answered()
        return response


def _httpx(module: ModuleType) -> None:
    module.WSGITransport.handle_request = _send
    module.ASGITransport.handle_async_request = _send_async


def _starlette(module: ModuleType) -> None:
    module._TestClientTransport.handle_request = _send


PATCHES = [
    ("werkzeug.test", _werkzeug),
    ("webtest.app", _webtest),
    ("httpx", _httpx),
    ("starlette.testclient", _starlette),
    ("django.test.client", django_client.patch_client),
    ("django.test.testcases", in_process.patch_template_assertions),
    ("django.core.mail", in_process.patch_outbox),
    ("rest_framework.test", in_process.patch_force_authenticate),
    ("unittest.mock", in_process.patch_mock),
    ("flask.testing", in_process.patch_flask_client_context),
    ("flask.ctx", in_process.patch_flask_globals),
]
