"""Prometheus metrics (prometheus-client): requests per route template, latency, events. No web
framework here: the WSGI layer and the FastAPI one both record into it."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("http_requests_total", "HTTP requests served", ("service", "method", "route", "status"), registry=self.registry)
        self.latency = Histogram("http_request_duration_seconds", "HTTP request latency", ("service", "method", "route"), buckets=BUCKETS, registry=self.registry)
        self.events_published = Counter("events_published_total", "Events put on the bus", ("service", "channel"), registry=self.registry)
        self.events_consumed = Counter("events_consumed_total", "Events taken from the bus", ("service", "channel", "outcome"), registry=self.registry)
        self.outbox_pending = Gauge("events_outbox_pending", "Events written but not yet on the bus", ("service",), registry=self.registry)
        self.consumer_lag = Gauge("events_consumer_lag_seconds", "Age of the last event consumed", ("service", "channel"), registry=self.registry)

    def text(self) -> tuple[bytes, str]:
        """The exposition and its content type."""
        return generate_latest(self.registry), CONTENT_TYPE_LATEST

    def render(self) -> Response:
        from starlette.responses import Response

        body, media_type = self.text()
        return Response(body, media_type=media_type)

    def record(self, service: str, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(service, method, route, str(status)).inc()
        self.latency.labels(service, method, route).observe(seconds)

    async def observe(self, service: str, request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        started = time.perf_counter()
        status = 500
        try:
            response = await call_next(request)
            status = response.status_code
            return response
        finally:
            route = getattr(request.scope.get("route"), "path", None) or "unmatched"
            self.record(service, request.method, route, status, time.perf_counter() - started)
