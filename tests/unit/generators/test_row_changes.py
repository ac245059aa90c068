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
from generators.service.runtime.events import EventRuntime, RetryPolicy
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


def test_a_row_change_carries_what_the_columns_store_and_a_read_model_without_the_apps_types_applies_it() -> None:
    """ihatemoney's Project.logging_preference is ``db.Enum(LoggingMode)``: its change carried the
    enum member, which the reader's table (reflected: a plain VARCHAR) could not bind, and the
    consumer failed on it for ever."""
    import enum

    import sqlalchemy as sa
    from sqlalchemy.orm import Session, declarative_base
    from sqlalchemy.types import TypeDecorator

    from generators.service.runtime.events import stored_value

    class Mode(enum.Enum):
        DISABLED = 0
        RECORD = 1

    class Upper(TypeDecorator):
        impl = sa.String
        cache_ok = True

        def process_bind_param(self, value: Any, dialect: Any) -> Any:
            return value.upper() if value is not None else None

    Base = declarative_base()

    class Project(Base):  # type: ignore[misc, valid-type]
        __tablename__ = "project"
        id = sa.Column(sa.String, primary_key=True)
        mode = sa.Column(sa.Enum(Mode))
        code = sa.Column(Upper)
        level = sa.Column(sa.Integer)

    dialect = create_engine("sqlite://").dialect
    columns = Project.__table__.c
    assert stored_value(columns.mode, Mode.RECORD, dialect) == "RECORD"  # SQLAlchemy stores an Enum member's name
    assert stored_value(columns.code, "eur", dialect) == "EUR"
    assert stored_value(columns.level, Mode.RECORD, dialect) == 1  # a member in a plain column: its value
    assert stored_value(columns.mode, None, dialect) is None

    class Plain(TypeDecorator):  # SQLModel's AutoString: a TypeDecorator without a conversion of its own
        impl = sa.String
        cache_ok = True

    assert stored_value(sa.Column("email", Plain(255)), "admin@example.com", dialect) == "admin@example.com"

    writer = create_engine("sqlite://")
    Base.metadata.create_all(writer)
    manifest = types.SimpleNamespace(CHANNELS={}, CHANGES_OUT={"project": ["monolith"]}, CHANGES_IN={}, DISPATCHER="", CONSUMES=[])
    events = EventRuntime(service="project", manifest=manifest, bus=None, engine=writer, session_factory=sessionmaker(bind=writer), codec=Codec(),
                          metrics=Metrics(), consistency_timeout=0, call=lambda *a, **k: None)
    events.install()
    session: Any = events.session_factory()
    session.add(Project(id="raclette", mode=Mode.RECORD, code="xxx", level=2))
    try:
        session.commit()
    finally:  # the runtime listens to every Session of the process, as a service's does: not to the other tests'
        sa.event.remove(Session, "after_flush", events._after_flush)
    with writer.connect() as connection:
        (body,) = [json.loads(row[0]) for row in connection.exec_driver_sql("SELECT body FROM migrator_outbox")]
    assert Codec().decode(body["row"]) == {"id": "raclette", "mode": "RECORD", "code": "XXX", "level": 2}

    reader_engine = create_engine("sqlite://")
    with reader_engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE project (id VARCHAR PRIMARY KEY, mode VARCHAR(8), code VARCHAR, level INTEGER)")
    reader_manifest = types.SimpleNamespace(CHANNELS={}, CHANGES_OUT={}, CHANGES_IN={"project": ["project"]}, DISPATCHER="", CONSUMES=[])
    reader = EventRuntime(service="monolith", manifest=reader_manifest, bus=None, engine=reader_engine, session_factory=sessionmaker(bind=reader_engine),
                          codec=Codec(), metrics=Metrics(), consistency_timeout=0, call=lambda *a, **k: None)
    reader.install()
    assert reader.deliver(body) == "ok"
    with reader_engine.connect() as connection:
        assert list(connection.exec_driver_sql("SELECT id, mode, code, level FROM project")) == [("raclette", "RECORD", "XXX", 2)]


def _changes(tables: dict[str, str]) -> tuple[EventRuntime, EventRuntime, list[dict[str, Any]]]:
    """A writer (``orders``) whose row changes of ``tables`` reach a reader (``reporting``) keeping
    read models of them on SQLite with its foreign keys enforced, as the sample's are."""
    import sqlalchemy as sa

    writer_engine = create_engine("sqlite://")
    writer = EventRuntime(service="orders", manifest=types.SimpleNamespace(CHANNELS={}, CHANGES_OUT={t: ["reporting"] for t in tables}, CHANGES_IN={},
                                                                        DISPATCHER="", CONSUMES=[]),
                          bus=None, engine=writer_engine, session_factory=sessionmaker(bind=writer_engine), codec=Codec(), metrics=Metrics(),
                          consistency_timeout=0, call=lambda *a, **k: None)
    reader_engine = create_engine("sqlite://", poolclass=sa.pool.StaticPool, connect_args={"check_same_thread": False})
    sa.event.listen(reader_engine, "connect", lambda connection, _record: connection.execute("PRAGMA foreign_keys=ON"))
    with reader_engine.begin() as connection:
        for ddl in tables.values():
            connection.exec_driver_sql(ddl)
    reader = EventRuntime(service="reporting", manifest=types.SimpleNamespace(CHANNELS={}, CHANGES_OUT={}, CHANGES_IN={"orders": list(tables)},
                                                                           DISPATCHER="", CONSUMES=[]),
                          bus=None, engine=reader_engine, session_factory=sessionmaker(bind=reader_engine), codec=Codec(), metrics=Metrics(),
                          consistency_timeout=0, call=lambda *a, **k: None, retry=RetryPolicy(backoff=0.0))
    reader.install()
    return writer, reader, []


def test_a_row_change_that_arrives_before_the_row_it_refers_to_waits_for_it_and_is_not_given_up() -> None:
    """Row changes of two tables travel on two channels: an order line may come before its order
    and break the read model's foreign key many times, quickly; it is held back and tried again
    until the order lands, never given up while it fails for less than the policy's window."""
    import asyncio

    import pytest

    writer, reader, written = _changes({
        "orders": "CREATE TABLE orders (id INTEGER PRIMARY KEY, status VARCHAR)",
        "order_lines": "CREATE TABLE order_lines (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL REFERENCES orders (id), quantity INTEGER)",
    })
    writer.row_changed(written.append, "upsert", "orders", {"id": 1, "status": "paid"})
    writer.row_changed(written.append, "upsert", "order_lines", {"id": 10, "order_id": 1, "quantity": 2})
    order, line = (json.loads(row["body"]) for row in written)
    consume_lines, consume_orders = reader._consumer("changes.order_lines"), reader._consumer("changes.orders")
    for _ in range(reader.retry.attempts * 2):  # far more than the attempts, within the window: still held
        with pytest.raises(Exception, match="FOREIGN KEY"):
            asyncio.run(consume_lines(dict(line)))
    assert reader._failures[line["message_id"]][0] == reader.retry.attempts * 2
    asyncio.run(consume_orders(dict(order)))
    asyncio.run(consume_lines(dict(line)))  # its order is there now
    assert reader._failures == {}
    with reader.engine.connect() as connection:
        assert list(connection.exec_driver_sql("SELECT id, order_id, quantity FROM order_lines")) == [(10, 1, 2)]
    assert reader.deliver(dict(line)) == "duplicate"


def test_the_retry_policy_waits_longer_after_each_failure_and_gives_up_only_after_enough_attempts_over_its_window() -> None:
    policy = RetryPolicy(attempts=4, window=30.0, backoff=0.1, longest_wait=1.0)
    assert [policy.wait(n) for n in range(1, 7)] == [0.1, 0.2, 0.4, 0.8, 1.0, 1.0]
    assert not policy.gives_up(3, 3600.0)  # too few attempts, however long
    assert not policy.gives_up(400, 29.0)  # many quick failures: the row it waits for may still come
    assert policy.gives_up(4, 30.0)


def test_a_message_that_fails_every_time_is_given_up_after_its_attempts_over_the_window_not_redelivered_for_ever() -> None:
    import asyncio

    import pytest

    events = _runtime()
    events.retry = RetryPolicy(attempts=3, window=0.0, backoff=0.0)
    events.install()
    consume = events._consumer("changes.blog")
    poison = {"message_id": "m-9", "name": "changes.blog", "kind": "event", "payload": "not decodable", "origin": "blog"}
    events.dispatcher = None  # delivering it raises, as an apply that cannot bind a value does
    for _ in range(events.retry.attempts - 1):
        with pytest.raises(Exception):
            asyncio.run(consume(dict(poison)))
    asyncio.run(consume(dict(poison)))  # the last attempt: logged and acknowledged
    assert events._failures == {}
