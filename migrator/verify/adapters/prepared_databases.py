"""The ``PreparedDatabases`` port: a database the schema step made, kept in
``$XDG_CACHE_HOME/migrator/databases`` under a digest of everything that made it (the service's
files and the shared library's, the Python environment, the service's variables), and copied into
the next run's empty database instead of running the step again while none of that changed.
SQLite files here; PostgreSQL databases are kept on their server, as templates
(``prepared_postgres``), under the same digest."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path

KEPT = 200
"""Databases kept at most, the least recently used removed first."""
_SKIPPED = frozenset({"__pycache__", ".pytest_cache", ".mypy_cache", "node_modules", ".git"})


def databases_cache() -> Path:
    """``$XDG_CACHE_HOME/migrator/databases`` (``~/.cache`` without it), beside the environments."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "migrator" / "databases"


def _sqlite_path(url: str) -> Path | None:
    prefix = "sqlite:///"
    return Path(url[len(prefix):]) if url.startswith(prefix) and url[len(prefix):] not in ("", ":memory:") else None


def _files(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.iterdir()) if folder.is_dir() else ():
        if path.is_dir():
            if path.name not in _SKIPPED:
                yield from _files(path)
        elif path.suffix not in (".pyc", ".log", ".db", ".sqlite3"):
            yield path


class SourceDigests:
    """What a prepared database is kept under: a digest of the files that made it and of the rest
    of what made it, computed once per run."""

    def __init__(self) -> None:
        self._digests: dict[tuple[tuple[Path, ...], str], str] = {}

    def digest(self, sources: Sequence[Path], identity: str) -> str:
        """Of every file under ``sources`` (names and bytes) and ``identity``; once per run."""
        key = (tuple(sources), identity)
        if key not in self._digests:
            digest = hashlib.sha256(identity.encode())
            for source in sources:
                for path in _files(source):
                    digest.update(str(path.relative_to(source)).encode() + b"\0")
                    digest.update(path.read_bytes())
            self._digests[key] = digest.hexdigest()[:24]
        return self._digests[key]


class SqliteSchemaCache:
    def __init__(self, cache: Path, digests: SourceDigests | None = None) -> None:
        self.cache = cache
        self.digests = digests or SourceDigests()

    def digest(self, sources: Sequence[Path], identity: str) -> str:
        return self.digests.digest(sources, identity)

    def restore(self, url: str, *, sources: Sequence[Path], identity: str) -> bool:
        target = _sqlite_path(url)
        kept = self.cache / f"{self.digest(sources, identity)}.sqlite3"
        if target is None or not kept.is_file():
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(kept, target)
        os.utime(kept)  # recently used
        return True

    def keep(self, url: str, *, sources: Sequence[Path], identity: str) -> None:
        made = _sqlite_path(url)
        if made is None or not made.is_file():
            return
        self.cache.mkdir(parents=True, exist_ok=True)
        kept = self.cache / f"{self.digest(sources, identity)}.sqlite3"
        partial = kept.with_name(f".{kept.name}.{os.getpid()}")
        shutil.copyfile(made, partial)
        os.replace(partial, kept)
        for old in sorted(self.cache.glob("*.sqlite3"), key=lambda p: p.stat().st_mtime, reverse=True)[KEPT:]:
            old.unlink(missing_ok=True)
