"""The monolith's declared dependencies, read from its project's files (``migrator.model.dependencies``
parses them, this module finds and reads them). The project is the first folder from SRC up to
the repository's root that declares dependencies; there the most pinned declaration wins: a lock
(uv.lock, poetry.lock, Pipfile.lock), then requirements files, then pyproject.toml ([project],
Poetry), Pipfile, setup.cfg and setup.py."""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Collection, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from migrator.model.dependencies.declared import Declaration, DeclaredRequirements, merged
from migrator.model.dependencies.locks import edges_of, pinned_closure, poetry_lock_packages, uv_lock_packages, uv_lock_roots
from migrator.model.dependencies.pipfile import pipfile_declaration, pipfile_lock_declaration
from migrator.model.dependencies.poetry import poetry_declaration
from migrator.model.dependencies.pyproject import project_declaration
from migrator.model.dependencies.requirement_files import read_requirement_files
from migrator.model.dependencies.setup_files import setup_cfg_declaration, setup_py_declaration

REQUIREMENT_FILES = ("requirements.txt", "requirements/production.txt", "requirements/prod.txt", "requirements/base.txt",
                     "requirements/common.txt", "requirements/main.txt", "requirements/requirements.txt", "requirements.in")
"""The requirements file a project installs with, the first one there (``[tool.migrator] requirements`` names others)."""
NOTHING_DECLARED = ("the monolith declares no dependencies (no requirements file, pyproject.toml, Pipfile, setup.cfg or "
                    "setup.py from its folder up to its repository's root): only the runtime's own are listed")


def declared_requirements(src: Path, *, groups: Collection[str] = (), files: Sequence[Path] = ()) -> DeclaredRequirements:
    """What the project of ``src`` declares it needs, with the optional ``groups`` asked for (extras,
    dependency groups, Poetry groups, Pipfile categories); ``files``, requirements files, replace
    the search."""
    if files:
        folder = src.resolve() if src.is_dir() else src.resolve().parent
        return _from_files(folder, [os.path.relpath(f.resolve(), folder) for f in files], Declaration(declares=True))
    for folder in project_folders(src):
        found = _declared_in(folder, groups)
        if found is not None:
            return found
    return DeclaredRequirements(notes=(NOTHING_DECLARED,))


def project_folders(src: Path) -> list[Path]:
    """Where the project's files may be: ``src`` and its parents up to the repository's root (the
    first folder with ``.git``), never the home folder or the file system's root."""
    folder = src.resolve() if src.is_dir() else src.resolve().parent
    folders = []
    for candidate in [folder, *folder.parents]:
        if candidate == Path.home() or candidate == candidate.parent:
            break
        folders.append(candidate)
        if (candidate / ".git").exists():
            break
    return folders


def _declared_in(folder: Path, groups: Collection[str]) -> DeclaredRequirements | None:
    notes: list[str] = []
    pyproject = _toml(folder / "pyproject.toml", notes)
    project = project_declaration(pyproject, groups=groups)
    poetry = poetry_declaration(pyproject, groups=groups)
    for declaration in (project, poetry):
        if declaration.declares and not declaration.includes:
            locked = _locked(folder, declaration, groups, notes)
            if locked is not None:
                return locked
    if (folder / "Pipfile.lock").is_file():
        lock = pipfile_lock_declaration(_json(folder / "Pipfile.lock", notes), groups=groups)
        if lock.declares:
            return _result(folder, ["Pipfile.lock"], lock, pipfile_declaration(_toml(folder / "Pipfile", notes)), groups, notes)
    files = [name for name in REQUIREMENT_FILES if (folder / name).is_file()]
    if files:
        found = _from_files(folder, files[:1], Declaration(declares=True, requires_python=project.requires_python), notes=notes)
        return replace(found, notes=(*found.notes, *_not_read(folder, found.sources)))
    return _unlocked(folder, pyproject, groups, notes)


def _unlocked(folder: Path, pyproject: dict[str, Any], groups: Collection[str], notes: list[str]) -> DeclaredRequirements | None:
    readers = [("pyproject.toml", lambda: project_declaration(pyproject, groups=groups)),
               ("pyproject.toml", lambda: poetry_declaration(pyproject, groups=groups)),
               ("Pipfile", lambda: pipfile_declaration(_toml(folder / "Pipfile", notes), groups=groups)),
               ("setup.cfg", lambda: setup_cfg_declaration(_text(folder / "setup.cfg"), groups=groups)),
               ("setup.py", lambda: setup_py_declaration(_text(folder / "setup.py"), groups=groups))]
    for name, read in readers:
        if not (folder / name).is_file():
            continue
        declaration = read()
        if declaration.declares:
            if declaration.includes:
                return _from_files(folder, list(declaration.includes), declaration, first=name, notes=notes)
            return _result(folder, [name], declaration, declaration, groups, notes)
        notes += declaration.notes
    return None


def _locked(folder: Path, declaration: Declaration, groups: Collection[str], notes: list[str]) -> DeclaredRequirements | None:
    """The pins of the project's lock, when it has one that holds it."""
    uv_lock = next((f / "uv.lock" for f in project_folders(folder) if (f / "uv.lock").is_file()), None)
    if uv_lock is not None and declaration.name:
        data = _toml(uv_lock, notes)
        roots = uv_lock_roots(data, declaration.name, groups=groups)
        if roots is not None:
            lines, lock_notes = pinned_closure(roots, uv_lock_packages(data))
            return _result(folder, ["pyproject.toml", os.path.relpath(uv_lock, folder)], Declaration(lines, True, notes=tuple(lock_notes)),
                           declaration, groups, notes)
        notes.append(f"{os.path.relpath(uv_lock, folder)} holds no project named {declaration.name}: not read")
    if (folder / "poetry.lock").is_file():
        lines, lock_notes = pinned_closure(edges_of(declaration.requirements), poetry_lock_packages(_toml(folder / "poetry.lock", notes)))
        return _result(folder, ["pyproject.toml", "poetry.lock"], Declaration(lines, True, notes=tuple(lock_notes)), declaration, groups, notes)
    return None


def _from_files(folder: Path, files: list[str], declaration: Declaration, *, first: str = "", notes: Sequence[str] = ()) -> DeclaredRequirements:
    def read(path: str) -> str | None:
        return _text(folder / path) if (folder / path).is_file() else None

    found = read_requirement_files(files, read)
    lines = [*declaration.requirements, *found.requirements]
    sources = [first] if first else []
    return DeclaredRequirements(tuple(merged(lines)), (*sources, *found.files), str(folder), declaration.requires_python,
                                (*notes, *declaration.notes, *found.notes))


def _result(folder: Path, sources: list[str], pins: Declaration, declaration: Declaration, groups: Collection[str],
            notes: Sequence[str]) -> DeclaredRequirements:
    unknown = sorted(set(groups) - set(declaration.groups))
    asked = [f"{', '.join(unknown)}: no optional group of that name in {sources[0]}"] if unknown else []
    return DeclaredRequirements(tuple(merged(pins.requirements)), tuple(sources), str(folder), declaration.requires_python,
                                (*notes, *declaration.notes, *pins.notes, *asked))


def _not_read(folder: Path, read: Sequence[str]) -> list[str]:
    """A note naming the other requirements files beside those read, which may be the ones meant."""
    others = sorted({str(p.relative_to(folder)) for p in [*folder.glob("requirements*.txt"), *folder.glob("requirements/*.txt")]} - set(read))
    if not others:
        return []
    return [f"read {read[0]}, not {', '.join(others)} (name the files to read in [tool.migrator] requirements)"]


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _toml(path: Path, notes: list[str]) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(_text(path))
    except tomllib.TOMLDecodeError as error:
        notes.append(f"{path.name}: not valid TOML ({error}): not read")
        return {}


def _json(path: Path, notes: list[str]) -> dict[str, Any]:
    try:
        data = json.loads(_text(path))
    except json.JSONDecodeError as error:
        notes.append(f"{path.name}: not valid JSON ({error}): not read")
        return {}
    return data if isinstance(data, dict) else {}
