"""A request a test client built as a WSGI environ, sent over HTTP to the gateway; the answer as
the status line, headers and body a WSGI application would have given.

The ``Host`` the test would have sent goes with it (the gateway passes it on), so that the URLs a
service builds (redirects) name the host the test expects; nothing is followed here: the test
client follows redirects itself, as it does in process."""

from __future__ import annotations

import http.client
import os
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import quote, urlsplit

from . import databases, per_test, replication, split_gaps

TIMEOUT = 120.0
_HOP_BY_HOP = frozenset({"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection"})
_PATH_SAFE = "/:@!$&'()*+,;=~"


def gateway() -> str:
    return os.environ["MIGRATOR_SUITE_GATEWAY"]


def request_of(environ: dict[str, Any]) -> tuple[str, str, list[tuple[str, str]], bytes]:
    """Method, target (path and query), headers and body of a WSGI ``environ``."""
    path = (environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")) or "/"
    target = quote(path.encode("latin-1"), safe=_PATH_SAFE)
    if environ.get("QUERY_STRING"):
        target += "?" + environ["QUERY_STRING"]
    headers = [(key[5:].replace("_", "-").title(), str(value)) for key, value in environ.items()
               if key.startswith("HTTP_") and key not in ("HTTP_HOST", "HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH")]
    headers.insert(0, ("Host", host_of(environ)))
    if environ.get("CONTENT_TYPE"):
        headers.append(("Content-Type", environ["CONTENT_TYPE"]))
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length and environ.get("wsgi.input") is not None else b""
    headers.append(("Content-Length", str(len(body))))
    headers += per_test.header()
    return environ.get("REQUEST_METHOD", "GET"), target, headers, body


def host_of(environ: dict[str, Any]) -> str:
    if environ.get("HTTP_HOST"):
        return str(environ["HTTP_HOST"])
    name, port = str(environ.get("SERVER_NAME") or "localhost"), str(environ.get("SERVER_PORT") or "")
    default = "443" if environ.get("wsgi.url_scheme") == "https" else "80"
    return name if port in ("", default) else f"{name}:{port}"


def send(method: str, target: str, headers: list[tuple[str, str]], body: bytes, *, base: str | None = None) -> tuple[int, str, list[tuple[str, str]], bytes]:
    """The gateway's answer: status, reason, headers (repeated ones kept: Set-Cookie), body; sent
    once the services have applied what the test wrote (``replication``)."""
    databases.commit_sessions()
    replication.settle()
    parts = urlsplit(base or gateway())
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=TIMEOUT)
    try:
        connection.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
        for name, value in headers:
            connection.putheader(name, value)
        connection.endheaders(body or None)
        response = connection.getresponse()
        content = response.read()
        kept = [(name, value) for name, value in response.getheaders() if name.lower() not in _HOP_BY_HOP]
        return response.status, response.reason, kept, content
    finally:
        connection.close()
        answered()


def answered() -> None:
    """After the gateway answered one of the test's requests: the suite's sessions committed
    (``databases``), what the services did to tables their databases do not hold the test's
    (``split_gaps``, with a database per service)."""
    databases.commit_sessions()
    routes = replication.routes()
    if routes is not None:
        split_gaps.collect(routes.owners)


def forwarding_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """A WSGI application that is the gateway: what a test client calls instead of the monolith's."""
    status, reason, headers, body = send(*request_of(environ))
    start_response(f"{status} {reason}", headers)
    return [body]
