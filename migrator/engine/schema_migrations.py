"""Which folders named like migrations hold schema migrations, and which are business code.

``**/migrations/**`` and ``**/alembic/versions/**`` leave out the migrations of Django, Alembic
and Flask-Migrate: they define the schema, not the boundaries. A package that only shares the
name (an importer of other applications' exports, ``services/migrations``) is business code and
stays in the graph.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

_DJANGO = re.compile(r"^class\s+Migration\s*\(", re.MULTILINE)
_ALEMBIC_REVISION = re.compile(r"^(?:down_)?revision\s*(?::[^=\n]*)?=", re.MULTILINE)
_ALEMBIC_UPGRADE = re.compile(r"^def\s+upgrade\s*\(", re.MULTILINE)
_ALEMBIC_ENV = re.compile(r"^from\s+alembic\s+import\s+.*\bcontext\b", re.MULTILINE)
"""Alembic's ``env.py``, which runs the migrations."""
_NUMBERED = re.compile(r"\d{4}_\w*\.py")
"""Django names its migrations 0001_initial.py: the name alone says what the file is."""
_READ = 65536
"""A migration says what it is in its first lines; longer files are read this far."""


def migration_folder(relpath: str, patterns: tuple[str, ...]) -> str | None:
    """The folder of ``relpath`` that a ``**/<folder>/**`` pattern leaves out (the outermost)."""
    candidate = "/" + relpath
    found: list[int] = []
    for pattern in patterns:
        if pattern.startswith("**/") and pattern.endswith("/**"):
            at = candidate.find("/" + pattern[3:-3] + "/")
            if at >= 0:
                found.append(at + len(pattern[3:-3]) + 1)
    return candidate[1 : min(found)] if found else None


class SchemaFolders:
    """Whether a folder holds schema migrations, read once per folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._known: dict[str, bool] = {}

    def holds_schema(self, folder: str) -> bool:
        """True when a Python file under ``folder`` is a schema migration, or when the folder
        holds no module but ``__init__.py`` (a Django app with no migration yet)."""
        if folder not in self._known:
            modules = [p for p in _python_files(self.root / folder) if p.name != "__init__.py"]
            self._known[folder] = not modules or any(_is_schema_migration(p) for p in modules)
        return self._known[folder]


def _python_files(folder: Path) -> list[Path]:
    found = []
    for parent, _, names in os.walk(folder):
        found.extend(Path(parent) / name for name in sorted(names) if name.endswith(".py"))
    return found


def _is_schema_migration(path: Path) -> bool:
    if _NUMBERED.fullmatch(path.name):
        return True
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            text = handle.read(_READ)
    except OSError:
        return True  # unreadable: left out, as every migration was before
    if _DJANGO.search(text) or _ALEMBIC_ENV.search(text):
        return True
    return bool(_ALEMBIC_REVISION.search(text) and _ALEMBIC_UPGRADE.search(text))
