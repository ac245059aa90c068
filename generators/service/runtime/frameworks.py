"""The monolith's WSGI application, loaded the way its framework expects, with what the runtime
asks of it: its database schema made (the application's own tooling), its database pinged, a
context to call its functions in.

- Flask: the application object or factory the project names (``wsgi.py``, ``FLASK_APP``...);
  the schema by Flask-Migrate's ``upgrade`` when the project has its migrations (its one history
  holds every table), else Flask-SQLAlchemy's ``create_all`` of the service's tables; functions
  run inside ``app.app_context()``.
- Django: the service's settings module (``<package>/django_settings.py``, which derives from the
  project's), ``django.setup()``, Django's WSGI handler; the schema by ``migrate`` of every app
  (see ``Django.prepare_schema``).

A service's database gets the tables it owns and those it keeps a read model of (``SchemaScope``),
besides the tables no service owns (the framework's, a library's) and the event runtime's: the
application's tooling makes its whole schema (one migration history holds every table), then the
others are dropped (``drop_unheld``). In a database every service shares, and in the monolith's
service, every table stays.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .web import engine_url, load

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SchemaScope:
    """Which of the application's tables a database gets: ``held`` (None: all of them) among the
    ``planned`` ones, those the plan gives an owner; a table the plan does not know (a framework's,
    a library's) is always there."""

    held: frozenset[str] | None = None
    planned: frozenset[str] = frozenset()

    def table(self, name: str) -> bool:
        return self.held is None or name not in self.planned or name in self.held


def drop_unheld(scope: SchemaScope, tables: Iterable[str], references: Callable[[str], Iterable[str]], drop: Callable[[str], None]) -> None:
    """Drop the ``tables`` of the database that ``scope`` leaves out, and say which. A table a
    kept one reaches (``references``: through the foreign keys a database cannot drop with the
    table they reference, SQLite's, and the joins an ORM makes in one query, Django's) stays,
    empty; in PostgreSQL, ``CASCADE`` drops the foreign keys with the table."""
    present = set(tables)
    kept = [name for name in present if scope.table(name)]
    reached = set(kept)
    while kept:
        for other in references(kept.pop()):
            if other in present and other not in reached:
                reached.add(other)
                kept.append(other)
    dropped = sorted(present - reached)
    for name in dropped:
        drop(name)
    # said on stderr, not logged: a project's logging configuration (Alembic's fileConfig) silences other loggers
    joined = sorted(name for name in reached if not scope.table(name))
    print(f"schema: other services' tables dropped: {', '.join(dropped) or 'none'}; "
          f"kept empty, reached from this service's: {', '.join(joined) or 'none'}", file=sys.stderr)


def drop_unheld_sqlalchemy(engine: Any, scope: SchemaScope) -> None:
    """``drop_unheld`` on a SQLAlchemy engine (Flask-SQLAlchemy's, or one on the service's database after Alembic)."""
    if scope.held is None:
        return
    from sqlalchemy import inspect, text

    cascade = engine.dialect.name == "postgresql"
    with engine.begin() as connection:
        inspector = inspect(connection)
        quote = engine.dialect.identifier_preparer.quote

        def references(name: str) -> list[str]:
            return [] if cascade else [key["referred_table"] for key in inspector.get_foreign_keys(name)]

        def drop(name: str) -> None:
            connection.execute(text(f"DROP TABLE IF EXISTS {quote(name)}{' CASCADE' if cascade else ''}"))

        drop_unheld(scope, inspector.get_table_names(), references, drop)


class Framework:
    """What the runtime needs of an application; ``wsgi`` is the application itself."""

    wsgi: Any

    def prepare_schema(self, scope: SchemaScope = SchemaScope()) -> None:
        """Create the database schema the application needs, with its own tooling, for the tables of ``scope``."""

    def ping_database(self) -> bool:
        return True

    def database_engine(self) -> Any | None:
        """The application's SQLAlchemy engine, for the event runtime's outbox and read models; None without one."""
        return None

    @contextlib.contextmanager
    def context(self) -> Iterator[None]:
        yield


def _overriding(config_class: type, overrides: dict[str, Any]) -> type:
    """``config_class`` whose ``overrides`` win over whatever the application loads into it (its
    defaults, objects, files, mappings): the service's database wherever the project looks for it."""

    class ServiceConfig(config_class):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            dict.update(self, overrides)

        def __setitem__(self, key: str, value: Any) -> None:
            super().__setitem__(key, overrides.get(key, value))

        def update(self, *args: Any, **kwargs: Any) -> None:
            super().update(*args, **kwargs)
            dict.update(self, overrides)

        def setdefault(self, key: str, default: Any = None) -> Any:
            return super().setdefault(key, overrides.get(key, default))

    ServiceConfig.__name__ = ServiceConfig.__qualname__ = config_class.__name__
    return ServiceConfig


class Flask(Framework):
    def __init__(self, target: str, *, factory: bool) -> None:
        import flask

        if os.environ.get("DATABASE_URL"):
            flask.Flask.config_class = _overriding(flask.Flask.config_class, {"SQLALCHEMY_DATABASE_URI": os.environ["DATABASE_URL"]})
        found = load(target)
        self.app = found() if factory else found
        self.wsgi = self.app

    def _database(self) -> Any | None:
        extension = self.app.extensions.get("sqlalchemy")
        return getattr(extension, "db", extension)  # Flask-SQLAlchemy 2 keeps a state holding db; 3 the extension itself

    def _migrations(self) -> Path | None:
        """Flask-Migrate's folder, beside the application's package or inside it; None without one."""
        migrate = self.app.extensions.get("migrate")
        if migrate is None:
            return None
        name = getattr(migrate, "directory", "migrations")
        root = Path(self.app.root_path)
        return next((folder for folder in (root.parent / name, root / name) if folder.is_dir()), None)

    def prepare_schema(self, scope: SchemaScope = SchemaScope()) -> None:
        with self.app.app_context():
            migrations = self._migrations()
            database = self._database()
            if migrations is not None:
                from flask_migrate import upgrade

                upgrade(directory=str(migrations))
            elif database is not None and scope.held is None:
                database.create_all()
            elif database is not None:
                metadata = database.Model.metadata
                metadata.create_all(bind=database.engine, tables=_with_references(metadata, scope))
            if database is not None:
                drop_unheld_sqlalchemy(database.engine, scope)

    def database_engine(self) -> Any | None:
        database = self._database()
        if database is None:
            return None
        with self.app.app_context():
            return database.engine

    def ping_database(self) -> bool:
        database = self._database()
        if database is None:
            return True
        from sqlalchemy import text

        try:
            with self.app.app_context(), database.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception:  # noqa: BLE001 - any failure means not ready
            logger.warning("database unreachable", exc_info=logger.isEnabledFor(logging.DEBUG))
            return False
        return True

    @contextlib.contextmanager
    def context(self) -> Iterator[None]:
        with self.app.app_context():
            yield


class Django(Framework):
    def __init__(self, settings_module: str) -> None:
        os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
        import django
        from django.core.wsgi import get_wsgi_application

        django.setup()
        self.wsgi = get_wsgi_application()

    def prepare_schema(self, scope: SchemaScope = SchemaScope()) -> None:
        """``migrate`` of every app (a project's migrations are one history across its apps:
        migrating some apart fails on a many-to-many across apps), then the tables ``scope`` leaves
        out dropped, but those the ORM joins to a kept one in one query (``select_related``: a
        foreign key or one-to-one, or a one-to-one's reverse, such as ``created_by__profile``
        through Django's own User: parsifal's blog reads accounts' ``auth_profile`` so), which stay
        empty. An automatic many-to-many table goes with the model that declares it."""
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        if scope.held is not None:
            self._drop_unheld(scope)

    def _drop_unheld(self, scope: SchemaScope) -> None:
        from django.apps import apps
        from django.db import connection

        joins: dict[str, set[str]] = {}
        declared: dict[str, str] = {}  # an automatic many-to-many table -> the table of its model
        for model in apps.get_models():
            meta = model._meta
            for field in meta.get_fields(include_hidden=True):
                if field.many_to_many and field.concrete and field.remote_field.through._meta.auto_created:
                    declared[field.remote_field.through._meta.db_table] = meta.db_table
                elif field.is_relation and field.related_model is not None and (field.many_to_one or field.one_to_one):
                    joins.setdefault(meta.db_table, set()).add(field.related_model._meta.db_table)
        planned = scope.planned | {table for table, model in declared.items() if model in scope.planned}
        held = (scope.held or frozenset()) | {table for table, model in declared.items() if model in (scope.held or ())}
        tables_scope = SchemaScope(frozenset(held), frozenset(planned))
        cascade = connection.vendor == "postgresql"
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            drop_unheld(tables_scope, connection.introspection.table_names(cursor), lambda table: joins.get(table, ()),
                        lambda table: cursor.execute(f"DROP TABLE IF EXISTS {quote(table)}{' CASCADE' if cascade else ''}"))

    def database_engine(self) -> Any | None:
        """A SQLAlchemy engine on the service's own database, for the event runtime's outbox and
        the read models it keeps (Django's models write through its own connection)."""
        url = os.environ.get("DATABASE_URL")
        if not url:
            return None
        from sqlalchemy import create_engine

        return create_engine(engine_url(url))

    def watch_changes(self, changed: Callable[[Callable[[dict[str, Any]], None], str, str, dict[str, Any]], None]) -> None:
        """Every save (``insert`` or ``update``) and delete of a model reported as a row change,
        its outbox row inserted on Django's own connection, in the transaction of the save. Every
        delete has its signal so (no fast delete): those the deletion collector cascades to, too."""
        from django.db import connections, router
        from django.db.models.signals import post_delete, post_save

        def report(sender: Any, instance: Any, op: str) -> None:
            meta = sender._meta
            connection = connections[router.db_for_write(sender, instance=instance)]
            row = {field.column: _stored(field, getattr(instance, field.attname), connection) for field in meta.concrete_fields}
            changed(lambda outbox_row: _insert_outbox(connection, outbox_row), op, meta.db_table, row)

        post_save.connect(lambda sender, instance, created=False, **_: report(sender, instance, "insert" if created else "update"),
                          weak=False, dispatch_uid="migrator-upsert")
        post_delete.connect(lambda sender, instance, **_: report(sender, instance, "delete"), weak=False, dispatch_uid="migrator-delete")

    def ping_database(self) -> bool:
        from django.db import connection

        try:
            connection.ensure_connection()
        except Exception:  # noqa: BLE001 - any failure means not ready
            logger.warning("database unreachable", exc_info=logger.isEnabledFor(logging.DEBUG))
            return False
        finally:
            connection.close()
        return True

    @contextlib.contextmanager
    def context(self) -> Iterator[None]:
        from django.db import close_old_connections, transaction

        close_old_connections()
        with transaction.atomic():
            yield


def _with_references(metadata: Any, scope: SchemaScope) -> list[Any]:
    """The tables of ``scope`` and every table their foreign keys reach, in the order to create them."""
    chosen = {table for table in metadata.sorted_tables if scope.table(table.name)}
    reached = list(chosen)
    while reached:
        for key in reached.pop().foreign_keys:
            if key.column.table not in chosen:
                chosen.add(key.column.table)
                reached.append(key.column.table)
    return [table for table in metadata.sorted_tables if table in chosen]


def _stored(field: Any, value: Any, connection: Any) -> Any:
    """``value`` of a model's field as a read model's table takes it, which knows none of Django's
    types: as the field prepares it (a date given as a string parsed, a file or an image its name),
    and where the column's type is the database's own choice, as the database keeps it (a UUID as
    32 hex digits, a duration as microseconds, where the database has no such type: SQLite)."""
    if value is None:
        return None
    value = field.get_prep_value(value)
    if field.get_internal_type() in ("UUIDField", "DurationField"):
        return field.get_db_prep_value(value, connection, prepared=True)
    return value


def _insert_outbox(connection: Any, row: dict[str, Any]) -> None:
    names = sorted(row)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO migrator_outbox ({', '.join(names)}) VALUES ({', '.join(['%s'] * len(names))})", [row[n] for n in names])


_DJANGO_ENGINES = {
    "postgres": "django.db.backends.postgresql", "postgresql": "django.db.backends.postgresql", "pgsql": "django.db.backends.postgresql",
    "mysql": "django.db.backends.mysql", "sqlite": "django.db.backends.sqlite3", "oracle": "django.db.backends.oracle",
}


def django_database(url: str) -> dict[str, Any]:
    """Django's ``DATABASES`` entry for a database URL (``postgresql://user:pw@host:5432/name``,
    ``sqlite:///./file.db``); a driver suffix (``postgresql+psycopg``) is dropped."""
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    scheme = parts.scheme.split("+", 1)[0]
    if scheme not in _DJANGO_ENGINES:
        raise RuntimeError(f"DATABASE_URL: no Django database engine for {scheme!r} (use one of {', '.join(sorted(_DJANGO_ENGINES))})")
    if scheme == "sqlite":
        return {"ENGINE": _DJANGO_ENGINES[scheme], "NAME": unquote(url.split(":///", 1)[1]) if ":///" in url else ":memory:"}
    return {"ENGINE": _DJANGO_ENGINES[scheme], "NAME": unquote(parts.path.lstrip("/")), "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""), "HOST": parts.hostname or "", "PORT": str(parts.port or "")}


def load_framework(hosting: dict[str, Any], package: str) -> Framework:
    """The framework adapter of the monolith's ``hosting`` (the manifest's HOSTING)."""
    if hosting["framework"] == "django":
        return Django(f"{package}.django_settings")
    if hosting["framework"] == "flask":
        return Flask(hosting["target"], factory=hosting["factory"])
    raise RuntimeError(f"no WSGI application to serve for framework {hosting['framework']!r}")
