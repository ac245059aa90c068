"""One statement run on a PostgreSQL server, with whichever client is at hand (psycopg, else psql)."""

from __future__ import annotations

import os
import shutil
import subprocess
from urllib.parse import urlsplit, urlunsplit

from migrator.errors import MigratorError
from migrator.verify.domain.urls import redacted

_SEPARATOR = "\x1f"  # psql's field separator: a character no name or comment of ours holds


def execute(server_url: str, statement: str) -> None:
    """Run ``statement`` outside a transaction; a MigratorError that says what to check when refused."""
    query(server_url, statement)


def query(server_url: str, statement: str) -> list[tuple[str, ...]]:
    """Run ``statement`` outside a transaction; the rows it returns, every value as text (NULL as
    ``""``); a MigratorError that says what to check when refused."""
    parts = urlsplit(server_url)
    dsn = urlunsplit(("postgresql", parts.netloc, parts.path, parts.query, ""))  # libpq's form, no driver
    try:
        import psycopg
    except ImportError:
        psycopg = None
    if psycopg is not None:
        try:
            with psycopg.connect(dsn, autocommit=True, connect_timeout=5) as connection:
                cursor = connection.execute(statement)
                found = cursor.fetchall() if cursor.description else []
        except psycopg.Error as error:
            raise _failed(server_url, statement, str(error)) from error
        return [tuple("" if value is None else str(value) for value in row) for row in found]
    psql = shutil.which("psql")
    if psql is None:
        raise MigratorError(
            f"no PostgreSQL client to create the databases on {redacted(server_url)}",
            hint="pip install 'psycopg[binary]' into migrator's environment, or install psql",
        )
    completed = subprocess.run(
        [psql, dsn, "-X", "-q", "-A", "-t", "-F", _SEPARATOR, "-v", "ON_ERROR_STOP=1", "-c", statement],
        capture_output=True, text=True, check=False, env={**os.environ, "PGCONNECT_TIMEOUT": "5"},
    )
    if completed.returncode != 0:
        raise _failed(server_url, statement, completed.stderr)
    return [tuple(line.split(_SEPARATOR)) for line in completed.stdout.splitlines() if line]


def _failed(server_url: str, statement: str, detail: str) -> MigratorError:
    reason = next((line.strip() for line in detail.splitlines() if line.strip()), "unknown error")
    return MigratorError(
        f"PostgreSQL at {redacted(server_url)} refused {statement}: {reason}",
        hint="check --database-url: the server must answer and the user may create databases (CREATEDB)",
    )
