"""A fresh database of the machine's PostgreSQL (127.0.0.1:5432, trust auth, user postgres) for one
test, dropped after it."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator

from sqlalchemy import create_engine, text

SERVER = "postgresql://postgres@127.0.0.1:5432"


@contextlib.contextmanager
def fresh_database(prefix: str) -> Iterator[str]:
    """The URL (``postgresql://``, no driver named) of a new empty database, dropped with whatever still uses it afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}".replace("-", "_").lower()
    server = create_engine(SERVER.replace("postgresql://", "postgresql+psycopg://") + "/postgres", isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{SERVER}/{name}"
    finally:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()
