"""Events between services: a transactional outbox, a relay, idempotent consumers.

- The monolith's in-process dispatcher stays as it is. For every event another service handles,
  the runtime subscribes a *forwarder* on it (named after the remote handler, so the wiring stays
  visible). When the service publishes the event, the forwarder
  - calls the subscribers that can refuse it (their handler raises) synchronously over HTTP, inside
    the publisher's transaction, so that a refusal still rolls the publisher back as before;
  - writes one outbox row *in the publisher's own transaction* for everyone else.
- Row changes of tables that other services read (their read models) go to the outbox the same
  way, from the session's flush.
- A write of a table another service owns (``OWNERS``) goes to that owner before the writer's
  transaction commits (``forward_writes``: ``POST /internal/rows``), which applies it in its own
  database, in one transaction with its outbox rows, so that every read model, the writer's too,
  is fed as for the owner's own writes; the owner waits for its readers (but the writer, whose
  transaction still holds the row) before it answers. A refusal (a key the owner already has)
  comes back as the owner's error and rolls the writer back. The writer numbers a new row from
  its read model of the table; the owner moves its sequence past a number it is given.
- The relay publishes committed outbox rows (right after the request, and every second for
  anything left, e.g. while the broker was down), with the row id as message id.
- Consumers record each message id in an inbox table in the same transaction as the handler's
  effects: a redelivered message is acknowledged and skipped, never applied twice.
- Read-your-writes (``EVENT_CONSISTENCY_TIMEOUT``): a request that published events waits, up to
  that many seconds, until their consumers report them handled.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import importlib
import json
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import anyio
from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, Text, and_, delete, event, insert, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .bus import Bus
from .codec import Codec
from .context import serving, written
from .metrics import Metrics
from .web import ROWS_PATH

logger = logging.getLogger(__name__)

runtime_metadata = MetaData()
outbox = Table(
    "migrator_outbox", runtime_metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("message_id", String(36), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("channel", String(200), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("published_at", DateTime),
)
inbox = Table(
    "migrator_inbox", runtime_metadata,
    Column("message_id", String(36), primary_key=True),
    Column("channel", String(200), nullable=False),
    Column("processed_at", DateTime, nullable=False),
)

delivering: ContextVar[str | None] = ContextVar("delivering", default=None)
"""The event being delivered from another service: its forwarders must not send it again."""
_CAPTURED = "migrator_writes_of_others"
"""A session's ``info`` key: the writes of other services' tables its flushes made, to send before it commits."""
_EARLY_ACKS_KEPT = 10_000
"""How many acks of messages no request waits for (yet) are remembered, the latest."""


@dataclass(frozen=True)
class RetryPolicy:
    """When a message that failed here is tried again, and when it is given up (logged with its
    body and acknowledged, so that one message the service can never apply does not come back for
    ever ahead of the others).

    A failure is often only early: a row change of ``order_lines`` may arrive before the one of
    its ``orders`` row (they travel on different channels) and break a foreign key until the
    other lands. So a message waits longer after each failure before the broker has it again
    (``backoff`` seconds, doubled each time up to ``longest_wait``), and is given up only once it
    has failed ``attempts`` times over at least ``window`` seconds."""

    attempts: int = 8
    window: float = 60.0
    backoff: float = 0.1
    longest_wait: float = 5.0

    def wait(self, failures: int) -> float:
        """Seconds to hold a message back after its ``failures``-th failure."""
        return min(self.backoff * 2 ** (failures - 1), self.longest_wait)

    def gives_up(self, failures: int, failing_for: float) -> bool:
        return failures >= self.attempts and failing_for >= self.window


def create_runtime_tables(engine: Engine) -> None:
    """The outbox and the inbox, where they are not yet: services starting together on one
    database may race to create them, and the loser finds them made."""
    try:
        runtime_metadata.create_all(engine)
    except Exception:  # noqa: BLE001 - another process created them between the check and the CREATE
        runtime_metadata.create_all(engine)


def _now() -> Any:
    import datetime as dt

    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class EventRuntime:
    def __init__(
        self, *, service: str, manifest: Any, bus: Bus | None, engine: Engine, session_factory: Callable[[], Session],
        codec: Codec, metrics: Metrics, consistency_timeout: float, call: Callable[..., Any], retry: RetryPolicy = RetryPolicy(),
    ) -> None:
        self.service, self.manifest, self.bus, self.engine = service, manifest, bus, engine
        self.session_factory, self.codec, self.metrics = session_factory, codec, metrics
        self.consistency_timeout, self.call, self.retry = consistency_timeout, call, retry
        self.channels: dict[str, dict[str, Any]] = manifest.CHANNELS
        self.cdc_out: dict[str, list[str]] = manifest.CHANGES_OUT
        """Own tables other services keep read models of -> those services."""
        self.cdc_in: dict[str, list[str]] = manifest.CHANGES_IN
        """Owner service -> its tables this service keeps a read model of."""
        self.owners: dict[str, str] = dict(getattr(manifest, "OWNERS", {}))
        """Tables other services own -> their owner: a write of one here goes to it (``forward_writes``)."""
        self._own_tables = frozenset(getattr(manifest, "PLANNED_TABLES", ())) - set(self.owners)
        if os.environ.get("DATABASE_MODE") == "shared":  # one database: the tables are everyone's, no read model to feed
            self.cdc_out, self.cdc_in, self.owners = {}, {}, {}
        self._relay_lock = asyncio.Lock()
        self._waiters: dict[str, tuple[set[str], asyncio.Event]] = {}
        self._early_acks: collections.OrderedDict[str, set[str]] = collections.OrderedDict()
        """Acks that came before their request waited for them: the relay loop may publish a
        committed row (woken by its write) before the request's ``settle`` registers its waiter."""
        self._tables: dict[str, Table] = {}
        self._failures: dict[str, tuple[int, float]] = {}
        """Message id -> how many times it failed here, and when it first did (monotonic)."""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._wake = threading.Event()
        self.dispatcher: Any = None
        self.watch_sessions = True
        """SQLAlchemy's flushes report row changes; False where the framework's own signals do."""

    # ------------------------------------------------------------------ wiring
    def install(self) -> None:
        """Subscribe the forwarders on the monolith's dispatcher and watch flushes for row changes."""
        create_runtime_tables(self.engine)
        if self.manifest.DISPATCHER:
            self.dispatcher = importlib.import_module(self.manifest.DISPATCHER)
            for name, channel in self.channels.items():
                remote = [(svc, h) for svc, handlers in channel["handlers"].items() if svc != self.service for h in handlers]
                for index, (svc, handler_name) in enumerate(remote):
                    self.dispatcher.subscribe(name)(self._forwarder(name, handler_name, leader=index == 0))
        if self.cdc_out and self.watch_sessions:
            event.listen(Session, "after_flush", self._after_flush)
        if self.owners and self.watch_sessions:
            event.listen(Session, "after_flush", self._capture_writes)
            event.listen(Session, "before_commit", self._send_captured)
            event.listen(Session, "after_rollback", self._forget_captured)
        if self.bus is not None:
            for name in self.manifest.CONSUMES:
                self.bus.consume(self.channels[name]["subject"], self._consumer(name))
            for owner in self.cdc_in:
                # one subject per owner keeps its row changes in commit order (parents before children)
                self.bus.consume(f"changes.{owner}", self._consumer(f"changes.{owner}"))
            self.bus.on_acks(self._on_ack)

    def _forwarder(self, name: str, handler_name: str, *, leader: bool) -> Callable[[Any], None]:
        runtime = self
        module, _, qualname = handler_name.rpartition(".")

        def forward(evt: Any) -> None:
            if leader and delivering.get() != name:
                runtime.forward(name, evt)

        forward.__module__, forward.__qualname__, forward.__name__ = module, qualname, qualname
        forward.__doc__ = f"Runs {handler_name} in its own service."
        return forward

    def forward(self, name: str, evt: Any) -> None:
        channel = self.channels[name]
        payload = dict(evt.payload)
        envelope = {"message_id": str(uuid.uuid4()), "name": name, "kind": "event", "origin": self.service,
                    "payload": self.codec.encode(payload), "occurred_at": _now().isoformat()}
        for target in channel["sync"]:
            if target != self.service:
                self.call(target, f"/internal/events/{name}", {"envelope": envelope}, idempotent=True)
        if any(t != self.service for t in channel["async"]):
            session = getattr(evt, "session", None)
            self._write(session, "event", name, channel["subject"], envelope)

    def _write(self, session: Session | Callable[[dict[str, Any]], None] | None, kind: str, channel: str, subject: str,
               envelope: dict[str, Any]) -> None:
        """One outbox row, in the writer's own transaction: a SQLAlchemy session, or a function that
        inserts the row on the application's own connection (Django's cursor)."""
        row = {"message_id": envelope["message_id"], "kind": kind, "channel": channel, "subject": subject,
               "body": json.dumps(envelope), "created_at": _now()}
        if callable(session) and not isinstance(session, Session):
            session(row)
        elif session is not None:
            session.connection().execute(insert(outbox).values(**row))
        else:  # published without a transaction: the outbox row is its own
            with self.engine.begin() as connection:
                connection.execute(insert(outbox).values(**row))
        pending = written.get()
        if pending is not None:
            pending.append(envelope["message_id"])
        self._wake.set()

    def _after_flush(self, session: Session, _context: Any) -> None:
        for op, table, row in _flushed_rows(session, set(self.cdc_out)):
            self.row_changed(session, "delete" if op == "delete" else "upsert", table, row)

    def row_changed(self, writer: Session | Callable[[dict[str, Any]], None], op: str, table: str, row: dict[str, Any]) -> None:
        """A row of one of its tables that other services read changed (``upsert`` or ``delete``):
        its change goes to the outbox in the writer's transaction. SQLAlchemy's flushes call it, and
        a framework's own signals (Django's post_save and post_delete, which also say ``insert`` or
        ``update``). A row of a table another service owns goes to that owner instead, at once
        (inside the framework's save, before its transaction commits)."""
        if table in self.owners and not isinstance(writer, Session):
            self.forward_writes([(op, table, row)])
            return
        op = "delete" if op == "delete" else "upsert"
        if table not in self.cdc_out:
            return
        subject = f"changes.{self.service}"
        envelope = {"message_id": str(uuid.uuid4()), "name": subject, "kind": "change", "origin": self.service, "op": op, "table": table,
                    "row": {name: self.codec.encode(value) for name, value in row.items()}, "occurred_at": _now().isoformat()}
        self._write(writer, "change", f"changes.{table}", subject, envelope)

    # ------------------------------------------------------------------ writes of other services' tables
    def _capture_writes(self, session: Session, _context: Any) -> None:
        """The rows a flush wrote in tables other services own, kept until the session commits."""
        captured = session.info.setdefault(_CAPTURED, [])
        captured.extend(_flushed_rows(session, set(self.owners), changed_only=True))
        if not captured:
            session.info.pop(_CAPTURED, None)

    def _send_captured(self, session: Session) -> None:
        """Before the session commits: what its flushes wrote in other services' tables to their
        owners; a refusal is raised, and the commit does not happen (the session rolls back)."""
        if session.new or session.dirty or session.deleted:
            session.flush()  # the commit's own flush comes after this hook
        captured = session.info.pop(_CAPTURED, None)
        if not captured:
            return
        self.forward_writes(captured)

    @staticmethod
    def _forget_captured(session: Session) -> None:
        session.info.pop(_CAPTURED, None)  # rolled back: nothing was written

    def forward_writes(self, rows: list[tuple[str, str, dict[str, Any]]]) -> None:
        """Send ``(op, table, row)`` writes (``insert``, ``update``, ``upsert``, ``delete``) to the
        owners of their tables, each owner's in one call, in their order. Raises what an owner
        raised (its refusal), or ``client.RemoteUnavailable``."""
        batches: dict[str, list[dict[str, Any]]] = {}
        for op, table, row in rows:
            batches.setdefault(self.owners[table], []).append(
                {"op": op, "table": table, "row": {name: self.codec.encode(value) for name, value in row.items()}})
        for owner, changes in batches.items():
            envelope = {"message_id": str(uuid.uuid4()), "origin": self.service, "changes": changes}
            try:
                self.call(owner, ROWS_PATH, {"envelope": envelope}, idempotent=True)
            except Exception:
                logger.warning("%s refused (or did not take) the writes of its tables %s by %s", owner,
                               ", ".join(sorted({c["table"] for c in changes})), self.service)
                raise

    def apply_writes(self, envelope: dict[str, Any]) -> list[str]:
        """Apply, in one transaction, the writes another service made to this service's tables,
        with the outbox rows that feed their read models, once (the inbox holds the message id);
        return the outbox's message ids (to settle). Raises on a refusal: a row inserted under a
        key this database already has, a constraint broken."""
        message_id = str(envelope["message_id"])
        session = self.session_factory()
        token = written.set([])
        try:
            try:
                session.execute(insert(inbox).values(message_id=message_id, channel=ROWS_PATH, processed_at=_now()))
                session.flush()
            except IntegrityError:
                session.rollback()
                return []
            for change in envelope["changes"]:
                self._apply_write(session, change)
            session.commit()
            return list(written.get() or [])
        except BaseException:
            session.rollback()
            raise
        finally:
            written.reset(token)
            session.close()

    def receive_writes(self, body: bytes) -> tuple[int, dict[str, Any], list[str], frozenset[str]]:
        """``POST /internal/rows`` (a client call's body, its ``envelope`` argument): the status and
        document to answer (422 with the error: a refusal), the outbox's message ids to settle
        before answering, and the writer, whose ack is not waited for (its transaction, still
        open, holds the rows)."""
        try:
            envelope = self.codec.decode(json.loads(body or b"{}")["args"]["envelope"])
            origin, changes = str(envelope["origin"]), list(envelope["changes"])
            unknown = sorted({c["table"] for c in changes} - set(self.cdc_out) - set(self._own_tables))
        except (ValueError, KeyError, TypeError):
            return 400, {"detail": "expected args.envelope with origin and changes"}, [], frozenset()
        if unknown:
            return 422, {"error": self.codec.error(LookupError(f"{self.service} does not own {', '.join(unknown)}"))}, [], frozenset()
        try:
            message_ids = self.apply_writes(envelope)
        except Exception as exc:  # noqa: BLE001 - the writer raises it again and rolls back
            return 422, {"error": self.codec.error(exc)}, [], frozenset()
        return 200, {"result": len(changes)}, message_ids, frozenset({origin})

    def _apply_write(self, session: Session, change: dict[str, Any]) -> None:
        name = change["table"]
        table = self._table(name)
        row = {k: self.codec.decode(v) for k, v in change["row"].items() if k in table.c}
        key = and_(*[table.c[c.name] == row.get(c.name) for c in table.primary_key.columns])
        op = change["op"]
        if op == "delete":
            before = session.execute(table.select().where(key)).first()
            session.execute(delete(table).where(key))
            if before is not None:
                self.row_changed(session, "delete", name, _as_dict(before))
            return
        if op == "insert":
            session.execute(insert(table).values(**row))
        elif session.execute(update(table).where(key).values(**row)).rowcount == 0:
            session.execute(insert(table).values(**row))
        advance_sequences(session.connection(), table, row)
        after = session.execute(table.select().where(key)).first()
        self.row_changed(session, "upsert", name, _as_dict(after) if after is not None else row)

    # ------------------------------------------------------------------ relay
    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        if self.bus is not None:
            await self.bus.start()
            self._task = asyncio.create_task(self._relay_forever())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self.bus is not None:
            await self.bus.stop()

    async def _relay_forever(self) -> None:
        while True:
            try:
                await self.relay()
            except Exception:  # noqa: BLE001 - the broker may be down: the rows wait in the outbox
                logger.warning("outbox relay: broker unavailable, retrying", exc_info=logger.isEnabledFor(logging.DEBUG))
            await anyio.to_thread.run_sync(self._wake.wait, 1.0)
            self._wake.clear()

    def _pending(self, limit: int = 500) -> list[Any]:
        with self.engine.connect() as connection:
            # Table.select(): the one spelling SQLAlchemy 1.3 (an application's own pin) and 2 both take
            return list(connection.execute(outbox.select().where(outbox.c.published_at.is_(None)).order_by(outbox.c.seq).limit(limit)))

    def _mark(self, seqs: list[int]) -> None:
        with self.engine.begin() as connection:
            connection.execute(update(outbox).where(outbox.c.seq.in_(seqs)).values(published_at=_now()))

    async def relay(self) -> int:
        """Publish every committed, unpublished outbox row in order; return how many."""
        if self.bus is None:
            return 0
        async with self._relay_lock:
            rows = await anyio.to_thread.run_sync(self._pending)
            self.metrics.outbox_pending.labels(self.service).set(len(rows))
            done: list[int] = []
            try:
                for row in rows:
                    await self.bus.publish(row.subject, json.loads(row.body))
                    self.metrics.events_published.labels(self.service, row.channel).inc()
                    done.append(row.seq)
            finally:
                if done:
                    await anyio.to_thread.run_sync(self._mark, done)
            return len(done)

    # ------------------------------------------------------------------ read-your-writes
    def _expected(self, channel: str) -> set[str]:
        if channel.startswith("changes."):
            return set(self.cdc_out.get(channel.removeprefix("changes."), ())) - {self.service}
        return {t for t in self.channels[channel]["async"] if t != self.service}

    def _committed(self, message_ids: list[str]) -> dict[str, str]:
        with self.engine.connect() as connection:
            rows = connection.execute(outbox.select().where(outbox.c.message_id.in_(message_ids)))
            return {r.message_id: r.channel for r in rows}

    async def settle(self, message_ids: list[str], skip: frozenset[str] = frozenset()) -> None:
        """Publish what the request wrote and wait for its consumers (bounded), but those ``skip`` names."""
        if not message_ids or self.bus is None:
            return
        committed = await anyio.to_thread.run_sync(self._committed, message_ids)
        waits = []
        for message_id, channel in committed.items():
            expected = self._expected(channel) - skip - self._early_acks.pop(message_id, set())
            if expected:
                waiter = self._waiters.setdefault(message_id, (set(expected), asyncio.Event()))
                waits.append(waiter[1])
        try:
            await self.relay()
        except Exception:  # noqa: BLE001 - the relay loop will publish them later
            return
        if self.consistency_timeout > 0 and waits:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.consistency_timeout):
                    await asyncio.gather(*(w.wait() for w in waits))
        for message_id in committed:
            self._waiters.pop(message_id, None)

    async def _on_ack(self, body: dict[str, Any]) -> None:
        message_id = body.get("message_id", "")
        waiter = self._waiters.get(message_id)
        if waiter is not None:
            waiter[0].discard(body.get("consumer"))
            if not waiter[0]:
                waiter[1].set()
            return
        self._early_acks.setdefault(message_id, set()).add(body.get("consumer", ""))
        self._early_acks.move_to_end(message_id)
        while len(self._early_acks) > _EARLY_ACKS_KEPT:
            self._early_acks.popitem(last=False)

    # ------------------------------------------------------------------ consuming
    def _consumer(self, channel: str) -> Callable[[dict[str, Any]], Any]:
        async def consume(body: dict[str, Any]) -> None:
            try:
                outcome = await anyio.to_thread.run_sync(self.deliver, body)
                self._failures.pop(str(body.get("message_id")), None)
            except Exception:
                wait = self._held_back(body)
                if wait is not None:
                    await asyncio.sleep(wait)
                    raise  # not acknowledged: the broker delivers it again
                outcome = "dead-letter"
            self.metrics.events_consumed.labels(self.service, channel, outcome).inc()
            with contextlib.suppress(Exception):
                occurred = _parse_time(body.get("occurred_at"))
                if occurred is not None:
                    self.metrics.consumer_lag.labels(self.service, channel).set(max(0.0, (_now() - occurred).total_seconds()))
            if self.bus is not None:
                await self.bus.ack(body.get("origin", ""), {"message_id": body.get("message_id"), "consumer": self.service})
                if outcome == "ok":
                    self._wake.set()

        consume.__name__ = f"consume_{channel.replace('.', '_').replace('-', '_')}"
        return consume

    def _held_back(self, envelope: dict[str, Any]) -> float | None:
        """After a failure to apply ``envelope``: how long to hold it back before the broker has it
        again, or None where it is given up (``RetryPolicy``), logged with its body and error."""
        message_id = str(envelope.get("message_id"))
        failures, since = self._failures.get(message_id, (0, time.monotonic()))
        failures += 1
        if not self.retry.gives_up(failures, time.monotonic() - since):
            self._failures[message_id] = (failures, since)
            return self.retry.wait(failures)
        del self._failures[message_id]
        logger.error("giving up on %s %s after %d failed attempts over %.0f s; its body: %s", envelope.get("name"), message_id, failures,
                     time.monotonic() - since, json.dumps(envelope, default=str)[:2000], exc_info=True)
        return None

    def deliver(self, envelope: dict[str, Any]) -> str:
        """Apply one event or row change exactly once; ``ok`` or ``duplicate``; raises on failure."""
        message_id = str(envelope["message_id"])
        session = self.session_factory()
        try:
            try:
                session.execute(insert(inbox).values(message_id=message_id, channel=envelope["name"], processed_at=_now()))
                session.flush()
            except IntegrityError:
                session.rollback()
                return "duplicate"
            if envelope.get("kind") == "change":
                if envelope.get("table") in self.cdc_in.get(envelope.get("origin", ""), ()):
                    self._apply_change(session, envelope)
            else:
                token, applying = delivering.set(envelope["name"]), serving.set(True)
                try:
                    self.dispatcher.publish(envelope["name"], self.codec.decode(envelope["payload"]), session=session)
                finally:
                    serving.reset(applying)
                    delivering.reset(token)
            session.commit()
            return "ok"
        except BaseException:
            session.rollback()
            self.metrics.events_consumed.labels(self.service, envelope.get("name", "?"), "error").inc()
            raise
        finally:
            session.close()

    def _table(self, name: str) -> Table:
        if name not in self._tables:
            self._tables[name] = Table(name, MetaData(), autoload_with=self.engine)
        return self._tables[name]

    def _apply_change(self, session: Session, envelope: dict[str, Any]) -> None:
        """Keep the local read model of another service's table: update the row by its key, or insert it."""
        table = self._table(envelope["table"])
        row = {k: self.codec.decode(v) for k, v in envelope["row"].items() if k in table.c}
        key = and_(*[table.c[c.name] == row.get(c.name) for c in table.primary_key.columns])
        if envelope.get("op") == "delete":
            session.execute(delete(table).where(key))
        elif session.execute(update(table).where(key).values(**row)).rowcount == 0:
            session.execute(insert(table).values(**row))
            advance_sequences(session.connection(), table, row)


def _flushed_rows(session: Session, tables: set[str], *, changed_only: bool = False) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """``(op, table, row)`` for each object of ``tables`` a flush inserted, updated or deleted
    (called from ``after_flush``, when the session still lists them): parents before children,
    deletes after, children first. ``changed_only``: an update carries its key and the columns it
    changed (not the rest of a row a read model may hold older); otherwise the whole row."""
    from sqlalchemy import inspect

    for op, objects in (("insert", list(session.new)), ("update", list(session.dirty)), ("delete", list(session.deleted))):
        watched = [obj for obj in objects if getattr(getattr(obj, "__table__", None), "name", None) in tables]
        order = {t.name: i for i, t in enumerate(watched[0].__table__.metadata.sorted_tables)} if watched else {}
        watched.sort(key=lambda o: order.get(o.__table__.name, 0), reverse=op == "delete")
        dialect = session.get_bind().dialect if watched else None
        for obj in watched:
            table, state = obj.__table__, inspect(obj)
            props = [prop for prop in obj.__mapper__.column_attrs if any(col.table is table for col in prop.columns)]
            if changed_only and op == "update":
                keys = {col.name for col in table.primary_key.columns}
                props = [prop for prop in props if state.attrs[prop.key].history.has_changes() or {c.name for c in prop.columns} & keys]
                if all({c.name for c in prop.columns} <= keys for prop in props):
                    continue  # nothing of its own columns changed
            yield op, table.name, {col.name: stored_value(col, getattr(obj, prop.key), dialect)
                                   for prop in props for col in prop.columns if col.table is table}


def advance_sequences(connection: Any, table: Table, row: dict[str, Any]) -> None:
    """After a row came in with its own number: PostgreSQL's sequence of each numbered key column
    moved past it (``setval``), so that the next row this database numbers does not take it
    (SQLite numbers from the largest key anyway)."""
    if connection.dialect.name != "postgresql":
        return
    quoted = connection.dialect.identifier_preparer.format_table(table)
    for column in table.primary_key.columns:
        value = row.get(column.name)
        if not isinstance(value, int) or isinstance(value, bool):
            continue
        sequence = connection.execute(text("SELECT pg_get_serial_sequence(:table, :column)"),
                                      {"table": quoted, "column": column.name}).scalar()
        if sequence:
            connection.execute(text(f"SELECT setval(:sequence, GREATEST(:value, (SELECT last_value FROM {sequence})))"),
                               {"sequence": sequence, "value": value})


def _as_dict(row: Any) -> dict[str, Any]:
    return dict(getattr(row, "_mapping", row))  # SQLAlchemy 1.3's RowProxy is a mapping itself


def stored_value(column: Any, value: Any, dialect: Any) -> Any:
    """``value`` of a model's attribute as its column stores it, for a read model whose table knows
    none of the application's types: a ``TypeDecorator``'s own conversion, an ``Enum`` column's
    stored string (the member's name, or what ``values_callable`` gives), any other enum member's value."""
    import enum

    from sqlalchemy import Enum as EnumType
    from sqlalchemy.types import TypeDecorator

    kind = column.type
    if isinstance(kind, TypeDecorator) and dialect is not None:
        if type(kind).process_bind_param is not TypeDecorator.process_bind_param:  # SQLModel's AutoString converts nothing
            value = kind.process_bind_param(value, dialect)
        kind = getattr(kind, "impl_instance", None) or kind.impl
    if value is not None and isinstance(kind, EnumType) and dialect is not None:
        processor = kind.bind_processor(dialect)
        value = processor(value) if processor else value
    if isinstance(value, enum.Enum):
        value = value.value
    return value


def _parse_time(text: Any) -> Any:
    import datetime as dt

    return dt.datetime.fromisoformat(text) if isinstance(text, str) else None
