"""The variables of the monolith's suite in each of its runs: the application's own, as its service
has them, on the run's database, by its URL and, where the application builds its URL from parts,
by those parts too."""

from __future__ import annotations

from migrator.verify.adapters.own_suite_run import app_env
from migrator.verify.domain.system import RunnableService

SERVICE = RunnableService(
    "monolith", "monolith_service", "monolith", "monolith_service.main:app", 8000,
    {"DATABASE_URL": "sqlite:///./monolith.db", "APP_DB": "sqlite:///./monolith.db", "SECRET_KEY": "changethis", "SERVICE_NAME": "monolith",
     "PORT": "8000", "EVENT_BUS": "nats", "POSTGRES_DB": "app"},
    None, ())
PARTS = {"POSTGRES_SERVER": "host", "POSTGRES_PORT": "port", "POSTGRES_USER": "user", "POSTGRES_DB": "name"}


def test_the_suite_gets_its_databases_parts_where_the_application_builds_its_url_from_them() -> None:
    env = app_env(SERVICE, "postgresql://postgres@127.0.0.1:5432/verify_1_own_suite_monolith", PARTS)
    assert env == {"DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/verify_1_own_suite_monolith",
                   "APP_DB": "postgresql://postgres@127.0.0.1:5432/verify_1_own_suite_monolith", "SECRET_KEY": "changethis",
                   "POSTGRES_SERVER": "127.0.0.1", "POSTGRES_PORT": "5432", "POSTGRES_USER": "postgres", "POSTGRES_DB": "verify_1_own_suite_monolith"}


def test_without_parts_or_on_a_sqlite_file_only_the_url_variables_change() -> None:
    """The runtime's own variables (its name, port, bus) are not the application's."""
    for url, parts in (("sqlite:////runs/1/own-suite-monolith.sqlite3", PARTS), ("postgresql://postgres@127.0.0.1/verify_1_shared", {})):
        assert app_env(SERVICE, url, parts) == {"DATABASE_URL": url, "APP_DB": url, "SECRET_KEY": "changethis", "POSTGRES_DB": "app"}
