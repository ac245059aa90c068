"""The runtime as a WSGI layer around the monolith's own application (Flask, Django), served by
gunicorn: health, metrics and internal calls answered here, every other request passed to the
application when the gateway's table gives its path to this service (404 otherwise), each answer
marked with the service that gave it and measured."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from .context import REQUEST_ID_HEADER, collecting, request_id, serving
from .frameworks import Framework
from .metrics import Metrics
from .web import ERROR_HEADER, LIVE_PATH, METRICS_PATH, READY_PATH, ROWS_PATH, SERVED_BY_HEADER, InternalCalls, Ownership, health

if TYPE_CHECKING:
    from .wsgi_events import BackgroundEvents

StartResponse = Callable[..., Any]


class WsgiRuntime:
    def __init__(self, framework: Framework, *, service: str, ownership: Ownership, internal: InternalCalls, metrics: Metrics,
                 events: BackgroundEvents | None = None) -> None:
        self.framework, self.service, self.ownership = framework, service, ownership
        self.internal, self.metrics, self.events = internal, metrics, events

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO") or "/", environ.get("REQUEST_METHOD", "GET")
        own = self._own(path, method, environ)
        if own is not None:
            status, body, content_type = own
            return self._answer(start_response, status, body, content_type)
        if not self.ownership.owns(path):
            body = json.dumps({"detail": f"{path} is served by the {self.ownership.owner(path)} service"}).encode()
            return self._answer(start_response, 404, body, "application/json")
        return self._application(environ, start_response, path, method)

    def _own(self, path: str, method: str, environ: dict[str, Any]) -> tuple[int, bytes, str] | None:
        """The runtime's own answer to ``path``, or None when it is the application's."""
        if path == LIVE_PATH:
            return 200, b'{"status": "ok"}', "application/json"
        if path == READY_PATH:
            checks = {"database": self.framework.ping_database()}
            if self.events is not None:
                checks["event_bus"] = self.events.bus_answers()
            status, document = health(checks)
            return status, json.dumps(document).encode(), "application/json"
        if path == METRICS_PATH:
            body, content_type = self.metrics.text()
            return 200, body, content_type
        if method == "POST" and (self.internal.handles(path) or path == ROWS_PATH and self.events is not None):
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length) if length else b""
            status, document = self.events.receive_writes(body) if path == ROWS_PATH and self.events else self.internal.call(path, body)
            return status, json.dumps(document).encode(), "application/json"
        return None

    def _answer(self, start_response: StartResponse, status: int, body: bytes, content_type: str) -> list[bytes]:
        headers = [("Content-Type", content_type), ("Content-Length", str(len(body))), (SERVED_BY_HEADER, self.service)]
        if status == 422:
            headers.append((ERROR_HEADER, "1"))
        start_response(f"{status} {_REASONS.get(status, 'Status')}", headers)
        return [body]

    def _application(self, environ: dict[str, Any], start_response: StartResponse, path: str, method: str) -> Iterable[bytes]:
        started, seen = time.perf_counter(), {"status": 500}

        def marked(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            seen["status"] = int(status.split(" ", 1)[0])
            return start_response(status, [*headers, (SERVED_BY_HEADER, self.service)], exc_info)

        token, answering = request_id.set(environ.get("HTTP_" + REQUEST_ID_HEADER.upper().replace("-", "_"))), serving.set(True)
        try:
            with collecting() as written:
                answer = self.framework.wsgi(environ, marked)
            if self.events is not None:
                self.events.settle(written)
            return answer
        finally:
            serving.reset(answering)
            request_id.reset(token)
            self.metrics.record(self.service, method, self.ownership.match(path)[1], seen["status"],
                                time.perf_counter() - started)


_REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found", 422: "Unprocessable Entity", 503: "Service Unavailable"}
