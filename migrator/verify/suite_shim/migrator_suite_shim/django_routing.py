"""Django with a database per service (``routing``): one ``DATABASES`` alias per service of the run
(``default``: the home's, the database the services' settings module names), a router sending a
model's writes to its table's owner and its reads to a database holding its table (the owner's,
unless another holds more of the tables it joins), and every test case using every alias, so that
each test's data is flushed on every database after it, as it was on the one before.

A table the plan gives no owner (Django's own ``auth_user``, ``django_session``, a many-to-many
table made by Django) is in every database that holds the owned tables it points at (``routing``),
each service reading its own: what the suite writes there is written on the others too (by primary
key, before the application's own receivers run, which may write rows that point at it), so that
a user or a session a test makes in its process is known to every service, as on one shared
database. The suite's connections hold its rows to no foreign key (a row of one service's table
may point at another's that its database has no read model of: the service's reads show that gap,
named by ``split_gaps``)."""

from __future__ import annotations

import contextlib
import contextvars
import copy
import importlib
import os
from types import ModuleType
from typing import Any

from . import replication

DEFAULT = "default"


def alias(service: str) -> str:
    routes = replication._routes()
    return DEFAULT if service == routes.home else f"migrator-{service}"


def _service_of_alias(name: str | None) -> str | None:
    routes = replication._routes()
    return next((service for service in routes.databases if alias(service) == name), None)


def _table(model: Any) -> str:
    return str(model._meta.db_table)


def _joined(model: Any) -> list[str]:
    """The tables a query of ``model`` may join: those of its forward relations and their tables."""
    if model in _JOINED:
        return _JOINED[model]
    tables: list[str] = []
    for field in model._meta.get_fields():
        if getattr(field, "concrete", False) and field.is_relation and field.related_model is not None:
            tables.append(_table(field.related_model))
            through = getattr(getattr(field, "remote_field", None), "through", None)
            if field.many_to_many and through is not None:
                tables.append(_table(through))
    _JOINED[model] = tables
    return tables


_JOINED: dict[Any, list[str]] = {}


def _references(model: Any) -> tuple[str, ...]:
    """The tables ``model``'s foreign keys point at."""
    return tuple(sorted({_table(f.related_model) for f in model._meta.concrete_fields if f.is_relation and f.related_model is not None}))


class Router:
    """Django's database router for the suite's process."""

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return alias(replication._routes().write(_table(model), _references(model)))

    def db_for_read(self, model: Any, **hints: Any) -> str:
        """A database holding ``model``'s table: that of the instance the query starts from where it
        holds it (a related manager's: ``review.co_authors`` reads the many-to-many rows beside the
        review), else the one ``routing`` chooses."""
        routes = replication._routes()
        table = _table(model)
        instance = hints.get("instance")
        started = _service_of_alias(getattr(getattr(instance, "_state", None), "db", None))
        if started is not None and routes.holds(started, table, _references(model)):
            if routes.owners.get(table, started) != started:  # its read model: what the suite committed applied first
                replication.settle()
            return alias(started)
        reading = routes.read([table], prefer=_joined(model), references={table: _references(model)})
        if not reading.current:
            replication.settle()
        return alias(reading.service)

    def allow_relation(self, first: Any, second: Any, **hints: Any) -> bool:
        return True

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        """Whether Django itself handles a model's table on ``db``: while it loads a test's fixtures
        (on each alias), only where its rows are written and copied (``_mirrors``); otherwise every
        table of every database (a flush empties them all, as the one database's before)."""
        model = hints.get("model")
        if model is None or not _LOADING.get():
            return True
        routes = replication._routes()
        table, pointing = _table(model), _references(model)
        return db in {alias(s) for s in (routes.write(table, pointing), *routes.mirrors(table, pointing))}


_LOADING: contextvars.ContextVar[bool] = contextvars.ContextVar("migrator_suite_loading", default=False)


def _loaddata(module: ModuleType) -> None:
    original = module.Command.handle

    def handle(self: Any, *args: Any, **options: Any) -> Any:
        token = _LOADING.set(True)
        try:
            return original(self, *args, **options)
        finally:
            _LOADING.reset(token)

    module.Command.handle = handle


def _databases(module: ModuleType) -> None:
    """The settings of the services' runtime, with an alias per service and the router."""
    original = module.Settings.__init__
    frameworks = importlib.import_module(os.environ["MIGRATOR_SUITE_RUNTIME"] + ".frameworks")

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        routes = replication._routes()
        default = dict(getattr(self, "DATABASES", {}).get(DEFAULT) or frameworks.django_database(routes.databases[routes.home]))
        kept = {k: v for k, v in default.items() if k not in ("ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT")}
        databases = {DEFAULT: default}
        for service, url in sorted(routes.databases.items()):
            if service != routes.home:
                databases[alias(service)] = {**kept, **frameworks.django_database(url)}
        self.DATABASES = databases
        self.DATABASE_ROUTERS = [Router()]

    module.Settings.__init__ = __init__


def _every_database(module: ModuleType) -> None:
    """A test case that uses the database uses every alias: its data is flushed on each after it."""
    from django.db import connections

    def validate(cls: Any) -> Any:
        return frozenset(connections) if cls.databases else frozenset()

    module.TransactionTestCase._validate_databases = classmethod(validate)


# ---------------------------------------------------------------- the tables nobody owns


def _mirrors(model: Any, using: str | None) -> list[str]:
    """Where a row of a table nobody owns, written on ``using``, is copied to."""
    routes = replication._routes()
    table, pointing = _table(model), _references(model)
    if routes.owned(table) or using != alias(routes.write(table, pointing)):
        return []
    return [alias(service) for service in routes.mirrors(table, pointing)]


def _copy_rows(model: Any, rows: list[Any], mirrors: list[str]) -> None:
    """``rows`` of ``model`` written on each of ``mirrors`` as they are: updated by primary key, or inserted."""
    from django.db.models.base import ModelState

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    for row in rows:
        values = {f.attname: getattr(row, f.attname) for f in fields}
        for other in mirrors:
            with contextlib.suppress(Exception):  # a row pointing at one this database lacks: not there, as on the service
                manager = model._base_manager.using(other)
                if not manager.filter(pk=row.pk).update(**values):
                    clone = copy.copy(row)
                    clone._state = ModelState()
                    manager.bulk_create([clone])


def _saved(sender: Any, instance: Any, raw: bool = False, using: str | None = None, **_: Any) -> None:
    mirrors = [] if raw else _mirrors(sender, using)
    if mirrors:
        _copy_rows(sender, [instance], mirrors)


def _deleted(sender: Any, instance: Any, using: str | None = None, **_: Any) -> None:
    for other in _mirrors(sender, using):
        with contextlib.suppress(Exception):
            sender._base_manager.using(other).filter(pk=instance.pk)._raw_delete(other)


def _related(through: Any, instance: Any, model: Any) -> list[tuple[str, str]]:
    """The pairs of ``through``'s foreign keys (to ``instance``'s model, to ``model``)."""
    keys = [f for f in through._meta.concrete_fields if f.is_relation and f.related_model is not None]
    return [(a.attname, b.attname) for a in keys for b in keys
            if a is not b and isinstance(instance, a.related_model) and issubclass(model, b.related_model)]


def _m2m_changed(sender: Any, instance: Any, action: str, model: Any, pk_set: Any, using: str | None = None, **_: Any) -> None:
    """Rows of a many-to-many table nobody owns, added or removed by the suite, on every database."""
    mirrors = _mirrors(sender, using)
    if not mirrors or action not in ("post_add", "post_remove", "post_clear"):
        return
    for mine, theirs in _related(sender, instance, model):
        match = {mine: instance.pk, **({f"{theirs}__in": list(pk_set)} if pk_set is not None else {})}
        if action == "post_add":
            _copy_rows(sender, list(sender._base_manager.using(using).filter(**match)), mirrors)
            continue
        for other in mirrors:
            with contextlib.suppress(Exception):
                sender._base_manager.using(other).filter(**match)._raw_delete(other)


def _first(signal: Any, receiver: Any, uid: str) -> None:
    """``receiver`` connected ahead of those connected before it (the application's)."""
    signal.connect(receiver, weak=False, dispatch_uid=uid)
    with signal.lock:
        mine = [r for r in signal.receivers if r[0][0] == uid]
        signal.receivers = mine + [r for r in signal.receivers if r[0][0] != uid]
        signal.sender_receivers_cache.clear()


def _unchecked(sender: Any, connection: Any, **_: Any) -> None:
    """A connection of the suite's that holds its rows to no foreign key: a row of a service's table
    points at rows of another's that its database may not have (no read model of them); the
    service's own reads show the gap, which its requests name (``split_gaps``), where a fixture
    refused here would end the test before any request."""
    with contextlib.suppress(Exception):
        if connection.vendor == "sqlite":
            connection.connection.execute("PRAGMA foreign_keys = OFF")
        elif connection.vendor == "postgresql":
            with connection.connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = replica")
    connection.enable_constraint_checking = lambda: None
    connection.check_constraints = lambda *args, **kwargs: None


def after_setup() -> None:
    """Once Django is set up: the suite's writes of a table nobody owns on every database, its
    connections held to no foreign key."""
    from django.db.backends.signals import connection_created
    from django.db.models.signals import m2m_changed, post_delete, post_save

    _first(post_save, _saved, "migrator-mirror-save")
    _first(post_delete, _deleted, "migrator-mirror-delete")
    _first(m2m_changed, _m2m_changed, "migrator-mirror-m2m")
    connection_created.connect(_unchecked, weak=False, dispatch_uid="migrator-unchecked")


def _immediate(module: ModuleType) -> None:
    """The suite's transactions on a SQLite database take its write lock when they begin (``BEGIN
    IMMEDIATE``): the services apply row changes to the same files meanwhile (a read model of Django's
    ``auth_user`` in each), and a transaction that read first then wrote while a service's was
    committing was refused at once (``database is locked``: a many-to-many ``add`` reads, then inserts)."""
    def start(self: Any) -> None:
        self.cursor().execute("BEGIN IMMEDIATE")

    module.DatabaseWrapper._start_transaction_under_autocommit = start


PATCHES = [("django.conf", _databases), ("django.test.testcases", _every_database), ("django.core.management.commands.loaddata", _loaddata),
           ("django.db.backends.sqlite3.base", _immediate)]
