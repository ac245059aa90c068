"""Builds a service's ASGI application around the monolith's own application factory."""

from __future__ import annotations

import contextlib
import functools
import importlib
import json
import logging
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import anyio
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import BaseModel
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from starlette.responses import Response

from . import client
from .bus import Bus
from .codec import Codec
from .context import REQUEST_ID_HEADER, request_id, serving
from .context import collecting
from .events import EventRuntime
from .metrics import Metrics
from .settings import RuntimeSettings
from .web import INTERNAL_PREFIX, Fill, InternalCalls, LIVE_PATH, METRICS_PATH, READY_PATH, ROWS_PATH, SERVED_BY_HEADER, Ownership, engine_url, load as _load

logger = logging.getLogger(__name__)


class InternalCall(BaseModel):
    """The arguments of a function call, by parameter name, as encoded by the runtime's codec."""

    args: dict[str, Any] = {}


def _database(app: FastAPI, url: str) -> tuple[Engine, Callable[[], Session]]:
    """The monolith's engine and session factory, found on its application state; else our own."""
    for value in vars(app.state).get("_state", {}).values():
        engine = value if isinstance(value, Engine) else getattr(value, "engine", None)
        if isinstance(engine, Engine):
            factory = getattr(value, "session_factory", None) or getattr(value, "session", None)
            return engine, factory if callable(factory) else sessionmaker(bind=engine)
    engine = create_engine(engine_url(url))
    return engine, sessionmaker(bind=engine, expire_on_commit=False)


def build(manifest: ModuleType) -> FastAPI:
    """The service's application: the monolith's own (or an empty one where it has none), with the
    runtime's lifespan, middleware, health and metrics, internal calls and event delivery added."""
    settings = RuntimeSettings.from_env(manifest.SERVICE, manifest.SYSTEM, manifest.EVENT_BUS, manifest.BUS_URLS)
    for variable in manifest.DATABASE_VARIABLES:
        os.environ[variable] = settings.database_url
    codec = Codec(manifest.MOVES)
    client.configure(codec, timeout=settings.call_timeout, max_retries=settings.call_retries)
    metrics = Metrics()
    app = _application(manifest)
    engine, session_factory = _database(app, settings.database_url)
    bus = Bus(settings.event_bus, settings.event_bus_url, settings.namespace, settings.service) if manifest.USES_BUS else None
    events = EventRuntime(
        service=settings.service, manifest=manifest, bus=bus, engine=engine, session_factory=session_factory,
        codec=codec, metrics=metrics, consistency_timeout=settings.consistency_timeout, call=client.call,
    )
    app.state.migrator_events = events
    _run_events_in_lifespan(app, manifest, events)
    ownership = Ownership(settings.service, getattr(manifest, "ROUTES", ()), serves_everything=getattr(manifest, "SERVES_EVERYTHING", True))
    _add_runtime_middleware(app, settings.service, metrics, events, ownership)
    _add_health_endpoints(app, bus, engine, metrics)
    run = InternalCalls(manifest.INTERNAL, codec, functools.partial(_in_session, session_factory, app)).invoke
    for path, target in sorted(manifest.INTERNAL.items()):
        _internal_endpoint(app, path, target, run)
    _add_event_endpoint(app, codec, events, metrics, settings.service)
    _serve_system_openapi(app, manifest)
    return app


def _application(manifest: ModuleType) -> FastAPI:
    if not manifest.APP_FACTORY:  # the monolith has no ASGI application (Django, Flask): the service serves what the runtime adds
        return FastAPI(title=f"{manifest.SERVICE} service")
    factory = _load(manifest.APP_FACTORY)
    return factory() if not isinstance(factory, FastAPI) else factory


def _run_events_in_lifespan(app: FastAPI, manifest: ModuleType, events: EventRuntime) -> None:
    """The event runtime starts inside the application's own lifespan and stops before it ends."""
    original = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(application: FastAPI) -> AsyncIterator[Any]:
        async with original(application) as state:
            for module in manifest.IMPORTS:  # handlers register themselves on import
                importlib.import_module(module)
            events.install()
            await events.start()
            try:
                yield state
            finally:
                await events.stop()

    app.router.lifespan_context = lifespan


def _add_runtime_middleware(app: FastAPI, service: str, metrics: Metrics, events: EventRuntime, ownership: Ownership) -> None:
    """Per request: a path the gateway gives another service refused (404), the caller's request id
    passed on, the time measured, the events it wrote settled; every answer marked with the service."""
    own_paths = {LIVE_PATH, READY_PATH, METRICS_PATH, app.openapi_url, app.docs_url, app.redoc_url, app.swagger_ui_oauth2_redirect_url}

    @app.middleware("http")
    async def runtime_middleware(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        path = request.url.path
        if path not in own_paths and not path.startswith(INTERNAL_PREFIX) and not ownership.owns(path):
            detail = {"detail": f"{path} is served by the {ownership.owner(path)} service"}
            return JSONResponse(detail, status_code=404, headers={SERVED_BY_HEADER: service})
        token = request_id.set(request.headers.get(REQUEST_ID_HEADER))
        answering = serving.set(True)
        try:
            with collecting() as written:
                try:
                    response = await metrics.observe(service, request, call_next)
                except Exception:  # the application's own error: answered as Starlette would, and marked
                    logger.exception("%s %s failed", request.method, path)
                    return PlainTextResponse("Internal Server Error", status_code=500, headers={SERVED_BY_HEADER: service})
            await events.settle(written)
            response.headers[SERVED_BY_HEADER] = service
            return response
        finally:
            serving.reset(answering)
            request_id.reset(token)


def _add_health_endpoints(app: FastAPI, bus: Bus | None, engine: Engine, metrics: Metrics) -> None:
    @app.get(LIVE_PATH, tags=["health"])
    def live() -> dict[str, str]:
        """The process runs."""
        return {"status": "ok"}

    @app.get(READY_PATH, tags=["health"], responses={503: {"description": "a dependency does not answer"}})
    async def ready() -> JSONResponse:
        """Its database and its broker answer."""
        checks = {"database": "ok", "event_bus": "ok" if bus is None or await bus.ping() else "unreachable"}
        try:
            await anyio.to_thread.run_sync(_ping, engine)
        except Exception:  # noqa: BLE001 - any failure means not ready
            checks["database"] = "unreachable"
        ok = all(v == "ok" for v in checks.values())
        return JSONResponse({"status": "ok" if ok else "error", "checks": checks}, status_code=200 if ok else 503)

    @app.get(METRICS_PATH, tags=["health"], response_class=Response)
    def prometheus_metrics() -> Response:
        """Prometheus text format."""
        return metrics.render()


@contextlib.contextmanager
def _in_session(session_factory: Callable[[], Session], app: FastAPI) -> Iterator[Fill]:
    """One internal call's own session: committed when the call returns, rolled back when it raises;
    its parameters for a session or the application's settings filled from here."""
    session = session_factory()

    def fill(kind: str) -> tuple[bool, Any]:
        if kind == "session":
            return True, session
        if kind == "settings" and hasattr(app.state, "settings"):
            return True, app.state.settings
        return False, None

    try:
        yield fill
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def _add_event_endpoint(app: FastAPI, codec: Codec, events: EventRuntime, metrics: Metrics, service: str) -> None:
    @app.post("/internal/events/{name}", tags=["internal"], include_in_schema=False)
    async def receive_event(name: str, call: InternalCall) -> JSONResponse:
        """An event delivered synchronously: its handlers here can still refuse it."""
        envelope = codec.decode(call.args.get("envelope"))  # the call's own encoding; the payload stays encoded
        if not isinstance(envelope, dict) or envelope.get("name") != name or "message_id" not in envelope or events.dispatcher is None:
            return JSONResponse({"detail": "expected args.envelope for this event"}, status_code=422)
        try:
            outcome = await anyio.to_thread.run_sync(events.deliver, envelope)
        except Exception as exc:  # noqa: BLE001 - the publisher raises it again and rolls back
            return JSONResponse({"error": codec.error(exc)}, status_code=422, headers={client.ERROR_HEADER: "1"})
        metrics.events_consumed.labels(service, name, outcome).inc()
        return JSONResponse({"result": outcome})

    @app.post(ROWS_PATH, tags=["internal"], include_in_schema=False)
    async def receive_writes(request: Request) -> JSONResponse:
        """Writes another service made to this one's tables, applied here; their readers waited for."""
        status, document, written, skip = await anyio.to_thread.run_sync(events.receive_writes, await request.body())
        await events.settle(written, skip)
        return JSONResponse(document, status_code=status, headers={client.ERROR_HEADER: "1"} if status == 422 else None)


def _serve_system_openapi(app: FastAPI, manifest: ModuleType) -> None:
    """The monolith's service documents the whole public API (the gateway's ``/openapi.json``),
    when the generator put that document beside its manifest."""
    system_openapi = Path(manifest.__file__).with_name("system_openapi.json")
    if system_openapi.is_file():
        document = json.loads(system_openapi.read_text(encoding="utf-8"))
        app.openapi = lambda: document  # type: ignore[method-assign]


def _ping(engine: Engine) -> None:
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))


def _internal_endpoint(app: FastAPI, path: str, target: str, run: Callable[[Callable[..., Any], dict[str, Any]], tuple[int, Any]]) -> None:
    function = _load(target)

    async def endpoint(call: InternalCall) -> JSONResponse:
        status, body = await anyio.to_thread.run_sync(run, function, call.args)
        headers = {client.ERROR_HEADER: "1"} if status != 200 else None
        return JSONResponse(body, status_code=status, headers=headers)

    endpoint.__name__ = "internal_" + target.replace(":", "_").replace(".", "_")
    app.post(path, tags=["internal"], summary=f"Call {target} (for other services)",
             responses={422: {"description": "the function raised: the error, for the caller to raise again"}})(endpoint)
