"""Databases the schema step made on the machine's PostgreSQL server, kept there as templates: the
next run's database cloned from one while the service's files and identity are the same; made
again when they changed, the template of the old files dropped then; the least used beyond the
cap dropped."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from migrator.verify.adapters.postgres import PostgresDatabases
from migrator.verify.adapters.prepared_postgres import PostgresSchemaTemplates, lineage_of

POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
PREFIX = "test_prepared_"
"""The tests' own templates: the cap they test never drops the machine's real ones."""


def _sql(statement: str) -> list[tuple]:
    with psycopg.connect(POSTGRES, autocommit=True) as connection:
        cursor = connection.execute(statement)
        return cursor.fetchall() if cursor.description else []


def _tables(url: str) -> list[str]:
    with psycopg.connect(url) as connection:
        return [name for (name,) in connection.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")]


def _templates(lineage: str) -> list[str]:
    return [name for (name,) in _sql(f"SELECT datname FROM pg_database WHERE datname LIKE '{PREFIX}{lineage}_%' ORDER BY 1")]


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Path]:
    (tmp_path / "svc" / "migrations").mkdir(parents=True)
    (tmp_path / "svc" / "migrations" / "0001.py").write_text("CREATE = 'orders'\n")
    yield tmp_path / "svc"
    for name in _templates(lineage_of([tmp_path / "svc"], "py")):
        _sql(f'DROP DATABASE "{name}" WITH (FORCE)')


def _run(service: Path, *, made: bool, deferred: bool = True) -> tuple[PostgresDatabases, str, bool]:
    """A run's database: cloned when a template is kept, else made (a table per migration) and kept."""
    databases = PostgresDatabases(POSTGRES)
    url = databases.create(["orders"], run_id=f"verify_{secrets.token_hex(4)}", folder=service, deferred=deferred)["orders"]
    templates = PostgresSchemaTemplates(POSTGRES, prefix=PREFIX)
    restored = templates.restore(url, sources=[service], identity="py")
    if not restored:
        databases.ensure([url])
    if made and not restored:
        with psycopg.connect(url, autocommit=True) as connection:
            for migration in sorted((service / "migrations").iterdir()):
                connection.execute(f"CREATE TABLE t_{migration.stem} (id integer)")
        templates.keep(url, sources=[service], identity="py")
    return databases, url, restored


def test_a_made_database_is_cloned_into_the_next_runs_while_nothing_that_made_it_changed(service: Path) -> None:
    lineage = lineage_of([service], "py")
    first, _, restored = _run(service, made=True)
    assert not restored and len(_templates(lineage)) == 1
    second, url, restored = _run(service, made=False)
    assert restored and _tables(url) == ["t_0001"]
    assert not PostgresSchemaTemplates(POSTGRES, prefix=PREFIX).restore(url, sources=[service], identity="another python")
    (service / "migrations" / "0002.py").write_text("ADD = 'total'\n")
    third, url, restored = _run(service, made=True)
    assert not restored and _tables(url) == ["t_0001", "t_0002"]
    [template] = _templates(lineage)  # the old files' template dropped
    fourth, url, restored = _run(service, made=False)
    assert restored and _tables(url) == ["t_0001", "t_0002"]
    fifth, url, restored = _run(service, made=False, deferred=False)  # an empty database there already: replaced
    assert restored and _tables(url) == ["t_0001", "t_0002"]
    for run in (first, second, third, fourth, fifth):
        assert run.drop() == []
    assert _templates(lineage) == [template]  # a run's end drops its own databases, never the templates


def test_templates_beyond_the_cap_are_dropped_least_recently_used_first(tmp_path: Path) -> None:
    folders = []
    for index in range(3):
        (tmp_path / str(index)).mkdir()
        (tmp_path / str(index) / "m.py").write_text(str(index))
        folders.append(tmp_path / str(index))
    runs = PostgresDatabases(POSTGRES)
    try:
        for folder in folders:
            url = runs.create([folder.name], run_id=f"verify_{secrets.token_hex(4)}", folder=tmp_path)[folder.name]
            PostgresSchemaTemplates(POSTGRES, kept=2, prefix=PREFIX).keep(url, sources=[folder], identity="py")
        assert [len(_templates(lineage_of([folder], "py"))) for folder in folders] == [0, 1, 1]
    finally:
        runs.drop()
        for folder in folders:
            for name in _templates(lineage_of([folder], "py")):
                _sql(f'DROP DATABASE "{name}" WITH (FORCE)')


def test_a_sqlite_url_is_left_to_the_sqlite_cache(service: Path) -> None:
    templates = PostgresSchemaTemplates(POSTGRES, prefix=PREFIX)
    templates.keep(f"sqlite:///{service}/orders.db", sources=[service], identity="py")
    assert not templates.restore(f"sqlite:///{service}/orders.db", sources=[service], identity="py")
    assert _templates(lineage_of([service], "py")) == []
