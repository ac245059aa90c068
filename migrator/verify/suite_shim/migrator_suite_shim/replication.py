"""With a database per service (``MIGRATOR_SUITE_PLACEMENT``, see ``routing``): the suite's ORM
writes each row on the database of the service owning its table, and the rows it changes there in
tables others read reach their read models as the owner's own writes do: through that owner's
outbox, written by the services' own event runtime (one per owner: ``row_changed``, from
SQLAlchemy's flushes or Django's signals) in the suite's transaction, and published by the owner's
relay. Before each request the suite sends, it waits until every reader has applied what the suite
committed (their inboxes hold its message ids), as a service's request waits for its own events.

SQLAlchemy: every session's ``get_bind`` routes a statement by the tables it names (``routing``),
the engine the session was given standing for the home database; where the suite drops its tables
(``drop_all``), the same tables are emptied on every other database that has them, as the rows'
deletions would have done. Django: ``django_routing``."""

from __future__ import annotations

import contextlib
import contextvars
import importlib
import importlib.util
import os
import time
from collections.abc import Iterator
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
_WRITING: contextvars.ContextVar[str | None] = contextvars.ContextVar("migrator_suite_writing", default=None)
"""The owner whose event runtime writes its outbox row on the session's connection now."""


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

        made = create_engine(_runtime_module("web").with_installed_driver(_routes().databases[service]))
        if made.dialect.name == "postgresql":
            from sqlalchemy import event

            event.listen(made, "connect", _unchecked)
        engines[service] = made
    return engines[service]


def _unchecking(bind: Any) -> None:
    """The engine the suite's application made, on the home database, holds the suite's rows to no
    foreign key either: from each connection it hands out on (some are open already)."""
    made = getattr(bind, "engine", bind)
    seen = _STATE.setdefault("unchecking", set())
    if id(made) in seen or getattr(getattr(made, "dialect", None), "name", "") != "postgresql":
        return
    seen.add(id(made))
    from sqlalchemy import event

    event.listen(made, "checkout", lambda dbapi_connection, record, proxy: _unchecked(dbapi_connection, record))


def _unchecked(dbapi_connection: Any, record: Any) -> None:
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
    """Each owner's event runtime in the suite's process: no bus, its outbox on the owner's database."""
    if "runtimes" not in _STATE:
        from sqlalchemy.orm import sessionmaker

        made = {}
        for service, path in sorted(_routes().manifests.items()):
            spec = importlib.util.spec_from_file_location(f"migrator_owner_manifest_{len(made)}", path)
            assert spec is not None and spec.loader is not None
            owner = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(owner)
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


def service_of(bind: Any) -> str | None:
    """The service whose database ``bind`` (an engine or a connection) is on; None for another."""
    url = getattr(getattr(bind, "engine", bind), "url", None)
    if url is None:
        return None
    cache = _STATE.setdefault("services_of", {})
    key = str(url)
    if key not in cache:
        ours = _same_database(url)
        cache[key] = next((service for service, other in sorted(_routes().databases.items()) if ours == _same_database(other)), None)
    return cache[key]


def _same_database(url: Any) -> tuple[str, Any, Any, str]:
    from sqlalchemy.engine.url import make_url

    parsed = make_url(str(url)) if isinstance(url, str) else url
    database = parsed.database or ""
    backend = parsed.get_backend_name()
    if backend == "sqlite" and database not in ("", ":memory:"):
        database = os.path.realpath(database)
    return backend, parsed.host, parsed.port or _DEFAULT_PORTS.get(backend), database


_DEFAULT_PORTS = {"postgresql": 5432, "mysql": 3306, "mariadb": 3306}
"""A URL naming no port means the server's default: the same database as one naming it (the
FastAPI template builds its URL from parts, the port among them)."""


@contextlib.contextmanager
def writing_for(owner: str) -> Iterator[None]:
    token = _WRITING.set(owner)
    try:
        yield
    finally:
        _WRITING.reset(token)


# ---------------------------------------------------------------- SQLAlchemy


def tables_of(mapper: Any = None, clause: Any = None) -> tuple[list[Any], bool]:
    """The tables a statement names (``clause``, else the mapped tables of ``mapper``), and whether
    it writes (an INSERT, UPDATE or DELETE: its target table alone; a flush: the mapper's)."""
    from sqlalchemy.sql.dml import UpdateBase
    from sqlalchemy.sql.util import find_tables

    if isinstance(clause, UpdateBase):
        return [clause.table], True
    if clause is not None:
        found = {t.name: t for t in find_tables(clause, include_crud=True, include_aliases=True)
                 if isinstance(getattr(t, "name", None), str) and hasattr(t, "foreign_keys")}
        if found:
            return [found[name] for name in sorted(found)], False
    if mapper is not None:
        from sqlalchemy import inspect

        mapped = inspect(mapper, raiseerr=False)
        tables = getattr(mapped, "tables", None) or [getattr(mapped, "local_table", None)]
        return sorted((t for t in tables if isinstance(getattr(t, "name", None), str)), key=lambda t: t.name), clause is None
    return [], False


def references(table: Any) -> tuple[str, ...]:
    """The tables ``table``'s foreign keys point at."""
    return tuple(sorted({key.column.table.name for key in getattr(table, "foreign_keys", ())}))


def route(original: Any) -> Any:
    """``Session.get_bind`` that sends a statement to its database (``routing``), the engine the
    session was given standing for the home database; a session bound elsewhere is left alone."""

    def get_bind(self: Any, mapper: Any = None, clause: Any = None, **kwargs: Any) -> Any:
        bind = original(self, mapper, clause=clause, **kwargs)
        found = _routes()
        if kwargs.get("bind") is not None or service_of(bind) != found.home:
            return bind
        writer = _WRITING.get()
        if writer is not None and mapper is None and clause is None:
            target = writer
        else:
            tables, writes = tables_of(mapper, clause)
            if not tables:
                return bind
            if writes:
                target = found.write(tables[0].name, references(tables[0]))
            else:
                names = [t.name for t in tables]
                reading = found.read(names, references={t.name: references(t) for t in tables})
                if reading.missing:
                    from . import flags

                    lacks = ", ".join(f"{t}, owned by {found.owners[t]}" for t in reading.missing)
                    flags.note(f"the suite read {', '.join(names)} in one statement; no database of the split holds them all "
                               f"(the {reading.service} service's lacks {lacks})")
                if not reading.current:
                    settle()
                target = reading.service
        if target != found.home:
            return engine(target)
        _unchecking(bind)
        return bind

    get_bind.__wrapped__ = original  # type: ignore[attr-defined]
    return get_bind


def _route_sessions(module: ModuleType) -> None:
    if not getattr(module.Session.get_bind, "__wrapped__", None):
        module.Session.get_bind = route(module.Session.get_bind)


def _sqlalchemy(module: ModuleType) -> None:
    """SQLAlchemy's flushes report the changes of the tables others read, each in its owner's
    outbox on the owner's connection of the session (the runtimes made at the first flush: here,
    SQLAlchemy is still being imported)."""
    from sqlalchemy import event

    def after_flush(session: Any, context: Any) -> None:
        for owner, events in runtimes().items():
            if events.watch_sessions and events.cdc_out:
                with writing_for(owner):
                    events._after_flush(session, context)

    event.listen(module.Session, "after_flush", after_flush)


def _drop_all(module: ModuleType) -> None:
    original = module.MetaData.drop_all

    def drop_all(self: Any, *args: Any, **kwargs: Any) -> Any:
        result = original(self, *args, **kwargs)
        bind = kwargs.get("bind", args[0] if args else None) or getattr(self, "bind", None)
        chosen = kwargs.get("tables", args[1] if len(args) > 1 else None)
        names = {t.name for t in chosen} if chosen is not None else set(self.tables)
        dropped_on = service_of(bind) if bind is not None else None
        if dropped_on is not None:
            empty([t.name for t in reversed(self.sorted_tables) if t.name in names], emptied_on=dropped_on)
        return result

    module.MetaData.drop_all = drop_all


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


PATCHES = [("sqlalchemy.orm", _sqlalchemy), ("sqlalchemy.orm.session", _route_sessions), ("flask_sqlalchemy.session", _route_sessions),
           ("sqlalchemy.sql.schema", _drop_all), ("django", _django_setup)]
