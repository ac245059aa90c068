"""pip's requirements files: requirements, ``-r`` and ``-c`` chains (paths relative to the file
that names them), markers, extras, direct URLs; local paths, editable installs of the project
itself and pip's own options are left out with a note."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from packaging.specifiers import SpecifierSet

from migrator.model.dependencies.declared import key, merged, parsed

Reader = Callable[[str], "str | None"]
"""A path relative to the project's folder (``/``-separated) -> the file's text; None when there is none."""

_INCLUDES = {"-r": False, "--requirement": False, "-c": True, "--constraint": True}
_EDITABLE = ("-e", "--editable")
_OPTION_CUT = re.compile(r"\s+--?[A-Za-z]")
_COMMENT = re.compile(r"(^|\s)#.*$")
_EGG = re.compile(r"[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)")
_VCS = ("git+", "hg+", "svn+", "bzr+")


@dataclass(frozen=True)
class FileRequirements:
    requirements: tuple[str, ...]
    """Each distribution once, constrained by the ``-c`` files."""
    files: tuple[str, ...]
    """Every file read, in order."""
    notes: tuple[str, ...]


@dataclass
class _Reading:
    read: Reader
    requirements: list[str] = field(default_factory=list)
    constraints: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def read_requirement_files(paths: Sequence[str], read: Reader) -> FileRequirements:
    """The requirements of ``paths`` and of every file they include."""
    reading = _Reading(read)
    for path in paths:
        _read_file(posixpath.normpath(path), reading, constraint=False, named_in="")
    lines, notes = constrained(reading.requirements, reading.constraints)
    return FileRequirements(tuple(lines), tuple(reading.files), (*reading.notes, *notes))


def constrained(requirements: Sequence[str], constraints: Sequence[str]) -> tuple[list[str], list[str]]:
    """``requirements`` with the specifiers of ``constraints`` on the same distributions."""
    limits: dict[str, SpecifierSet] = {}
    for line in constraints:
        constraint = parsed(line)
        if constraint is not None:
            limits[key(constraint)] = limits.get(key(constraint), SpecifierSet()) & constraint.specifier
    lines, used = [], set()
    for line in requirements:
        requirement = parsed(line)
        if requirement is not None and key(requirement) in limits:
            requirement.specifier &= limits[key(requirement)]
            used.add(key(requirement))
            line = str(requirement)
        lines.append(line)
    unused = sorted(set(limits) - used)
    notes = [f"constraints on distributions no requirement names are not carried over: {', '.join(unused)}"] if unused else []
    return merged(lines), notes


def _read_file(path: str, reading: _Reading, *, constraint: bool, named_in: str) -> None:
    if path in reading.files:
        return
    text = reading.read(path)
    if text is None:
        reading.notes.append(f"{named_in or path}: {path} is not there")
        return
    reading.files.append(path)
    for number, line in _logical_lines(text):
        where = f"{path}:{number}"
        if line.startswith("-"):
            _option(line, path, where, reading, constraint=constraint)
            continue
        requirement = requirement_line(_OPTION_CUT.split(line, maxsplit=1)[0].strip(), where, reading.notes)
        if requirement:
            (reading.constraints if constraint else reading.requirements).append(requirement)


def _option(line: str, path: str, where: str, reading: _Reading, *, constraint: bool) -> None:
    name, value = _split_option(line)
    if name in _INCLUDES:
        if "://" in value:
            reading.notes.append(f"{where}: {name} {value} is not a local file: not read")
            return
        target = posixpath.normpath(posixpath.join(posixpath.dirname(path), value))
        _read_file(target, reading, constraint=constraint or _INCLUDES[name], named_in=where)
    elif name in _EDITABLE:
        requirement = requirement_line(value, where, reading.notes)
        if requirement:
            (reading.constraints if constraint else reading.requirements).append(requirement)
    else:
        reading.notes.append(f"{where}: pip's option {name} is not carried over")


def _split_option(line: str) -> tuple[str, str]:
    if line.startswith("--"):
        name, _, value = line.replace("=", " ", 1).partition(" ")
    else:  # -rfile.txt, -r file.txt
        name, value = line[:2], line[2:]
    return name, value.strip()


def requirement_line(text: str, where: str, notes: list[str]) -> str:
    """A requirement as PEP 508 (``git+URL#egg=name`` becomes ``name @ git+URL``); "" with a note
    for a local path or what is no requirement."""
    if _is_local(text):
        notes.append(f"{where}: {text} is a local path: left out (the monolith's own code is carried into the services)")
        return ""
    if text.startswith(_VCS) or "://" in text.split("@")[0]:
        egg = _EGG.search(text)
        if not egg:
            notes.append(f"{where}: {text} names no distribution (#egg=NAME): left out")
            return ""
        text = f"{egg.group(1)} @ {_EGG.sub('', text)}"
    requirement = parsed(text)
    if requirement is None:
        notes.append(f"{where}: {text!r} is not a requirement pip or uv understand: left out")
        return ""
    if requirement.url and requirement.url.startswith("file:"):
        notes.append(f"{where}: {text} is a local path: left out")
        return ""
    return str(requirement)


def _is_local(text: str) -> bool:
    head = text.split(";")[0].strip()
    return head.startswith((".", "/", "~", "file:")) or (("/" in head or head.endswith((".whl", ".tar.gz", ".zip")))
                                                         and "://" not in head and "@" not in head)


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """Each line without its comment, continuations joined, with the number of its first line."""
    pending, start = "", 0
    for number, raw in enumerate(text.splitlines(), start=1):
        if not pending:
            start = number
        line = _COMMENT.sub("", raw)
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line, pending = (pending + line).strip(), ""
        if line:
            yield start, line
    if pending.strip():
        yield start, pending.strip()
