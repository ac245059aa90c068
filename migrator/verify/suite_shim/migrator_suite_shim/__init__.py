"""The shim ``migrator verify`` puts under a monolith's own test suite (see ``sitecustomize``).

Configured by the environment of the suite's process:

- ``MIGRATOR_SUITE_RESULTS``: the file each test's outcome is appended to (one JSON object a line);
- ``MIGRATOR_SUITE_SOURCE``: the monolith's folder (a failure's line is the deepest frame under it);
- ``MIGRATOR_SUITE_GATEWAY``: on the split run, the gateway every in-process client is sent to;
- ``MIGRATOR_SUITE_DATABASE_URL``: on the split run, the database the services share, which the
  suite's ORM writes to (Flask's ``SQLALCHEMY_DATABASE_URI``; Django's comes from the services'
  own settings module), with transactions that commit (Django's TestCase as TransactionTestCase).
"""

from __future__ import annotations

import os

from . import hooks, results


def install() -> None:
    """Record outcomes; on the split run, patch each client library when it is imported."""
    results.install()
    if not os.environ.get("MIGRATOR_SUITE_GATEWAY"):
        return
    from . import clients, databases

    for module, patch in [*clients.PATCHES, *databases.PATCHES]:
        hooks.when_imported(module, patch)
