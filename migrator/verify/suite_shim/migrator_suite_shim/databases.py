"""The split run's suite writes to the database the services share, and what it writes commits.

- Flask: ``SQLALCHEMY_DATABASE_URI`` is the shared database whatever the test's configuration
  loads, by the services' own runtime (``frameworks._overriding``); the suite's other database
  variables are set to it by the caller.
- Django: the services' own settings module (``DATABASES`` from ``DATABASE_URL``), no test
  database created (the shared one is flushed once instead, as a fresh test database would be
  empty), and ``TestCase`` run as ``TransactionTestCase``: Django's own path for a database without
  transactions, where each test's data is committed (the services see it), ``setUpTestData`` runs
  before each test and the tables are flushed after it. Wrapping each test in a transaction the
  services never see, as ``TestCase`` does, would leave every row a test makes invisible to them."""

from __future__ import annotations

import importlib
import os
from types import ModuleType
from typing import Any


def _flask(module: ModuleType) -> None:
    frameworks = importlib.import_module(os.environ["MIGRATOR_SUITE_RUNTIME"] + ".frameworks")
    url = os.environ["MIGRATOR_SUITE_DATABASE_URL"]
    module.Flask.config_class = frameworks._overriding(module.Flask.config_class, {"SQLALCHEMY_DATABASE_URI": url})


def _committing_test_case(module: ModuleType) -> None:
    module.TestCase._databases_support_transactions = classmethod(lambda cls: False)


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
