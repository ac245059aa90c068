"""Database plumbing: declarative base, engine/session factory, FastAPI dependency.

One database, one ``Base.metadata`` for every domain.  That is what makes the
cross-domain foreign keys and transactions in this code base possible (and
what makes splitting it up hard).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Any

from fastapi import Request
from sqlalchemy import MetaData, create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: Modules that define ORM models; imported before ``create_all``.
MODEL_MODULES = (
    "sample_monolith.accounts.models",
    "sample_monolith.catalog.models",
    "sample_monolith.inventory.models",
    "sample_monolith.cart.models",
    "sample_monolith.orders.models",
    "sample_monolith.payments.models",
    "sample_monolith.shipping.models",
    "sample_monolith.notifications.models",
    "sample_monolith.reviews.models",
    "sample_monolith.reporting.models",
)


class Base(DeclarativeBase):
    """Declarative base shared by every domain."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def import_all_models() -> None:
    """Import every models module so that ``Base.metadata`` is complete."""
    for module in MODEL_MODULES:
        importlib.import_module(module)


def _enable_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


class Database:
    """Owns the engine and the session factory for one application instance."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        kwargs: dict[str, Any] = {"echo": echo, "pool_pre_ping": True}
        if url.startswith("sqlite"):
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        self.engine: Engine = create_engine(url, **kwargs)
        if url.startswith("sqlite"):
            event.listen(self.engine, "connect", _enable_sqlite_pragmas)
        self.session_factory = sessionmaker(bind=self.engine, expire_on_commit=False)

    def create_all(self) -> None:
        import_all_models()
        Base.metadata.create_all(self.engine)

    def session(self) -> Session:
        return self.session_factory()

    def ping(self) -> bool:
        with self.engine.connect() as connection:
            return connection.execute(text("SELECT 1")).scalar_one() == 1

    def dispose(self) -> None:
        self.engine.dispose()


def get_session(request: Request) -> Iterator[Session]:
    """FastAPI dependency: one session per request, closed afterwards.

    Services are responsible for committing; anything left uncommitted when
    the request ends is rolled back by ``Session.close``.
    """
    database: Database = request.app.state.db
    session = database.session()
    try:
        yield session
    finally:
        session.close()
