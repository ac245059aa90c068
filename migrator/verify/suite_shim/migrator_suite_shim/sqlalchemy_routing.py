"""SQLAlchemy with a database per service (``routing``): every session's ``get_bind`` sends a
statement to its database by the tables it names (a write to its table's owner, a read to a
database holding them all), the engine the suite's application gave the session standing for the
home database; a session bound elsewhere is left alone. Each flush reports the row changes of the
tables others read to their owner's event runtime (``replication``), its outbox row on the owner's
connection of the session. Where the suite drops its tables (``drop_all``), the same tables are
emptied on every other database that has them, as the rows' deletions would have done."""

from __future__ import annotations

import contextlib
import contextvars
import os
from collections.abc import Iterator
from types import ModuleType
from typing import Any

from . import replication

_WRITING: contextvars.ContextVar[str | None] = contextvars.ContextVar("migrator_suite_writing", default=None)
"""The owner whose event runtime writes its outbox row on the session's connection now."""
_SERVICES_OF: dict[str, str | None] = {}
_UNCHECKING: set[int] = set()


def service_of(bind: Any) -> str | None:
    """The service whose database ``bind`` (an engine or a connection) is on; None for another."""
    url = getattr(getattr(bind, "engine", bind), "url", None)
    if url is None:
        return None
    cache = _SERVICES_OF
    key = str(url)
    if key not in cache:
        ours = _same_database(url)
        cache[key] = next((service for service, other in sorted(replication._routes().databases.items()) if ours == _same_database(other)), None)
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
        found = replication._routes()
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
                    replication.settle()
                target = reading.service
        if target != found.home:
            return replication.engine(target)
        _unchecking(bind)
        return bind

    get_bind.__wrapped__ = original  # type: ignore[attr-defined]
    return get_bind


def _unchecking(bind: Any) -> None:
    """The engine the suite's application made, on the home database, holds the suite's rows to no
    foreign key either: from each connection it hands out on (some are open already)."""
    made = getattr(bind, "engine", bind)
    seen = _UNCHECKING
    if id(made) in seen or getattr(getattr(made, "dialect", None), "name", "") != "postgresql":
        return
    seen.add(id(made))
    from sqlalchemy import event

    event.listen(made, "checkout", lambda dbapi_connection, record, proxy: replication.unchecked(dbapi_connection, record))


def _route_sessions(module: ModuleType) -> None:
    if not getattr(module.Session.get_bind, "__wrapped__", None):
        module.Session.get_bind = route(module.Session.get_bind)


def _sqlalchemy(module: ModuleType) -> None:
    """SQLAlchemy's flushes report the changes of the tables others read, each in its owner's
    outbox on the owner's connection of the session (the runtimes made at the first flush: here,
    SQLAlchemy is still being imported)."""
    from sqlalchemy import event

    def after_flush(session: Any, context: Any) -> None:
        for owner, events in replication.runtimes().items():
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
            replication.empty([t.name for t in reversed(self.sorted_tables) if t.name in names], emptied_on=dropped_on)
        return result

    module.MetaData.drop_all = drop_all


PATCHES = [("sqlalchemy.orm", _sqlalchemy), ("sqlalchemy.orm.session", _route_sessions), ("flask_sqlalchemy.session", _route_sessions),
           ("sqlalchemy.sql.schema", _drop_all)]
