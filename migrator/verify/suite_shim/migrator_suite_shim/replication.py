"""With a database per service (``MIGRATOR_SUITE_PLACEMENT``, see ``routing``): the suite's ORM
writes each row on the database of the service owning its table, and the rows it changes there in
tables others read reach their read models as the owner's own writes do: through that owner's
outbox, written by the services' own event runtime (one per owner: ``row_changed``, from
SQLAlchemy's flushes or Django's signals) in the suite's transaction, and published by the owner's
relay. Before each request the suite sends, it waits until every reader has applied what the suite
committed (their inboxes hold its message ids), as a service's request waits for its own events.

Which database each statement goes to: ``sqlalchemy_routing``, ``django_routing``."""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import os
import time
from types import ModuleType, SimpleNamespace
from typing import Any

from . import routing

WAIT_SECONDS = 10.0
"""As the services' own read-your-writes (EVENT_CONSISTENCY_TIMEOUT)."""
_PENDING: list[str] = []
"""Message ids the suite wrote to an owner's outbox, not yet seen applied."""
_TRIES: dict[str, int] = {}
_MAX_TRIES = 5
_STATE: dict[str, Any] = {}


def enabled() -> bool:
    return routes() is not None


def routes() -> routing.Routes | None:
    if "routes" not in _STATE:
        _STATE["routes"] = routing.load()
    return _STATE["routes"]


def _routes() -> routing.Routes:
    found = routes()
    assert found is not None, "replication runs with a Placement only"
    return found


def _runtime_module(name: str) -> ModuleType:
    return importlib.import_module(f"{os.environ['MIGRATOR_SUITE_RUNTIME']}.{name}")


def engine(service: str) -> Any:
    """This process's engine on ``service``'s database."""
    engines = _STATE.setdefault("engines", {})
    if service not in engines:
        from sqlalchemy import create_engine

        made = create_engine(_runtime_module("web").engine_url(_routes().databases[service]))
        if made.dialect.name == "postgresql":
            from sqlalchemy import event

            event.listen(made, "connect", unchecked)
        engines[service] = made
    return engines[service]


def unchecked(dbapi_connection: Any, record: Any) -> None:
    """The suite's connections to a service's database hold its rows to no foreign key: a row of a
    service's table points at rows of another's its database may not have (no read model of them);
    the service's own reads show the gap (``split_gaps``), where a fixture refused would end the
    test before any request (SQLite checks none unless asked)."""
    with contextlib.suppress(Exception):
        cursor = dbapi_connection.cursor()
        cursor.execute("SET session_replication_role = replica")
        cursor.close()
        dbapi_connection.commit()


def runtimes() -> dict[str, Any]:
    """Each owner's event runtime in the suite's process: no bus, its outbox on the owner's database.
    An owner whose tables nobody reads has none (nor does the suite then need SQLAlchemy: a Django
    system whose services read no other's table is generated without it)."""
    if "runtimes" not in _STATE:
        made = {}
        for service, path in sorted(_routes().manifests.items()):
            spec = importlib.util.spec_from_file_location(f"migrator_owner_manifest_{service}", path)
            assert spec is not None and spec.loader is not None
            owner = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(owner)
            if not owner.CHANGES_OUT:
                continue
            from sqlalchemy.orm import sessionmaker

            manifest = SimpleNamespace(CHANNELS={}, CHANGES_OUT=dict(owner.CHANGES_OUT), CHANGES_IN={}, DISPATCHER="", CONSUMES=[])
            made[service] = _runtime_module("events").EventRuntime(
                service=owner.SERVICE, manifest=manifest, bus=None, engine=engine(service), session_factory=sessionmaker(bind=engine(service)),
                codec=_runtime_module("codec").Codec(getattr(owner, "MOVES", {})), metrics=_runtime_module("metrics").Metrics(),
                consistency_timeout=0, call=lambda *args, **kwargs: None)
        _STATE["runtimes"] = made
        _runtime_module("context").written.set(_PENDING)  # the main thread's: every write of the suite is collected
    return _STATE["runtimes"]


def row_changed(writer: Any, op: str, table: str, row: dict[str, Any]) -> None:
    """A row the suite changed: to its owner's outbox, when others read its table."""
    owner = _routes().owners.get(table)
    events = runtimes().get(owner) if owner else None
    if events is not None:
        events.row_changed(writer, op, table, row)


def settle() -> None:
    """Wait (bounded) until every reader has applied the row changes the suite committed."""
    if not _PENDING:
        return
    from sqlalchemy import bindparam, text

    waiting: dict[str, set[str]] = {}
    committed: set[str] = set()
    for events in runtimes().values():
        found = events._committed(list(_PENDING))
        committed |= set(found)
        for message_id, channel in found.items():
            for reader in events._expected(channel):
                waiting.setdefault(reader, set()).add(message_id)
    for message_id in _PENDING:  # not committed yet: looked for again at the next requests, a few times (a rollback never commits)
        _TRIES[message_id] = _TRIES.get(message_id, 0) + 1
    _PENDING[:] = [message_id for message_id in _PENDING if message_id not in committed and _TRIES[message_id] <= _MAX_TRIES]
    query = text("SELECT message_id FROM migrator_inbox WHERE message_id IN :ids").bindparams(bindparam("ids", expanding=True))
    deadline = time.monotonic() + WAIT_SECONDS
    while waiting and time.monotonic() < deadline:
        for reader in list(waiting):
            if reader not in _routes().databases:
                del waiting[reader]
                continue
            try:
                with engine(reader).connect() as connection:
                    waiting[reader] -= {row[0] for row in connection.execute(query, {"ids": sorted(waiting[reader])})}
            except Exception:  # noqa: BLE001 - its inbox is not made yet: nothing applied
                pass
            if not waiting[reader]:
                del waiting[reader]
        if waiting:
            time.sleep(0.05)


def empty(tables: list[str], *, emptied_on: str | None) -> None:
    """``tables`` (children first) emptied on every database of the run other than ``emptied_on``
    that has them, their row numbering started again: the suite dropped them there (its next
    ``create_all`` makes them anew, numbered from 1: a test may ask for ``/members/1``)."""
    from sqlalchemy import text

    found = _routes()
    for service in sorted(found.databases):
        if service == emptied_on:
            continue
        postgres = engine(service).dialect.name == "postgresql"
        for table in tables:
            if not found.holds(service, table):
                continue
            statements = [f'TRUNCATE TABLE "{table}" RESTART IDENTITY CASCADE'] if postgres else [
                f'DELETE FROM "{table}"', f"DELETE FROM sqlite_sequence WHERE name = '{table}'"]
            for statement in statements:
                try:
                    with engine(service).begin() as connection:
                        connection.execute(text(statement))
                except Exception:  # noqa: BLE001 - a table this database was not given holds nothing (nor a numbering)
                    pass


# ---------------------------------------------------------------- Django


def _django_setup(module: ModuleType) -> None:
    """Django's saves and deletes report their row changes once Django is set up (its models
    import each other while it starts: connecting sooner would import them half made)."""
    original = module.setup

    def setup(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        for events in runtimes().values():
            events.watch_sessions = False
        _runtime_module("frameworks").Django.watch_changes(None, row_changed)
        from . import django_routing

        django_routing.after_setup()
        return result

    module.setup = setup


PATCHES = [("django", _django_setup)]
