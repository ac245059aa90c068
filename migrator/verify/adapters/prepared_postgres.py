"""The ``PreparedDatabases`` port on a PostgreSQL server: a database the schema step made is kept on
the server as ``prepared_<lineage>_<digest>`` (the digest of ``SourceDigests``, as the SQLite
files are kept under; the lineage, of the service's folder and identity alone), and the next run's
database is cloned from it (``CREATE DATABASE ... TEMPLATE``) instead of running the step again.
A template whose service has changed since is dropped when its successor is kept, and only the
``KEPT`` most recently used are kept at all. Reusing is an optimisation: whatever the server
refuses leaves the schema step to make the database, never fails the run."""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import unquote, urlsplit

from migrator.errors import MigratorError
from migrator.verify.adapters.postgres_client import execute, query
from migrator.verify.adapters.prepared_databases import SourceDigests
from migrator.verify.domain.urls import is_postgres_url

KEPT = 20
"""Templates kept on a server at most, the least recently used dropped first."""
PREFIX = "prepared_"
_MARK = "migrator prepared database, last used at"
"""The comment on each template: ours, and when a run last cloned it (seconds since the epoch)."""


def template_name(lineage: str, digest: str, prefix: str = PREFIX) -> str:
    return f"{prefix}{lineage}_{digest}"


def lineage_of(sources: Sequence[Path], identity: str) -> str:
    """What stays the same while a service's files change: its folders and identity."""
    return hashlib.sha256("\0".join([*(str(source.resolve()) for source in sources), identity]).encode()).hexdigest()[:8]


def _database(url: str) -> str:
    return unquote(urlsplit(url).path.lstrip("/"))


class PostgresSchemaTemplates:
    """Templates on the server at ``server_url`` (the one ``--database-url`` names), named
    ``prefix<lineage>_<digest>``: ``kept`` and the cleaning count only those (tests use a prefix of their own)."""

    def __init__(self, server_url: str, digests: SourceDigests | None = None, *, kept: int = KEPT, prefix: str = PREFIX) -> None:
        self.server_url = server_url
        self.digests = digests or SourceDigests()
        self.kept = kept
        self.prefix = prefix
        self._name = re.compile(rf"^{re.escape(prefix)}[0-9a-f]{{8}}_[0-9a-f]{{24}}$")

    def restore(self, url: str, *, sources: Sequence[Path], identity: str) -> bool:
        """The run's database at ``url`` cloned from the template kept for ``sources`` and
        ``identity`` (an empty one there already dropped first); False, and ``url`` as it was, when none is."""
        if not is_postgres_url(url):
            return False
        template = template_name(lineage_of(sources, identity), self.digests.digest(sources, identity), self.prefix)
        target, found = _database(url), set[str]()
        try:
            found = {name for (name,) in query(self.server_url, f"SELECT datname FROM pg_database WHERE datname IN ('{template}', '{target}')")}
            if template not in found:
                return False
            if target in found:  # made empty already (not deferred): dropping it costs the server a checkpoint
                execute(self.server_url, f'DROP DATABASE "{target}" WITH (FORCE)')
            execute(self.server_url, f'CREATE DATABASE "{target}" TEMPLATE "{template}"')
        except MigratorError:
            if target in found:
                _create_empty(self.server_url, target)
            return False
        self._mark_used(template)
        return True

    def keep(self, url: str, *, sources: Sequence[Path], identity: str) -> None:
        """The run's database at ``url``, which the schema step has just made (and closed), kept
        as a template; earlier templates of the same service dropped, and the least used beyond ``kept``."""
        if not is_postgres_url(url):
            return
        lineage = lineage_of(sources, identity)
        template = template_name(lineage, self.digests.digest(sources, identity), self.prefix)
        try:
            execute(self.server_url, f'CREATE DATABASE "{template}" TEMPLATE "{_database(url)}"')
        except MigratorError:
            return  # a connection to it not yet closed, or another run keeping the same one: the next run keeps it
        self._mark_used(template)
        self._clean(keep=template, lineage=lineage)

    def _mark_used(self, template: str) -> None:
        try:
            execute(self.server_url, f"COMMENT ON DATABASE \"{template}\" IS '{_MARK} {time.time():.6f}'")
        except MigratorError:
            pass  # the order of dropping only

    def _clean(self, *, keep: str, lineage: str) -> None:
        try:
            rows = query(self.server_url, "SELECT datname, shobj_description(oid, 'pg_database') FROM pg_database "
                                          f"WHERE starts_with(datname, '{self.prefix}')")
        except MigratorError:
            return
        ours = [(name, _last_used(comment)) for name, comment in rows if self._name.match(name) and comment.startswith(_MARK) and name != keep]
        stale = sorted(name for name, _ in ours if name.startswith(template_name(lineage, "", self.prefix)))
        by_use = sorted((item for item in ours if item[0] not in stale), key=lambda item: item[1], reverse=True)
        for name in stale + [name for name, _ in by_use[self.kept - 1:]]:
            try:
                execute(self.server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            except MigratorError:
                pass  # dropped next time


def _last_used(comment: str) -> float:
    try:
        return float(comment[len(_MARK):].strip())
    except ValueError:
        return 0.0


def _create_empty(server_url: str, database: str) -> None:
    """The run's database back as the schema step expects it, if a failed clone left none."""
    try:
        if not query(server_url, f"SELECT 1 FROM pg_database WHERE datname = '{database}'"):
            execute(server_url, f'CREATE DATABASE "{database}"')
    except MigratorError:
        pass  # the schema step then says what is wrong
