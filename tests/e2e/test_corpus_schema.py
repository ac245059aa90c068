"""Each service's own database, on real applications nobody here wrote: ``python -m <package>.prepare``
of every service of flasky (Flask-Migrate's upgrade, on SQLite: its SQLAlchemy 1.3 has no driver
for the psycopg the runtime installs) and of parsifal (Django's migrate, on PostgreSQL), run in the
system's own environment as verify runs it, leaves the tables the service owns and keeps read
models of, the event runtime's outbox and inbox, and the tables no service owns (the framework's);
of the other services' tables only those the service reaches from its own stay, empty, each said
(SQLite keeps what a foreign key names, Django's ORM what ``select_related`` joins)."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from migrator.verify.adapters.environments import UvEnvironments, environments_cache, find_uv
from migrator.verify.adapters.system_file import load_system
from migrator.model.service_plan import MONOLITH
from migrator.verify.domain.system import RunnableService, SystemDescription, run_tools
from tests.cli import invoke
from tests.corpus import FLASKY_CONFIG, PARSIFAL_CONFIG, configured_copy
from tests.postgres import fresh_database

RUNTIME_TABLES = {"migrator_outbox", "migrator_inbox"}
KEPT = re.compile(r"^schema: other services' tables dropped: (.*); kept empty, reached from this service's: (.*)$", re.MULTILINE)


def _names(said: str) -> set[str]:
    return set() if said == "none" else set(said.split(", "))


@pytest.mark.parametrize(("app", "config", "database"), [("flasky", FLASKY_CONFIG, "sqlite"), ("parsifal", PARSIFAL_CONFIG, "postgresql")])
def test_each_services_database_holds_its_own_tables_and_its_read_models(tmp_path: Path, app: str, config: str, database: str) -> None:
    out = tmp_path / "out"
    migrated = invoke("migrate", str(configured_copy(app, tmp_path, config)), "-o", str(out), "--database", "per-service", "--quiet")
    assert migrated.exit_code == 0, migrated.output + migrated.stderr
    system = load_system(out / "system")
    python = UvEnvironments(environments_cache(), uv=find_uv()).ensure(system.requirements(), tools=run_tools(system.event_bus, system.own_suite),
                                                                     constraints=system.lock())  # verify's own, reused
    planned = {table for spec in system.plan.services for table in spec.tables}
    specs = {spec.name: spec for spec in system.plan.services}
    dropped_somewhere = False
    for service in system.services:
        if service.name == MONOLITH:  # it serves every path the services do not: its database keeps every table
            continue
        spec = specs.get(service.title) or specs[service.name]
        held = set(spec.tables) | set(spec.replicas)
        sqlite = contextlib.nullcontext(f"sqlite:///{tmp_path / f'{service.name}.db'}")
        with fresh_database(f"schema_{app}_{service.name}") if database == "postgresql" else sqlite as url:
            dropped, kept = _prepared(system, service, python.python, url)
            _assert_held(service.name, url, planned, held, dropped, kept)
        dropped_somewhere = dropped_somewhere or bool(planned - held - kept)
    assert dropped_somewhere  # the split is real: some service's database lacks tables other services own


def _prepared(system: SystemDescription, service: RunnableService, python: Path, url: str) -> tuple[set[str], set[str]]:
    """``python -m <package>.prepare`` of ``service`` on the database at ``url``: the tables it dropped, and those it kept for its own's sake."""
    env = {**os.environ, **service.env, "DATABASE_URL": url, **{variable: url for variable in system.plan.database_variables},
           "PYTHONPATH": os.pathsep.join(str(path) for path in (system.service_dir(service), system.root / str(system.shared)))}
    done = subprocess.run([str(python), "-m", f"{service.package}.prepare"], cwd=system.service_dir(service), env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    said = KEPT.search(done.stderr)
    assert said, done.stderr[-3000:]
    return _names(said.group(1)), _names(said.group(2))


def _assert_held(service: str, url: str, planned: set[str], held: set[str], dropped: set[str], kept: set[str]) -> None:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        schema = inspect(engine)
        present = set(schema.get_table_names())
        assert present & planned == held | kept, (service, present & planned, held, kept)
        assert RUNTIME_TABLES <= present
        assert not present & dropped and planned - held - kept <= dropped
        # a table kept for another service's sake is joined by foreign keys to those the service keeps, and is empty
        keys = {(table, key["referred_table"]) for table in present for key in schema.get_foreign_keys(table)}
        assert _joined(present - kept, kept, keys) == kept, (service, kept)
        with engine.connect() as connection:
            assert all(connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar() == 0 for table in kept)
    finally:
        engine.dispose()


def _joined(tables: set[str], others: set[str], keys: set[tuple[str, str]]) -> set[str]:
    """Those of ``others`` that foreign keys (either way) join to ``tables``, directly or through others."""
    reached: set[str] = set()
    grown = True
    while grown:
        found = {other for other in others - reached for table in tables | reached if (table, other) in keys or (other, table) in keys}
        grown, reached = bool(found), reached | found
    return reached
