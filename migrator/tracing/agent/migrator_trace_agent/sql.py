"""The SQL each use case ran, by the project function that ran it, with the tables it touches, and
the transactions: SQLAlchemy's engine events (any version from 1.3) and the execute wrappers of
Django's connections (from Django 2.0), each transaction with the tables written and read in it."""

from __future__ import annotations

import re
import sys
from types import ModuleType
from typing import Any, Dict, List, Optional

from migrator_suite_shim.hooks import when_imported

from .recorder import Recorder

STATE: Any = None
_LITERAL = re.compile(r"'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b")
_SPACES = re.compile(r"\s+")
_PARAMETERS = re.compile(r"\((?:\s*(?:\?|%s|:\w+|%\(\w+\)s)\s*,?)+\)")
_NAME = r"[`\"\[]?([A-Za-z_][\w$]*)[`\"\]]?(?:\s*\.\s*[`\"\[]?([A-Za-z_][\w$]*)[`\"\]]?)?"
_READ = re.compile(r"\b(?:FROM|JOIN)\s+" + _NAME, re.IGNORECASE)
_WRITE = re.compile(r"^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM|MERGE\s+INTO|TRUNCATE(?:\s+TABLE)?)\s+"
                    + _NAME, re.IGNORECASE)
_SKIP_TABLES = frozenset({"select", "lateral", "unnest", "values", "dual", "generate_series", "sqlite_master", "information_schema",
                          "pg_catalog", "pg_class", "pg_namespace", "sqlite_temp_master"})
MAX_STATEMENT = 240


def describe(statement: str) -> Dict[str, Any]:
    """The operation of a SQL ``statement`` and the tables it reads and writes (a write's target is
    written; every FROM and JOIN is read)."""
    text = _SPACES.sub(" ", statement).strip()
    operation = text.split(" ", 1)[0].lower() if text else ""
    written: List[str] = []
    match = _WRITE.match(text)
    if match:
        written.append((match.group(2) or match.group(1)).lower())
    read = sorted({(m.group(2) or m.group(1)).lower() for m in _READ.finditer(text)} - _SKIP_TABLES - set(written))
    return {"operation": operation, "reads": read, "writes": [t for t in written if t not in _SKIP_TABLES]}


def shape(statement: str) -> str:
    """The statement with its literals and parameter lists folded: one entry per query shape."""
    text = _SPACES.sub(" ", _LITERAL.sub("?", statement)).strip()
    return _PARAMETERS.sub("(?)", text)[:MAX_STATEMENT]


def install(state: Recorder) -> None:
    global STATE
    STATE = state
    when_imported("sqlalchemy", _hook_sqlalchemy)
    when_imported("django.db.backends.base.base", _hook_django)
    when_imported("django.db.transaction", _hook_django_atomic)


class _Transaction:
    """One open transaction: the project function running when it began, the one running at its
    first write (an ORM session begins at its first statement, often a read in an authentication
    dependency, while the work that writes is another function's), and what it touched."""

    __slots__ = ("opener", "writer", "reads", "writes", "statements")

    def __init__(self, opener: Optional[str]) -> None:
        self.opener = opener
        self.writer: Optional[str] = None
        self.reads: set = set()
        self.writes: set = set()
        self.statements = 0


_OPEN: Dict[Any, List[_Transaction]] = {}
"""Per connection, the transactions open on it, outermost first."""


def guarded(function: Any) -> Any:
    """The agent never fails the program it traces: a hook that breaks counts nothing."""
    def call(*args: Any) -> None:
        try:
            function(*args)
        except Exception:  # noqa: BLE001
            pass
    return call


@guarded
def executed(connection: Any, statement: str) -> None:
    """``statement`` run on ``connection``: counted for the nearest project function, and added to
    every transaction open on that connection."""
    state = STATE
    if state is None or not isinstance(statement, str):
        return
    key = shape(statement)
    facts = state.statements.get(key)
    if facts is None:
        facts = state.statements[key] = describe(statement)
    function = state.caller(sys._getframe(2))
    state.count(state.sql, function, key)
    for transaction in _OPEN.get(connection, ()):
        transaction.reads.update(facts["reads"])
        if facts["writes"] and transaction.writer is None:
            transaction.writer = function
        transaction.writes.update(facts["writes"])
        transaction.statements += 1


@guarded
def begin(connection: Any) -> None:
    _OPEN.setdefault(connection, []).append(_Transaction(STATE.caller(sys._getframe(2))))


@guarded
def end(connection: Any, outcome: str) -> None:
    stack = _OPEN.get(connection)
    if not stack:
        return
    transaction = stack.pop()
    if not stack:
        _OPEN.pop(connection, None)
    if transaction.statements:
        STATE.count(STATE.transactions, transaction.writer or transaction.opener, tuple(sorted(transaction.writes)), tuple(sorted(transaction.reads - transaction.writes)),
                    outcome)


def _hook_sqlalchemy(module: ModuleType) -> None:
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    def key(conn: Any) -> int:
        """The DB-API connection under a Connection: SQLAlchemy 1.3's ``execution_options``
        copies the Connection (the ORM's flush runs on such a copy), never what is under it.
        Read as plain attributes: the ``connection`` property may reconnect."""
        for name in ("_dbapi_connection", "_Connection__connection"):
            found = getattr(conn, name, None)
            if found is not None:
                return id(found)
        return id(conn)

    event.listen(Engine, "before_cursor_execute", lambda conn, cursor, statement, *rest: executed(key(conn), statement))
    event.listen(Engine, "begin", lambda conn: begin(key(conn)))
    event.listen(Engine, "commit", lambda conn: end(key(conn), "commit"))
    event.listen(Engine, "rollback", lambda conn: end(key(conn), "rollback"))


def _hook_django(module: ModuleType) -> None:
    wrapper_base = module.BaseDatabaseWrapper
    connect = wrapper_base.connect

    def wrapped(execute: Any, sql: Any, params: Any, many: Any, context: Any) -> Any:
        executed(id(context.get("connection")), sql)
        return execute(sql, params, many, context)

    def connect_and_wrap(self: Any) -> None:
        connect(self)
        wrappers = getattr(self, "execute_wrappers", None)
        if wrappers is not None and wrapped not in wrappers:
            wrappers.append(wrapped)

    wrapper_base.connect = connect_and_wrap


def _hook_django_atomic(module: ModuleType) -> None:
    atomic = module.Atomic
    enter, leave = atomic.__enter__, atomic.__exit__

    def atomic_enter(self: Any) -> None:
        enter(self)
        from django.db import connections

        begin(id(connections[self.using or "default"]))

    def atomic_exit(self: Any, kind: Any, value: Any, traceback: Any) -> Any:
        from django.db import connections

        end(id(connections[self.using or "default"]), "rollback" if kind is not None else "commit")
        return leave(self, kind, value, traceback)

    atomic.__enter__ = atomic_enter
    atomic.__exit__ = atomic_exit
