"""The event runtime's row changes, as any ORM reports them (``row_changed``: Django's signals,
SQLAlchemy's flushes): one outbox row per change of a table other services read, written by the
writer's own function (in its transaction), counted for the request that made it."""

from __future__ import annotations

import datetime as dt
import json
import types
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from generators.service.runtime.codec import Codec
from generators.service.runtime.context import collecting
from generators.service.runtime.events import EventRuntime
from generators.service.runtime.metrics import Metrics


def _runtime() -> EventRuntime:
    manifest = types.SimpleNamespace(CHANNELS={}, CHANGES_OUT={"blog_entry": ["activities"]}, CHANGES_IN={}, DISPATCHER="", CONSUMES=[])
    engine = create_engine("sqlite://")
    return EventRuntime(service="blog", manifest=manifest, bus=None, engine=engine, session_factory=sessionmaker(bind=engine), codec=Codec(),
                        metrics=Metrics(), consistency_timeout=0, call=lambda *a, **k: None)


def test_a_change_of_a_table_others_read_goes_to_the_outbox_through_the_writers_own_function() -> None:
    events, written = _runtime(), []
    with collecting() as ids:
        events.row_changed(written.append, "upsert", "blog_entry", {"id": 7, "title": "Hello", "published": dt.datetime(2026, 12, 6, 9, 0)})
        events.row_changed(written.append, "upsert", "auth_user", {"id": 1})  # no other service reads it
    (row,) = written
    envelope = json.loads(row["body"])
    assert (row["kind"], row["channel"], row["subject"], ids) == ("change", "changes.blog_entry", "changes.blog", [envelope["message_id"]])
    assert (envelope["op"], envelope["table"], envelope["origin"]) == ("upsert", "blog_entry", "blog")
    assert Codec().decode(envelope["row"]) == {"id": 7, "title": "Hello", "published": dt.datetime(2026, 12, 6, 9, 0)}


def test_without_a_writer_of_its_own_a_change_is_its_own_transaction() -> None:
    events = _runtime()
    events.install()  # the outbox table, on the runtime's engine
    session: Any = events.session_factory()
    events.row_changed(session, "delete", "blog_entry", {"id": 7})
    session.commit()
    with events.engine.connect() as connection:
        (row,) = list(connection.exec_driver_sql("SELECT channel, body FROM migrator_outbox"))
    assert row[0] == "changes.blog_entry" and json.loads(row[1])["op"] == "delete"


def test_an_ack_that_comes_before_the_request_waits_for_it_is_not_waited_for_again() -> None:
    """The relay loop, woken by the outbox write, may publish the committed row and its consumer
    ack it before the request's ``settle`` registers its waiter: that wait must not last the whole
    consistency timeout (the sample's suite lost 10 s on such requests, several times a run)."""
    import asyncio
    import time

    manifest = types.SimpleNamespace(CHANNELS={"payment.refunded": {"async": ["reporting"], "sync": [], "handlers": {}, "subject": "s"}},
                                     CHANGES_OUT={}, CHANGES_IN={}, DISPATCHER="", CONSUMES=[])
    from sqlalchemy.pool import StaticPool

    engine = create_engine("sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False})  # one database for every thread
    events = EventRuntime(service="payments", manifest=manifest, bus=None, engine=engine, session_factory=sessionmaker(bind=engine),
                          codec=Codec(), metrics=Metrics(), consistency_timeout=5, call=lambda *a, **k: None)
    events.install()
    with collecting() as ids:
        events._write(None, "event", "payment.refunded", "s", {"message_id": "m-1"})

    class Bus:
        async def publish(self, subject: str, body: Any) -> None:
            pass

    async def scenario() -> float:
        await events._on_ack({"message_id": "m-1", "consumer": "reporting"})  # before the request settles
        events.bus = Bus()  # type: ignore[assignment]
        started = time.monotonic()
        await events.settle(ids)
        return time.monotonic() - started

    assert asyncio.run(scenario()) < 1.0
