"""A fresh database per service for one verification run: SQLite files in the run's folder, or
databases created on a PostgreSQL server (and dropped again unless asked to keep them)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from migrator.errors import MigratorError

_MAX_IDENTIFIER = 63  # PostgreSQL's NAMEDATALEN - 1


def database_name(run_id: str, service: str) -> str:
    """``<run>_<service>``, lower-case letters, digits and ``_`` only, at most 63 characters."""
    name = re.sub(r"[^a-z0-9_]", "_", f"{run_id}_{service}".lower())
    return name[:_MAX_IDENTIFIER]


def sqlite_urls(folder: Path, services: Iterable[str]) -> dict[str, str]:
    """A SQLite file per service under ``folder`` (an absolute path: ``sqlite:////...``)."""
    folder.mkdir(parents=True, exist_ok=True)
    return {name: f"sqlite:///{folder.resolve() / (re.sub(r'[^A-Za-z0-9_.-]', '_', name) + '.db')}" for name in services}


def is_postgres_url(url: str) -> bool:
    return urlsplit(url).scheme.split("+")[0] in ("postgresql", "postgres")


def with_database(url: str, database: str) -> str:
    """``url`` naming ``database`` instead of the one it names (the driver part is kept)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, parts.fragment))


def redacted(url: str) -> str:
    """``url`` without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def create_postgres_databases(server_url: str, names: Mapping[str, str]) -> dict[str, str]:
    """Create ``names`` ({service: database}) on the server; their URLs by service."""
    created: list[str] = []
    try:
        for database in names.values():
            _execute(server_url, f'CREATE DATABASE "{database}"')
            created.append(database)
    except BaseException:
        drop_postgres_databases(server_url, created)
        raise
    return {service: with_database(server_url, database) for service, database in names.items()}


def drop_postgres_databases(server_url: str, databases: Iterable[str]) -> list[str]:
    """Drop ``databases``; the problems, one line each (dropping is cleanup: it never raises)."""
    problems = []
    for database in databases:
        try:
            _execute(server_url, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        except MigratorError as error:
            problems.append(error.message)
    return problems


def _execute(server_url: str, statement: str) -> None:
    """Run one statement outside a transaction, with whichever client is at hand."""
    parts = urlsplit(server_url)
    dsn = urlunsplit(("postgresql", parts.netloc, parts.path, parts.query, ""))  # libpq's form, no driver
    try:
        import psycopg
    except ImportError:
        psycopg = None
    if psycopg is not None:
        try:
            with psycopg.connect(dsn, autocommit=True, connect_timeout=5) as connection:
                connection.execute(statement)
        except psycopg.Error as error:
            raise _failed(server_url, statement, str(error)) from error
        return
    psql = shutil.which("psql")
    if psql is None:
        raise MigratorError(
            f"no PostgreSQL client to create the databases on {redacted(server_url)}",
            hint="pip install 'psycopg[binary]' into migrator's environment, or install psql",
        )
    completed = subprocess.run(
        [psql, dsn, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", statement],
        capture_output=True, text=True, check=False, env={**os.environ, "PGCONNECT_TIMEOUT": "5"},
    )
    if completed.returncode != 0:
        raise _failed(server_url, statement, completed.stderr)


def _failed(server_url: str, statement: str, detail: str) -> MigratorError:
    reason = next((line.strip() for line in detail.splitlines() if line.strip()), "unknown error")
    return MigratorError(
        f"PostgreSQL at {redacted(server_url)} refused {statement}: {reason}",
        hint="check --database-url: the server must answer and the user may create databases (CREATEDB)",
    )
