"""Finding the Python files of a tree and the module name each is imported by.

Import roots are found on their own: a file's root is the nearest folder above it that is
not a package (has no ``__init__.py``), so ``src/`` layouts and several roots side by side
need no setting. A folder without ``__init__.py`` inside a package is a namespace package of
that package's root (``app/services/x.py`` under ``app/__init__.py`` is ``app.services.x``),
not a root of its own.
"""

from __future__ import annotations

import fnmatch
import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from analyzers.base import Skipped, SourceFile
from migrator.engine.schema_migrations import SchemaFolders, migration_folder

MIGRATION_EXCLUDES = ("**/migrations/**", "**/alembic/versions/**")
DEFAULT_EXCLUDES = (
    "**/tests/**",
    "**/test/**",
    "**/testing/**",
    "**/test_*.py",
    "**/*_test.py",
    "**/tests.py",
    "**/conftest.py",
    *MIGRATION_EXCLUDES,
)
"""Excluded unless the user includes them: tests and migrations say little about boundaries.
A folder ``MIGRATION_EXCLUDES`` match is left out only when it holds schema migrations
(``schema_migrations``): business code that shares the name stays."""
DATA_SUFFIX = ".sql"

_MODULE_PART = re.compile(r"\w+")

ALWAYS_SKIPPED_DIRS = frozenset(
    {".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv", "env", "node_modules", "__pycache__",
     "build", "dist", ".mypy_cache", ".pytest_cache", ".ruff_cache", "site-packages", ".eggs"}
)


@dataclass
class Discovery:
    files: list[SourceFile] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    roots: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    """Python files left out by the excludes (grimp still reads those inside a package)."""
    data_files: list[str] = field(default_factory=list)
    """Files that are no modules of the graph but describe its data, for the analyzers' links to
    read: the .sql files, and the migrations that only ``MIGRATION_EXCLUDES`` leave out (they
    define the schema)."""


def discover(root: Path, *, excludes: tuple[str, ...] = DEFAULT_EXCLUDES) -> Discovery:
    """Every importable Python file under ``root``, sorted by path, with its module name."""
    found = Discovery()
    by_module: dict[str, SourceFile] = {}
    root = root.resolve()
    packages = _Packages(root)
    schema_excludes = tuple(p for p in excludes if p not in MIGRATION_EXCLUDES)
    migrations = _Migrations(root, tuple(p for p in excludes if p in MIGRATION_EXCLUDES))
    for relpath in _walk(root, found.skipped):
        if relpath.endswith(DATA_SUFFIX) or (_excluded(relpath, excludes) and not migrations.business(relpath, schema_excludes)):
            if relpath.endswith(".py"):
                found.excluded.append(relpath)
            if not _excluded(relpath, schema_excludes):
                found.data_files.append(relpath)
            continue
        source = packages.source_file(relpath)
        if source is None:
            found.skipped.append(Skipped(relpath, "not importable: a folder on its path is not a valid identifier"))
            continue
        if source.module in by_module:
            other = by_module[source.module].relpath
            found.skipped.append(Skipped(relpath, f"module {source.module} is already defined by {other}"))
            continue
        by_module[source.module] = source
    found.files = sorted(by_module.values(), key=lambda f: f.relpath)
    found.data_files.sort()
    found.roots = sorted({f.root for f in found.files})
    return found


def _walk(root: Path, skipped: list[Skipped]) -> list[str]:
    """Relative paths of .py (and .sql) files, sorted folder by folder; symlinked folders are
    not followed, so loops cannot trap us."""
    paths: list[str] = []
    pending = [""]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(root / folder if folder else root) as entries:
                listed = sorted(entries, key=lambda entry: entry.name)
        except OSError as error:
            skipped.append(Skipped(folder or ".", f"cannot read folder: {error.strerror}"))
            continue
        prefix = folder + "/" if folder else ""
        subfolders = []
        for entry in listed:
            name = entry.name
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            if is_dir:
                if name not in ALWAYS_SKIPPED_DIRS and not name.endswith(".egg-info"):
                    subfolders.append(prefix + name)
                continue
            if not name.endswith((".py", DATA_SUFFIX)):
                continue
            if entry.is_symlink() and not os.path.exists(entry.path):
                skipped.append(Skipped(prefix + name, "broken symbolic link"))
                continue
            if entry.is_dir():  # a symbolic link to a folder named *.py
                continue
            paths.append(prefix + name)
        pending.extend(reversed(subfolders))  # depth first, in name order: as os.walk did
    return paths


class _Migrations:
    """Files that only a migration pattern leaves out, in a folder that holds no schema migration."""

    def __init__(self, root: Path, patterns: tuple[str, ...]) -> None:
        self.patterns = patterns
        self.folders = SchemaFolders(root)

    def business(self, relpath: str, other_excludes: tuple[str, ...]) -> bool:
        if not self.patterns or not relpath.endswith(".py") or _excluded(relpath, other_excludes):
            return False
        folder = migration_folder(relpath, self.patterns)
        return folder is not None and not self.folders.holds_schema(folder)


class _Packages:
    """Module names of files, from which folders above them are packages (asked once per folder)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._folders: dict[str, tuple[tuple[str, ...], str] | None] = {}

    def source_file(self, relpath: str) -> SourceFile | None:
        folder, _, name = relpath.rpartition("/")
        is_package = name == "__init__.py"
        found = self._folder(folder)
        if found is None:
            return None
        parts, import_root = found
        if not is_package:
            stem = name[:-3]
            if not _MODULE_PART.fullmatch(stem):
                return None
            parts = (*parts, stem)
        if not parts:
            return None
        return SourceFile(self.root / relpath, relpath, ".".join(parts), is_package, import_root)

    def _folder(self, folder: str) -> tuple[tuple[str, ...], str] | None:
        """The package names a file in ``folder`` is imported under, and its import root
        (None: a package folder's name is not an identifier)."""
        if folder in self._folders:
            return self._folders[folder]
        path = self.root / folder if folder else self.root
        if not (path / "__init__.py").is_file():
            found: tuple[tuple[str, ...], str] | None = self._namespace(folder) or ((), folder or ".")
        elif not _MODULE_PART.fullmatch(path.name):
            found = None
        elif not folder:  # the analysed folder is itself a package: its parent is the root
            found = ((path.name,), "..")
        else:
            above = self._folder(folder.rpartition("/")[0])
            found = None if above is None else ((*above[0], path.name), above[1])
        self._folders[folder] = found
        return found

    def _namespace(self, folder: str) -> tuple[tuple[str, ...], str] | None:
        """A folder without ``__init__.py`` inside a package is a namespace package of that
        package's root; None when it is not (its parent is no package, or its name is not one)."""
        parent, _, name = folder.rpartition("/")
        if not folder or not _MODULE_PART.fullmatch(name):
            return None
        above = self._folder(parent)
        return ((*above[0], name), above[1]) if above and above[0] else None


def _excluded(relpath: str, patterns: tuple[str, ...]) -> bool:
    """Whether ``relpath`` or ``/relpath`` matches one of ``patterns`` (``fnmatch``), a
    ``**/`` pattern matching at the top too ("**/tests/**" also matches a top-level "tests/...")."""
    if not patterns:
        return False
    name = os.path.normcase(relpath)
    return _exclusion(patterns).match(name) is not None or _exclusion_of_rooted(patterns).match("/" + name) is not None


@functools.cache
def _exclusion(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """``fnmatch.fnmatch(relpath, pattern)`` or, for a ``**/`` pattern, with its rest, for every pattern in one regex."""
    found = [os.path.normcase(pattern) for pattern in patterns]
    found += [os.path.normcase(pattern[3:]) for pattern in patterns if pattern.startswith("**/")]
    return re.compile("|".join(f"(?:{fnmatch.translate(pattern)})" for pattern in found))


@functools.cache
def _exclusion_of_rooted(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """``fnmatch.fnmatch("/" + relpath, "/" + pattern.lstrip("/"))`` for every pattern in one regex."""
    return re.compile("|".join(f"(?:{fnmatch.translate(os.path.normcase('/' + pattern.lstrip('/')))})" for pattern in patterns))
