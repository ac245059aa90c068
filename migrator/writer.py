"""The one adapter that puts files on disk: atomic, and never over a file the user wrote."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

from migrator.errors import MigratorError


_UMASK = os.umask(0)
os.umask(_UMASK)


class WouldOverwrite(MigratorError):
    """The target exists and was not written by migrator (or was edited since)."""


def write_output(path: Path, text: str, *, force: bool = False, ours: Callable[[str], bool] = lambda _: False) -> None:
    """Write ``text`` to ``path`` atomically.

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
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
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
