"""What writing the generated system did, in a few lines: the counts, then the files a person has
to know about (kept, replaced, no longer generated), each kind named briefly, never one line a file."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from migrator.words import plural

if TYPE_CHECKING:
    from migrator.writer import TreeChanges

SHOWN = 5
"""Files (or folders) named in a line before the rest are only counted."""


def render_tree_changes(changes: TreeChanges, out: Path, *, dry_run: bool = False, subject: str = "") -> str:
    """The summary ``generate`` prints: ``Wrote 3 new and 2 changed files under OUT (1140
    unchanged) for 10 services``, then :func:`tree_notes`. ``subject`` ends the first line."""
    verb = "Would write" if dry_run else "Wrote"
    written = f"{len(changes.created):,} new and {plural(len(changes.updated), 'changed file')}"
    if changes.replaced:
        written = f"{len(changes.created):,} new, {len(changes.updated):,} changed and {plural(len(changes.replaced), 'replaced file')}"
    headline = f"{verb} {written} under {out} ({len(changes.unchanged):,} unchanged)" + (f" {subject}" if subject else "")
    return "\n".join([headline, *tree_notes(changes, dry_run=dry_run)])


def tree_notes(changes: TreeChanges, *, dry_run: bool = False) -> list[str]:
    """One line for each kind of file that was not simply written: the edited files kept or
    replaced (named), and the files no longer generated (counted, with their folders)."""

    def did(would: str, did: str) -> str:
        return f"Would {would}" if dry_run else did

    lines = []
    if changes.kept:
        lines.append(f"{did('keep', 'Kept')} {plural(len(changes.kept), 'file')} you edited: {_named(changes.kept)} "
                     f"(--force replaces {_them(changes.kept)})")
    if changes.replaced:
        lines.append(f"{did('replace', 'Replaced')} {plural(len(changes.replaced), 'file')} you had edited: {_named(changes.replaced)}")
    if changes.pruned:
        lines.append(f"{did('remove', 'Removed')} {plural(len(changes.pruned), 'file')} no longer generated, under {_folders(changes.pruned)}")
    if changes.stale:
        lines.append(f"{did('leave', 'Left')} {plural(len(changes.stale), 'file')} no longer generated in place, under {_folders(changes.stale)} "
                     f"(--prune removes {_them(changes.stale)})")
    if changes.stale_edited:
        lines.append(f"{did('keep', 'Kept')} {plural(len(changes.stale_edited), 'file')} no longer generated that you edited: "
                     f"{_named(changes.stale_edited)}")
    return lines


def _them(paths: Sequence[str]) -> str:
    return "it" if len(paths) == 1 else "them"


def _named(paths: Sequence[str]) -> str:
    """The first few paths, then how many more."""
    shown = ", ".join(paths[:SHOWN])
    return shown + (f" and {len(paths) - SHOWN:,} more" if len(paths) > SHOWN else "")


def _folders(paths: Sequence[str]) -> str:
    """The folders that hold ``paths``, the fullest first, each named once: a folder inside
    another one listed is left out, so that a whole service's folder reads as that one folder."""
    top = PurePosixPath(".")
    parents = {PurePosixPath(p).parent for p in paths}
    folders = [f for f in parents if not any(g in f.parents for g in parents - {f, top})]
    held = {f: sum(1 for p in map(PurePosixPath, paths) if p.parent == f or (f != top and f in p.parents)) for f in folders}
    names = ["the top folder" if f == top else f"{f}/" for f in sorted(folders, key=lambda f: (-held[f], f == top, str(f)))]
    return ", ".join(names[:SHOWN]) + (f" and {plural(len(names) - SHOWN, 'more folder')}" if len(names) > SHOWN else "")
