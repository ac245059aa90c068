"""The shim ``migrator verify`` puts under a monolith's own test suite and under the services it
runs (see ``sitecustomize``).

Configured by the environment of the suite's process:

- ``MIGRATOR_SUITE_RESULTS``: the file each test's outcome is appended to (one JSON object a line);
- ``MIGRATOR_SUITE_SOURCE``: the monolith's folder (a failure's line is the deepest frame under it);
- ``MIGRATOR_SUITE_GATEWAY``: on the split run, the gateway every in-process client is sent to;
- ``MIGRATOR_SUITE_DATABASE_URL``: on the split run, the database the services share, which the
  suite's ORM writes to (Flask's ``SQLALCHEMY_DATABASE_URI``; Django's comes from the services'
  own settings module), with transactions that commit (Django's TestCase as TransactionTestCase);
- ``MIGRATOR_SUITE_PLACEMENT``: with a database per service, which database holds which tables,
  and the manifests of the services owning them (``routing``, ``replication``, ``django_routing``);
  ``MIGRATOR_SUITE_DATABASE_URL`` is then the database of the service the suite runs as;
- ``MIGRATOR_MAIL_DIR``: where the services keep the mail they send (``mail``): in a service's
  process (no ``MIGRATOR_SUITE_RESULTS``) its mail goes there, never out; on the split run the
  suite's outbox reads it back.
"""

from __future__ import annotations

import os

from . import hooks, mail, replication, results, service_config, split_gaps


def install() -> None:
    """Record outcomes; on the split run, patch each client library when it is imported."""
    results.install()
    if not os.environ.get("MIGRATOR_SUITE_GATEWAY"):
        return
    from . import clients, databases

    patches = [*clients.PATCHES, *databases.PATCHES]
    if os.environ.get(mail.VARIABLE):  # the services' mail is read back: the outbox is no longer the test's process alone
        patches = [(module, patch) for module, patch in patches if module != "django.core.mail"] + mail.READERS
    if replication.enabled():  # a database per service: each write on its owner's, reaching the read models through its events
        from . import django_routing, sqlalchemy_routing

        patches += [*sqlalchemy_routing.PATCHES, *replication.PATCHES, *django_routing.PATCHES]
        split_gaps.skip_earlier()
    for module, patch in patches:
        hooks.when_imported(module, patch)


def keep_mail() -> None:
    """In a service: the mail it sends kept in ``MIGRATOR_MAIL_DIR``, never sent; the Flask
    configuration it reads written beside it (``service_config``), and what it does to tables its
    database does not hold (``split_gaps``)."""
    for module, patch in [*mail.CAPTURES, *service_config.CAPTURES, *split_gaps.CAPTURES]:
        hooks.when_imported(module, patch)
