"""With a database per service (``MIGRATOR_SUITE_OWNER_MANIFEST``): the suite's ORM writes on the
database of the one service that owns the tables (``MIGRATOR_SUITE_DATABASE_URL``), and the rows it
changes there in tables other services read reach their read models as the owner's own writes do:
through the owner's outbox, written by the services' own event runtime (``row_changed``, from
SQLAlchemy's flushes or Django's signals) in the suite's transaction, and published by the owner's
relay. Before each request the suite sends, it waits until every reader has applied what the suite
committed (their inboxes hold its message ids), as a service's request waits for its own events;
where the suite empties the owner's tables (``drop_all``, Django's ``flush``), the readers' read
models of them are emptied too, as the rows' deletions would have done."""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import time
from types import ModuleType, SimpleNamespace
from typing import Any

WAIT_SECONDS = 10.0
"""As the services' own read-your-writes (EVENT_CONSISTENCY_TIMEOUT)."""
_PENDING: list[str] = []
"""Message ids the suite wrote to the owner's outbox, not yet seen applied."""
_TRIES: dict[str, int] = {}
_MAX_TRIES = 5
_STATE: dict[str, Any] = {}


def enabled() -> bool:
    return bool(os.environ.get("MIGRATOR_SUITE_OWNER_MANIFEST"))


def _runtime_module(name: str) -> ModuleType:
    return importlib.import_module(f"{os.environ['MIGRATOR_SUITE_RUNTIME']}.{name}")


def _engine(url: str) -> Any:
    from sqlalchemy import create_engine

    return create_engine(_runtime_module("web").with_installed_driver(url))


def runtime() -> Any:
    """The owner's event runtime in the suite's process: no bus, its outbox on the owner's database."""
    if "runtime" not in _STATE:
        spec = importlib.util.spec_from_file_location("migrator_owner_manifest", os.environ["MIGRATOR_SUITE_OWNER_MANIFEST"])
        assert spec is not None and spec.loader is not None
        owner = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(owner)
        from sqlalchemy.orm import sessionmaker

        manifest = SimpleNamespace(CHANNELS={}, CHANGES_OUT=dict(owner.CHANGES_OUT), CHANGES_IN={}, DISPATCHER="", CONSUMES=[])
        engine = _engine(os.environ["MIGRATOR_SUITE_DATABASE_URL"])
        _STATE["runtime"] = _runtime_module("events").EventRuntime(
            service=owner.SERVICE, manifest=manifest, bus=None, engine=engine, session_factory=sessionmaker(bind=engine),
            codec=_runtime_module("codec").Codec(getattr(owner, "MOVES", {})), metrics=_runtime_module("metrics").Metrics(),
            consistency_timeout=0, call=lambda *args, **kwargs: None)
        _runtime_module("context").written.set(_PENDING)  # the main thread's: every write of the suite is collected
    return _STATE["runtime"]


def _readers() -> dict[str, Any]:
    if "readers" not in _STATE:
        _STATE["readers"] = {key: _engine(url) for key, url in json.loads(os.environ.get("MIGRATOR_SUITE_READERS") or "{}").items()}
    return _STATE["readers"]


def settle() -> None:
    """Wait (bounded) until every reader has applied the row changes the suite committed."""
    if not _PENDING:
        return
    from sqlalchemy import bindparam, text

    events = runtime()
    committed = events._committed(list(_PENDING))
    waiting: dict[str, set[str]] = {}
    for message_id, channel in committed.items():
        for reader in events._expected(channel):
            waiting.setdefault(reader, set()).add(message_id)
    for message_id in _PENDING:  # not committed yet: looked for again at the next requests, a few times (a rollback never commits)
        _TRIES[message_id] = _TRIES.get(message_id, 0) + 1
    _PENDING[:] = [message_id for message_id in _PENDING if message_id not in committed and _TRIES[message_id] <= _MAX_TRIES]
    query = text("SELECT message_id FROM migrator_inbox WHERE message_id IN :ids").bindparams(bindparam("ids", expanding=True))
    deadline = time.monotonic() + WAIT_SECONDS
    while waiting and time.monotonic() < deadline:
        for reader in list(waiting):
            engine = _readers().get(reader)
            if engine is None:
                del waiting[reader]
                continue
            try:
                with engine.connect() as connection:
                    waiting[reader] -= {row[0] for row in connection.execute(query, {"ids": sorted(waiting[reader])})}
            except Exception:  # noqa: BLE001 - its inbox is not made yet: nothing applied
                pass
            if not waiting[reader]:
                del waiting[reader]
        if waiting:
            time.sleep(0.05)


def empty_read_models(tables: Any) -> None:
    """The readers' read models of ``tables`` emptied: the owner's were dropped or flushed."""
    from sqlalchemy import text

    changes_out = runtime().cdc_out
    for table in sorted(set(tables) & set(changes_out)):
        for reader in changes_out[table]:
            engine = _readers().get(reader)
            if engine is None:
                continue
            try:
                with engine.begin() as connection:
                    connection.execute(text(f'DELETE FROM "{table}"'))
            except Exception:  # noqa: BLE001 - a read model not made yet holds nothing
                pass


def _sqlalchemy(module: ModuleType) -> None:
    """SQLAlchemy's flushes report the changes of the owner's tables others read (the runtime made
    at the first flush: here, SQLAlchemy is still being imported)."""
    from sqlalchemy import event

    def after_flush(session: Any, context: Any) -> None:
        if runtime().watch_sessions:
            runtime()._after_flush(session, context)

    event.listen(module.Session, "after_flush", after_flush)


def _drop_all(module: ModuleType) -> None:
    original = module.MetaData.drop_all

    def drop_all(self: Any, *args: Any, **kwargs: Any) -> Any:
        result = original(self, *args, **kwargs)
        empty_read_models(self.tables)
        return result

    module.MetaData.drop_all = drop_all


def _django_setup(module: ModuleType) -> None:
    """Django's saves and deletes report their row changes once Django is set up (its models
    import each other while it starts: connecting sooner would import them half made)."""
    original = module.setup

    def setup(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        events = runtime()
        events.watch_sessions = False
        _runtime_module("frameworks").Django.watch_changes(None, events.row_changed)
        return result

    module.setup = setup


def _django_flush(module: ModuleType) -> None:
    original = module.Command.handle

    def handle(self: Any, *args: Any, **options: Any) -> Any:
        result = original(self, *args, **options)
        empty_read_models(runtime().cdc_out)
        return result

    module.Command.handle = handle


PATCHES = [("sqlalchemy.orm", _sqlalchemy), ("sqlalchemy.sql.schema", _drop_all), ("django", _django_setup),
           ("django.core.management.commands.flush", _django_flush)]
