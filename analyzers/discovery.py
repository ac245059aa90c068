"""Finding the Python files of a tree and the module name each is imported by.

Import roots are found on their own: a file's root is the nearest folder above it that is
not a package (has no ``__init__.py``), so ``src/`` layouts and several roots side by side
need no setting.
"""

from __future__ import annotations

import fnmatch
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from analyzers.base import Skipped, SourceFile

DEFAULT_EXCLUDES = (
    "**/tests/**",
    "**/test/**",
    "**/testing/**",
    "**/test_*.py",
    "**/*_test.py",
    "**/tests.py",
    "**/conftest.py",
    "**/migrations/**",
    "**/alembic/versions/**",
)
"""Excluded unless the user includes them: tests and migrations say little about boundaries."""

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


def discover(root: Path, *, excludes: tuple[str, ...] = DEFAULT_EXCLUDES) -> Discovery:
    """Every importable Python file under ``root``, sorted by path, with its module name."""
    found = Discovery()
    by_module: dict[str, SourceFile] = {}
    root = root.resolve()
    for relpath in _walk(root, found.skipped):
        if _excluded(relpath, excludes):
            found.excluded.append(relpath)
            continue
        source = _source_file(root, relpath)
        if source is None:
            found.skipped.append(Skipped(relpath, "not importable: a folder on its path is not a valid identifier"))
            continue
        if source.module in by_module:
            other = by_module[source.module].relpath
            found.skipped.append(Skipped(relpath, f"module {source.module} is already defined by {other}"))
            continue
        by_module[source.module] = source
    found.files = sorted(by_module.values(), key=lambda f: f.relpath)
    found.roots = sorted({f.root for f in found.files})
    return found


def _walk(root: Path, skipped: list[Skipped]) -> list[str]:
    """Relative paths of .py files; symlinked folders are not followed, so loops cannot trap us."""
    paths: list[str] = []

    def on_error(error: OSError) -> None:
        skipped.append(Skipped(_rel(root, Path(error.filename or root)), f"cannot read folder: {error.strerror}"))

    for folder, dirs, files in os.walk(root, onerror=on_error):
        dirs[:] = sorted(d for d in dirs if d not in ALWAYS_SKIPPED_DIRS and not d.endswith(".egg-info"))
        base = Path(folder)
        for name in sorted(files):
            if not name.endswith(".py"):
                continue
            path = base / name
            if path.is_symlink() and not path.exists():
                skipped.append(Skipped(_rel(root, path), "broken symbolic link"))
                continue
            paths.append(_rel(root, path))
    return paths


def _rel(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _excluded(relpath: str, patterns: tuple[str, ...]) -> bool:
    candidate = "/" + relpath
    for pattern in patterns:
        if fnmatch.fnmatch(relpath, pattern) or fnmatch.fnmatch(candidate, "/" + pattern.lstrip("/")):
            return True
        # "**/tests/**" should also match a top-level "tests/..."
        if pattern.startswith("**/") and fnmatch.fnmatch(relpath, pattern[3:]):
            return True
    return False


def _source_file(root: Path, relpath: str) -> SourceFile | None:
    path = root / relpath
    is_package = path.name == "__init__.py"
    parts = [path.stem] if not is_package else []
    folder = path.parent
    while (folder / "__init__.py").is_file() and folder != root.parent:
        parts.insert(0, folder.name)
        if folder == root:
            folder = folder.parent
            break
        folder = folder.parent
    # importlib accepts names like 0001_initial (Django migrations) that are not identifiers
    if not parts or not all(_MODULE_PART.fullmatch(p) for p in parts):
        return None
    import_root = _rel(root, folder) if folder != root else "."
    if folder == root.parent:
        import_root = ".."
    return SourceFile(path, relpath, ".".join(parts), is_package, import_root)
