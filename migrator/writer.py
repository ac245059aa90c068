"""The one adapter that puts files on disk: atomic, and never over a file the user wrote."""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from migrator.errors import MigratorError


_UMASK = os.umask(0)
os.umask(_UMASK)


class WouldOverwrite(MigratorError):
    """The target exists and was not written by migrator (or was edited since)."""


def write_output(path: Path, text: str | bytes, *, force: bool = False, ours: Callable[[str], bool] = lambda _: False) -> None:
    """Write ``text`` (or bytes, for pictures) to ``path`` atomically.

    An existing file is replaced only when ``ours(its_text)`` says migrator wrote it, or with
    ``force``: nothing the user wrote is lost by accident.
    """
    if path.is_dir():
        raise MigratorError(f"{path} is a folder", hint="give a file name, e.g. -o graph.json")
    if path.exists() and not force:
        try:
            existing = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            existing = ""
        if not ours(existing):
            raise WouldOverwrite(
                f"{path} exists and was not written by migrator, or was edited since",
                hint="choose another path or pass --force to replace it",
            )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_UMASK
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            stream.write(text.encode("utf-8") if isinstance(text, str) else text)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except OSError as exc:
        raise MigratorError(f"cannot write {path}: {exc.strerror or exc}", hint="check the folder exists and is writable") from None


_DIGEST = re.compile(r"^# migrator-digest: ([0-9a-f]{16})\n", re.MULTILINE)


def stamp(text: str) -> str:
    """Put a digest line on top of a text file we write, to tell later whether a person edited it."""
    return f"# migrator-digest: {_digest(text)}\n{text}"


def is_unedited(existing: str) -> bool:
    """True for a file migrator stamped and nobody changed since."""
    match = _DIGEST.match(existing)
    return bool(match) and match.group(1) == _digest(existing[match.end() :])


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


# -- whole trees (the generated system) ---------------------------------------------------------

MANIFEST = ".migrator/manifest.json"
"""What migrator last wrote under a folder, file by file, as content digests."""


@dataclass(frozen=True)
class TreeChanges:
    """What writing a tree did (or, in a dry run, would do)."""

    created: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    conflicts: tuple[str, ...] = ()
    """Files that exist but were not written by migrator, or were edited since."""
    stale: tuple[str, ...] = ()
    """Files migrator wrote before that the new tree no longer has (left in place)."""


def plan_tree(out: Path, files: Mapping[str, str]) -> TreeChanges:
    """Compare ``files`` ({relative path: text}) with what is under ``out`` now."""
    manifest = _read_manifest(out)
    created, updated, unchanged, conflicts = [], [], [], []
    for relpath in sorted(files):
        target = _inside(out, relpath)
        if not target.exists():
            created.append(relpath)
            continue
        current = _file_digest(target)
        if current == _digest(files[relpath]):
            unchanged.append(relpath)
        elif manifest.get(relpath) == current:
            updated.append(relpath)
        else:
            conflicts.append(relpath)
    stale = sorted(p for p in manifest if p not in files and (out / p).exists())
    return TreeChanges(tuple(created), tuple(updated), tuple(unchanged), tuple(conflicts), tuple(stale))


def write_tree(out: Path, files: Mapping[str, str], *, force: bool = False, dry_run: bool = False) -> TreeChanges:
    """Write a generated tree under ``out``: each file atomically, the manifest last.

    Nothing is written when a file in the way was written or edited by a person, unless
    ``force``; ``dry_run`` only tells what would happen.
    """
    changes = plan_tree(out, files)
    if changes.conflicts and not force:
        listed = ", ".join(changes.conflicts[:5]) + (f" and {len(changes.conflicts) - 5} more" if len(changes.conflicts) > 5 else "")
        raise WouldOverwrite(
            f"{out}: {len(changes.conflicts)} files were edited or not written by migrator: {listed}",
            hint="move your edits elsewhere, or pass --force to replace them (--dry-run shows what would change)",
        )
    if dry_run:
        return changes
    manifest = _read_manifest(out)
    for relpath in (*changes.created, *changes.updated, *changes.conflicts):
        write_output(_inside(out, relpath), files[relpath], force=True)
    manifest.update({relpath: _digest(files[relpath]) for relpath in files})
    write_output(out / MANIFEST, json.dumps(dict(sorted(manifest.items())), indent=1) + "\n", force=True)
    return changes


def _inside(out: Path, relpath: str) -> Path:
    """``out / relpath``, refusing a path that would leave ``out`` (a generator bug, never data)."""
    parts = Path(relpath).parts
    if not relpath or Path(relpath).is_absolute() or ".." in parts:
        raise MigratorError(f"refusing to write {relpath!r} outside {out}", hint="this is a bug in a generator: please report it")
    return out.joinpath(*parts)


def _read_manifest(out: Path) -> dict[str, str]:
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _file_digest(path: Path) -> str:
    try:
        return _digest(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return ""
