"""A write of a table another service owns (``EventRuntime.forward_writes``): captured from the
writer's flushes (or a framework's signals), sent to the owner before the writer commits, applied
there in one transaction with the outbox rows of its readers; a refusal rolls the writer back; a
number the owner is given moves its own numbering past it (PostgreSQL's sequence)."""

from __future__ import annotations

import json
import os
import types
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, declarative_base, sessionmaker

from generators.service.runtime.codec import Codec
from generators.service.runtime.events import EventRuntime, advance_sequences
from generators.service.runtime.metrics import Metrics
from generators.service.runtime.web import ROWS_PATH

Base = declarative_base()


class User(Base):  # type: ignore[misc, valid-type]
    __tablename__ = "users"
    id = sa.Column(sa.Integer, primary_key=True)
    email = sa.Column(sa.String(64), unique=True)
    last_seen = sa.Column(sa.String(32))


class Follow(Base):  # type: ignore[misc, valid-type]
    __tablename__ = "follows"
    follower_id = sa.Column(sa.Integer, sa.ForeignKey("users.id"), primary_key=True)
    followed_id = sa.Column(sa.Integer, sa.ForeignKey("users.id"), primary_key=True)


class Login(Base):  # type: ignore[misc, valid-type]
    """The writer's own table."""

    __tablename__ = "logins"
    id = sa.Column(sa.Integer, primary_key=True)
    email = sa.Column(sa.String(64))


def _runtime(service: str, engine: Any, *, owners: dict[str, str], readers: dict[str, list[str]], call: Any = None) -> EventRuntime:
    manifest = types.SimpleNamespace(CHANNELS={}, CHANGES_OUT=readers, CHANGES_IN={}, DISPATCHER="", CONSUMES=[], OWNERS=owners,
                                     PLANNED_TABLES=["follows", "logins", "users"])
    return EventRuntime(service=service, manifest=manifest, bus=None, engine=engine, session_factory=sessionmaker(bind=engine), codec=Codec(),
                        metrics=Metrics(), consistency_timeout=0, call=call or (lambda *a, **k: None))


def _over_http(owner: EventRuntime, sent: list[dict[str, Any]]) -> Any:
    """The client's call as the owner's endpoint answers it: the body encoded, a 422 raised again."""
    codec = Codec()

    def call(service: str, path: str, arguments: dict[str, Any], *, idempotent: bool) -> Any:
        assert (service, path, idempotent) == (owner.service, ROWS_PATH, True)
        sent.append(arguments["envelope"])
        status, document, written, skip = owner.receive_writes(json.dumps({"args": codec.encode(arguments)}).encode())
        assert skip == (frozenset({"auth"}) if status == 200 else frozenset())
        if status == 422:
            raise codec.decode_error(document["error"])
        assert status == 200, document
        return document["result"]

    return call


@pytest.fixture
def listening() -> Iterator[list[EventRuntime]]:
    """The runtimes a test installs: their listeners on every Session of the process removed after it."""
    made: list[EventRuntime] = []
    yield made
    for events in made:
        for name, function in (("after_flush", events._capture_writes), ("before_commit", events._send_captured),
                               ("after_rollback", events._forget_captured), ("after_flush", events._after_flush)):
            if sa.event.contains(Session, name, function):
                sa.event.remove(Session, name, function)


def _system(owner_url: str, writer_url: str, listening: list[EventRuntime]) -> tuple[EventRuntime, EventRuntime, list[dict[str, Any]]]:
    """``users`` owns users and follows (which ``auth`` and ``posts`` read); ``auth`` keeps a read
    model of them and writes them; each service on its own database with the whole schema."""
    owner_engine, writer_engine = sa.create_engine(owner_url), sa.create_engine(writer_url)
    for engine in (owner_engine, writer_engine):
        Base.metadata.create_all(engine)
    owner = _runtime("users", owner_engine, owners={"logins": "auth"}, readers={"users": ["auth", "posts"], "follows": ["auth"]})
    sent: list[dict[str, Any]] = []
    writer = _runtime("auth", writer_engine, owners={"users": "users", "follows": "users"}, readers={}, call=_over_http(owner, sent))
    owner.watch_sessions = False  # one runtime per process watches its sessions: here the writer's
    for events in (owner, writer):
        events.install()
        listening.append(events)
    return owner, writer, sent


def _rows(engine: Any, sql: str) -> list[tuple[Any, ...]]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.exec_driver_sql(sql)]


def _outbox(engine: Any) -> list[tuple[str, str, dict[str, Any]]]:
    bodies = [json.loads(body) for (body,) in _rows(engine, "SELECT body FROM migrator_outbox ORDER BY seq")]
    return [(b["op"], b["table"], Codec().decode(b["row"])) for b in bodies]


def _scenario(owner: EventRuntime, writer: EventRuntime, sent: list[dict[str, Any]]) -> None:
    with owner.engine.begin() as connection:  # the owner's own user, already in the writer's read model
        connection.execute(sa.insert(User.__table__).values(email="owner@example.com", last_seen="monday"))
    with writer.engine.begin() as connection:  # as the read model's consumer applies it
        connection.execute(sa.insert(User.__table__).values(id=1, email="owner@example.com", last_seen="sunday"))
        advance_sequences(connection, User.__table__, {"id": 1})
    session: Any = writer.session_factory()
    user = User(email="new@example.com", last_seen="today")
    session.add_all([user, Login(email="new@example.com")])
    session.flush()
    session.add(Follow(follower_id=user.id, followed_id=user.id))
    session.commit()  # the writer's own row (logins) stays here; users and follows reach their owner first
    assert [[(c["op"], c["table"]) for c in e["changes"]] for e in sent] == [[("insert", "users"), ("insert", "follows")]]
    assert _rows(owner.engine, "SELECT id, email FROM users ORDER BY id") == [(1, "owner@example.com"), (2, "new@example.com")]
    assert _rows(owner.engine, "SELECT follower_id, followed_id FROM follows") == [(2, 2)]
    assert [(op, table) for op, table, _ in _outbox(owner.engine)] == [("upsert", "users"), ("upsert", "follows")]

    session = writer.session_factory()
    stale = session.get(User, 1)
    stale.email = "renamed@example.com"  # last_seen here is older than the owner's: it is not sent
    session.commit()
    assert sent[-1]["changes"][0]["op"] == "update" and set(Codec().decode(sent[-1]["changes"][0]["row"])) == {"id", "email"}
    assert _rows(owner.engine, "SELECT email, last_seen FROM users WHERE id = 1") == [("renamed@example.com", "monday")]
    assert _outbox(owner.engine)[-1] == ("upsert", "users", {"id": 1, "email": "renamed@example.com", "last_seen": "monday"})

    session = writer.session_factory()
    session.delete(session.get(Follow, (2, 2)))
    session.commit()
    assert _rows(owner.engine, "SELECT * FROM follows") == [] and _outbox(owner.engine)[-1][:2] == ("delete", "follows")

    with owner.engine.begin() as connection:  # a row the writer's read model does not have yet
        assert connection.execute(sa.insert(User.__table__).values(email="racing@example.com")).inserted_primary_key[0] == 3
    session = writer.session_factory()
    session.add(User(email="late@example.com"))  # numbered 3 here: the owner has a 3, and refuses it
    with pytest.raises(sa.exc.IntegrityError):
        session.commit()
    assert _rows(writer.engine, "SELECT id FROM users ORDER BY id") == [(1,), (2,)]  # rolled back here too
    assert _rows(owner.engine, "SELECT email FROM users WHERE id = 3") == [("racing@example.com",)]
    assert writer.session_factory().get(User, 3) is None

    envelope = dict(sent[0])  # a call sent again (a retry after a lost answer) is applied once
    status, _, written, _ = owner.receive_writes(json.dumps({"args": Codec().encode({"envelope": envelope})}).encode())
    assert (status, written) == (200, [])


def test_writes_of_the_owners_tables_reach_it_before_the_writer_commits_on_sqlite(tmp_path: Any, listening: list[EventRuntime]) -> None:
    owner, writer, sent = _system(f"sqlite:///{tmp_path}/users.db", f"sqlite:///{tmp_path}/auth.db", listening)
    _scenario(owner, writer, sent)


@pytest.fixture
def postgres_databases() -> Iterator[tuple[str, str]]:
    base = os.environ.get("MIGRATOR_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
    names = [f"writes_{uuid.uuid4().hex[:10]}_{n}" for n in ("users", "auth")]
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        for name in names:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    root = base.rsplit("/", 1)[0]
    try:
        yield f"{root}/{names[0]}", f"{root}/{names[1]}"
    finally:
        with admin.connect() as connection:
            for name in names:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def test_on_postgresql_the_owner_numbers_its_next_row_past_the_one_it_was_given(postgres_databases: tuple[str, str],
                                                                                listening: list[EventRuntime]) -> None:
    owner, writer, sent = _system(*postgres_databases, listening)
    _scenario(owner, writer, sent)
    with owner.engine.begin() as connection:  # its sequence moved past 2 (given), then it numbered 3 itself
        assert connection.execute(sa.insert(User.__table__).values(email="own@example.com")).inserted_primary_key[0] == 4
    reader = _runtime("posts", writer.engine, owners={}, readers={})  # a read model given a numbered row moves its sequence too
    reader.cdc_in = {"users": ["users"]}
    assert reader.deliver({"message_id": str(uuid.uuid4()), "name": "changes.users", "kind": "change", "origin": "users", "op": "upsert",
                           "table": "users", "row": {"id": 9, "email": "nine@example.com"}}) == "ok"
    with writer.engine.begin() as connection:
        assert connection.execute(sa.insert(User.__table__).values(email="ten@example.com")).inserted_primary_key[0] == 10
    for engine in (owner.engine, writer.engine):
        engine.dispose()


def test_a_framework_that_reports_its_own_saves_sends_them_at_once_and_an_owner_refuses_a_table_it_does_not_own(
        tmp_path: Any, listening: list[EventRuntime]) -> None:
    owner, writer, sent = _system(f"sqlite:///{tmp_path}/users.db", f"sqlite:///{tmp_path}/auth.db", listening)
    outbox_rows: list[dict[str, Any]] = []
    writer.row_changed(outbox_rows.append, "insert", "users", {"id": 5, "email": "django@example.com", "last_seen": None})
    assert outbox_rows == [] and _rows(owner.engine, "SELECT id, email FROM users") == [(5, "django@example.com")]
    writer.row_changed(outbox_rows.append, "delete", "users", {"id": 5})
    assert _rows(owner.engine, "SELECT id FROM users") == []
    refused = json.dumps({"args": Codec().encode({"envelope": {"message_id": "m", "origin": "auth",
                                                              "changes": [{"op": "insert", "table": "logins", "row": {"id": 1}}]}})})
    status, document, _, _ = owner.receive_writes(refused.encode())
    assert status == 422 and "does not own logins" in str(Codec().decode_error(document["error"]))
