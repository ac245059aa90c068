"""The ``Databases`` port as SQLite files in the run's folder: they go when the folder goes."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path


def sqlite_urls(folder: Path, services: Iterable[str]) -> dict[str, str]:
    """A SQLite file per service under ``folder`` (an absolute path: ``sqlite:////...``)."""
    folder.mkdir(parents=True, exist_ok=True)
    return {name: f"sqlite:///{folder.resolve() / (re.sub(r'[^A-Za-z0-9_.-]', '_', name) + '.db')}" for name in services}


class SqliteFiles:
    def create(self, services: Sequence[str], *, run_id: str, folder: Path, deferred: bool = False) -> dict[str, str]:
        return sqlite_urls(folder, services)

    def ensure(self, urls: Iterable[str]) -> None:
        pass  # SQLite makes a file when it is first opened

    def drop(self) -> list[str]:
        return []  # the files are removed with the run's folder, or kept with it
