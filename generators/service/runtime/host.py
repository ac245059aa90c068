"""A service's application, built from its manifest for the server its framework runs under:
a WSGI application for gunicorn (Flask, Django: ``wsgi.WsgiRuntime`` around the monolith's own
application) or an ASGI one for uvicorn (FastAPI, Starlette: ``service.build``).

Before the application is built: the monolith's import roots go on ``sys.path``, the variables
its project sets at start (``FLASK_APP``, ``DJANGO_SETTINGS_MODULE``) are set where the
environment does not set them, and its database variables point at this service's database.
``MIGRATOR_PREPARE_SCHEMA=1`` makes the application's own schema tooling run first (Django's
``migrate``, Flask-Migrate's ``upgrade``, ``create_all``, Alembic's ``upgrade head``), other services'
tables dropped after it (``frameworks.drop_unheld``); ``python -m <package>.prepare`` runs it
alone (a deployment's init step)."""

from __future__ import annotations

import contextlib
import functools
import logging
import os
from dataclasses import replace
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

from .codec import Codec
from .settings import RuntimeSettings
from .web import Fill, engine_url, nothing_filled, with_installed_driver

logger = logging.getLogger(__name__)
WSGI_FRAMEWORKS = frozenset({"flask", "django"})


def configure(manifest: ModuleType) -> RuntimeSettings:
    """The process made ready to import the monolith: paths, its start-up variables, its database."""
    folder = Path(manifest.__file__).resolve().parent.parent
    for root in reversed(manifest.HOSTING.get("import_roots", ())):
        path = str(folder / root)
        if path not in sys.path:
            sys.path.insert(0, path)
    for name, value in manifest.HOSTING.get("env", {}).items():
        if name != "DJANGO_SETTINGS_MODULE":  # the service's own settings module derives from the project's
            os.environ.setdefault(name, value)
    settings = RuntimeSettings.from_env(manifest.SERVICE, manifest.SYSTEM, manifest.EVENT_BUS, manifest.BUS_URLS)
    settings = replace(settings, database_url=with_installed_driver(settings.database_url))
    for variable in manifest.DATABASE_VARIABLES:
        os.environ[variable] = settings.database_url
    os.environ["DATABASE_URL"] = settings.database_url
    os.environ.update(database_components(settings.database_url, manifest.HOSTING.get("database_components", {})))
    return settings


def database_components(url: str, components: dict[str, str]) -> dict[str, str]:
    """The variables the application builds its database URL from, set from ``url``'s parts
    (nothing for a URL without a host: SQLite)."""
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    if not parts.hostname:
        return {}
    values = {"host": parts.hostname, "port": str(parts.port or ""), "user": unquote(parts.username or ""),
              "password": unquote(parts.password or ""), "name": unquote(parts.path.lstrip("/"))}
    return {variable: values[part] for variable, part in components.items() if values.get(part)}


def build(manifest: ModuleType) -> Any:
    """The application gunicorn or uvicorn serves for this service."""
    settings = configure(manifest)
    if manifest.HOSTING.get("framework") not in WSGI_FRAMEWORKS:
        from .service import build as build_asgi

        if os.environ.get("MIGRATOR_PREPARE_SCHEMA") == "1":
            _alembic_schema(manifest, settings.database_url)
        return build_asgi(manifest)
    return _wsgi(manifest, settings)


def _alembic_schema(manifest: ModuleType, database_url: str) -> None:
    """``alembic upgrade head`` where the monolith keeps its Alembic migrations (``alembic.ini``
    carried into the service's folder), then the tables of other services dropped
    (``frameworks.drop_unheld``); nothing without them."""
    if _alembic_upgrade(Path(manifest.__file__).resolve().parent.parent):
        from sqlalchemy import create_engine

        from .frameworks import drop_unheld_sqlalchemy

        engine = create_engine(engine_url(database_url))
        try:
            drop_unheld_sqlalchemy(engine, schema_scope(manifest))
        finally:
            engine.dispose()


def _alembic_upgrade(folder: Path) -> bool:
    """``alembic upgrade head`` where the monolith keeps its Alembic migrations; whether it has them."""
    ini = folder / "alembic.ini"
    if not ini.is_file():
        return False
    from alembic import command
    from alembic.config import Config

    previous = Path.cwd()
    os.chdir(folder)  # script_location is relative to the project's folder
    try:
        command.upgrade(Config(str(ini)), "head")
    finally:
        os.chdir(previous)
    return True


def _wsgi(manifest: ModuleType, settings: RuntimeSettings) -> Any:
    from .frameworks import load_framework
    from .metrics import Metrics
    from .web import InternalCalls, Ownership
    from .wsgi import WsgiRuntime

    framework = load_framework(manifest.HOSTING, manifest.__name__.rpartition(".")[0])
    if os.environ.get("MIGRATOR_PREPARE_SCHEMA") == "1":
        framework.prepare_schema(schema_scope(manifest))
    codec = Codec(manifest.MOVES)
    if manifest.CALLS_OTHERS:  # httpx is installed only where a service calls another
        from . import client

        client.configure(codec, timeout=settings.call_timeout, max_retries=settings.call_retries)
    ownership = Ownership(settings.service, manifest.ROUTES, serves_everything=manifest.SERVES_EVERYTHING)
    internal = InternalCalls(manifest.INTERNAL, codec, functools.partial(in_framework, framework))
    metrics = Metrics()
    events = _events(manifest, settings, framework, codec, metrics) if manifest.USES_BUS else None
    return WsgiRuntime(framework, service=settings.service, ownership=ownership, internal=internal, metrics=metrics, events=events)


def _events(manifest: ModuleType, settings: RuntimeSettings, framework: Any, codec: Codec, metrics: Any) -> Any:
    """The event runtime on a thread of its own, where the application has a SQLAlchemy engine
    for its outbox and read models (Flask-SQLAlchemy); otherwise none, said in the log."""
    engine = framework.database_engine()
    if engine is None:
        logger.warning("events and read models between services need a SQLAlchemy engine; %s has none: they are not delivered",
                       manifest.HOSTING.get("framework"))
        return None
    from sqlalchemy.orm import sessionmaker

    from .bus import Bus
    from .events import EventRuntime
    from .wsgi_events import BackgroundEvents

    bus = Bus(settings.event_bus, settings.event_bus_url, settings.namespace, settings.service)
    events = EventRuntime(
        service=settings.service, manifest=manifest, bus=bus, engine=engine, session_factory=sessionmaker(bind=engine), codec=codec,
        metrics=metrics, consistency_timeout=settings.consistency_timeout, call=_call,
    )
    watch = getattr(framework, "watch_changes", None)
    if watch is not None:  # the framework reports its own row changes (Django's signals), not SQLAlchemy's flushes
        events.watch_sessions = False
        watch(events.row_changed)
    return BackgroundEvents(events)


def _call(*args: Any, **kwargs: Any) -> Any:
    """The client's call, imported when an event is first delivered to another service synchronously."""
    from .client import call

    return call(*args, **kwargs)


def prepare(manifest: ModuleType) -> None:
    """Create this service's database schema with the monolith's own tooling, and return; what it
    dropped and kept of other services' tables said on stderr."""
    settings = configure(manifest)
    engine = None
    if manifest.HOSTING.get("framework") in WSGI_FRAMEWORKS:
        from .frameworks import load_framework

        framework = load_framework(manifest.HOSTING, manifest.__name__.rpartition(".")[0])
        framework.prepare_schema(schema_scope(manifest))
        engine = framework.database_engine() if manifest.USES_BUS else None
    else:
        _alembic_schema(manifest, settings.database_url)
        if manifest.USES_BUS:
            from sqlalchemy import create_engine

            engine = create_engine(engine_url(settings.database_url))
    if engine is not None:  # the event runtime's outbox and inbox, before the services start together
        from .events import create_runtime_tables

        create_runtime_tables(engine)


def schema_scope(manifest: ModuleType) -> Any:
    """The tables this service's database gets: those it owns and keeps read models of; every
    table where the services share one database (``DATABASE_MODE=shared``), and in the monolith's
    service, which still serves every path the services do not."""
    from .frameworks import SchemaScope

    if os.environ.get("DATABASE_MODE") == "shared" or manifest.SERVES_EVERYTHING:
        return SchemaScope()
    return SchemaScope(frozenset(manifest.HELD_TABLES), frozenset(manifest.PLANNED_TABLES))


@contextlib.contextmanager
def in_framework(framework: Any) -> Iterator[Fill]:
    """An internal call of a WSGI application runs in its context (Flask's application context);
    its own code reaches its database the way it always does, so the runtime fills nothing."""
    with framework.context():
        yield nothing_filled
