"""Line relocation: reuse a link whose changed files only moved lines.

Editing a function body shifts the line numbers of everything below the edit, so the changed
file's facts differ from the cached ones even when nothing else about them did, and every
whole-program link (imports, data, routes, events) would run again to produce the same graph
with a few line numbers shifted. Instead, as a linker relocates code that moved:

1. ``LineMap.between(old, new)`` maps the old file's lines to the new one's: the lines before the
   first changed line stay, the lines after the last one shift; the changed lines map nowhere.
2. ``relocate(old_facts, lines) == new_facts`` proves that the file's facts differ only by where
   they are. Line numbers in facts live in fields named ``line`` (the convention every analyzer's
   facts follow); a fact on a changed line cannot be relocated, so it is never taken as unchanged.
3. The link's previous contribution is then the new one with the file's places moved:
   ``relocate_packed``. Links compare the lines of one file only by their order, which the map
   keeps, and copy them into places ("relpath:line") and node lines, which it rewrites.

An edit may also add functions and methods (``added_definitions``): when no other file's source
and none of the edited file's facts (but those a per-module link makes again) hold their names,
nothing else can refer to them, so every other module's part of the link stays as it was (the
engine checks).

Anything that does not fit (a line that maps nowhere, a note that names the file) raises
``NotRelocatable``, and the link runs again: relocation is an optimisation, never a guess.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from analyzers.base import Skipped
from migrator.engine.packing import Packed

LINE_FIELD = "line"
"""The name of every field of facts that holds a line number of the file they were scanned from."""


class NotRelocatable(Exception):
    """A value refers to a line that the edit changed (or cannot be relocated at all)."""


@dataclass(frozen=True)
class LineMap:
    """Old line -> new line of a file edited in one region: lines up to ``head`` are unchanged,
    lines from ``tail`` on moved by ``shift``, the lines between map nowhere."""

    head: int
    tail: int
    shift: int

    @classmethod
    def between(cls, old: bytes, new: bytes) -> LineMap:
        old_lines, new_lines = old.splitlines(), new.splitlines()
        limit = min(len(old_lines), len(new_lines))
        head = 0
        while head < limit and old_lines[head] == new_lines[head]:
            head += 1
        tail = 0
        while tail < limit - head and old_lines[-1 - tail] == new_lines[-1 - tail]:
            tail += 1
        # 1-based: old lines 1..head stay, old lines len-tail+1.. move by the change in length
        return cls(head, len(old_lines) - tail + 1, len(new_lines) - len(old_lines))

    def __call__(self, line: int) -> int:
        if line <= self.head:
            return line
        if line >= self.tail:
            return line + self.shift
        raise NotRelocatable(f"line {line} was edited")


def relocate(value: Any, lines: LineMap) -> Any:
    """``value`` (facts: dataclasses, named tuples, containers) with every ``line`` field moved."""
    kind = type(value)
    if kind in _ATOMS:
        return value
    if kind is list:
        return [relocate(item, lines) for item in value]
    if kind is dict:
        return {key: relocate(item, lines) for key, item in value.items()}
    if kind is tuple:
        return tuple(relocate(item, lines) for item in value)
    if kind in (set, frozenset):
        return kind(relocate(item, lines) for item in value)
    if isinstance(value, tuple) and hasattr(value, "_fields"):  # a named tuple
        return kind(*(_field(name, item, lines) for name, item in zip(value._fields, value)))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        moved = object.__new__(kind)
        for item in dataclasses.fields(value):
            object.__setattr__(moved, item.name, _field(item.name, getattr(value, item.name), lines))
        return moved
    raise NotRelocatable(f"cannot relocate a {kind.__name__}")


_ATOMS = frozenset({str, int, float, bool, bytes, type(None)})


def _field(name: str, value: Any, lines: LineMap) -> Any:
    if name == LINE_FIELD and type(value) is int:
        return lines(value) if value > 0 else value
    return relocate(value, lines)


ADDABLE = frozenset({"function", "method"})
"""The kinds of definition an edit may add without a relink: links look functions up by the names
files write. Classes they also find by going over every module's definitions (the data link
takes any class whose bases make it a model), so a new class relinks."""


def added_definitions(before: Any, after: Any) -> set[str] | None:
    """The simple names of the functions and methods that a module summary ``after`` has and
    ``before`` (relocated) has not, when that is all that differs; else None."""
    if dataclasses.replace(after, definitions=before.definitions) != before:
        return None
    if any(after.definitions.get(name) != definition for name, definition in before.definitions.items()):
        return None
    added = after.definitions.keys() - before.definitions.keys()
    if any(after.definitions[name].kind not in ADDABLE for name in added):
        return None
    return {name.rpartition(".")[2] for name in added}


def relocate_packed(packed: Packed, moved: Mapping[str, LineMap]) -> Packed:
    """A link's contribution with the places in the files ``moved`` (by relative path)
    relocated: node lines, edge evidence, skipped lines."""
    for note in packed.notes:
        if any(relpath in note for relpath in moved):
            raise NotRelocatable("a note names a moved file")
    nodes = [
        (id_, kind, file, _moved_line(moved, file, line), contexts, attrs)
        for id_, kind, file, line, contexts, attrs in packed.nodes
    ]
    edges = [
        (source, target, kind, weight, tuple(_place(moved, place) for place in evidence), attrs)
        for source, target, kind, weight, evidence, attrs in packed.edges
    ]
    skipped = [
        Skipped(s.relpath, s.reason, _moved_line(moved, s.relpath, s.line)) if s.relpath in moved else s for s in packed.skipped
    ]
    return Packed(nodes, edges, skipped, list(packed.notes), packed.reads)


def _moved_line(moved: Mapping[str, LineMap], relpath: str | None, line: int | None) -> int | None:
    lines = moved.get(relpath) if relpath is not None else None
    return line if lines is None or not line else lines(line)


def _place(moved: Mapping[str, LineMap], place: str) -> str:
    relpath, _, line = place.rpartition(":")
    lines = moved.get(relpath)
    if lines is None:
        return place
    if not line.isdigit():
        raise NotRelocatable(f"a place in {relpath} without a line")
    return f"{relpath}:{lines(int(line))}"
