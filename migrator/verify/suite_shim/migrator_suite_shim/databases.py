"""The split run's suite writes to the database the services share, and what it writes commits.

- Flask: ``SQLALCHEMY_DATABASE_URI`` is the shared database whatever the test's configuration
  loads, by the services' own runtime (``frameworks._overriding``); the suite's other database
  variables are set to it by the caller; its ``SECRET_KEY`` is the services' (``service_config``).
- Django: the services' own settings module (``DATABASES`` from ``DATABASE_URL``), no test
  database created (the shared one is flushed once instead, as a fresh test database would be
  empty), and ``TestCase`` run as ``TransactionTestCase``: Django's own path for a database without
  transactions, where each test's data is committed (the services see it), ``setUpTestData`` runs
  before each test and the tables are flushed after it. Wrapping each test in a transaction the
  services never see, as ``TestCase`` does, would leave every row a test makes invisible to them."""

from __future__ import annotations

import importlib
import os
import sys
from types import ModuleType
from typing import Any

from . import service_config


def _flask(module: ModuleType) -> None:
    frameworks = importlib.import_module(os.environ["MIGRATOR_SUITE_RUNTIME"] + ".frameworks")
    url = os.environ["MIGRATOR_SUITE_DATABASE_URL"]
    module.Flask.config_class = frameworks._overriding(module.Flask.config_class, {"SQLALCHEMY_DATABASE_URI": url})
    secret = service_config.services(wake=service_config.wake).get("secret_key")
    if isinstance(secret, str) and secret:
        module.Flask.config_class = service_config.taking_secret(module.Flask.config_class, secret)


def commit_sessions() -> None:
    """Every SQLAlchemy session of the suite's process committed (its open transaction ended, its
    objects expired), before and after each request a client sends: in process, the view shares
    the test's session (Flask-SQLAlchemy's, in the app context pytest-flask or the test pushed),
    sees what the test added without committing, and its commit makes the test read what it wrote;
    over HTTP the services see only committed rows, and the test would read the rows it loaded
    before the request (its session's identity map) instead of what the services wrote."""
    module = sys.modules.get("sqlalchemy.orm.session")
    if module is None:
        return
    for session in list(getattr(module, "_sessions", {}).values()):
        try:
            in_transaction = getattr(session, "in_transaction", None)  # SQLAlchemy 1.3 has none: its transaction is always open
            if in_transaction is None or in_transaction():
                session.commit()
            session.expire_all()
        except Exception:  # noqa: BLE001 - a session the test left failed is the test's own to find
            continue


def _committing_test_case(module: ModuleType) -> None:
    """``TestCase`` run as ``TransactionTestCase``, each test's numbering started again as the
    monolith's rolled-back transaction restores it on SQLite (a test asking for the first row's id
    1): ``reset_sequences`` itself is refused on a ``TestCase`` and set again by pytest-django's."""
    module.TestCase._databases_support_transactions = classmethod(lambda cls: False)
    setup = module.TestCase._fixture_setup

    def _fixture_setup(self: Any) -> Any:
        for alias in self._databases_names(include_mirrors=False):
            self._reset_sequences(alias)
        return setup(self)

    module.TestCase._fixture_setup = _fixture_setup


def flush_shared_databases() -> None:
    """Empty every table of the shared database, as a new test database would be (Django's
    ``flush``: its post-migrate data, content types and permissions, made again)."""
    from django.core.management import call_command
    from django.db import connections

    for alias in connections:
        call_command("flush", interactive=False, verbosity=0, database=alias)


def _runner_on_shared_database(module: ModuleType) -> None:
    def setup_databases(self: Any, **kwargs: Any) -> list[Any]:
        flush_shared_databases()
        return []

    def teardown_databases(self: Any, old_config: Any, **kwargs: Any) -> None:
        return None

    module.DiscoverRunner.setup_databases = setup_databases
    module.DiscoverRunner.teardown_databases = teardown_databases


PATCHES = [
    ("flask", _flask),
    ("django.test.testcases", _committing_test_case),
    ("django.test.runner", _runner_on_shared_database),
]
