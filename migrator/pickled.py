"""Values kept between runs as pickles: trusted only by the code that made them (a key stored with
each), replaced atomically, and made again when they cannot be read. Losing one only makes the
next run slower."""

from __future__ import annotations

import os
import pickle
import tempfile
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


def load(path: Path | None, key: str, expected: type[T], default: T) -> T:
    """The value kept at ``path`` under ``key``; ``default`` when there is none, it is damaged, or other code made it."""
    if path is None:
        return default
    try:
        with path.open("rb") as stream:
            found_key, value = pickle.load(stream)
    except (OSError, EOFError, ValueError, TypeError, AttributeError, ImportError, pickle.UnpicklingError):
        return default
    return value if found_key == key and isinstance(value, expected) else default


def save(path: Path, key: str, value: Any) -> None:
    """Replace what is kept at ``path`` atomically (a reader sees the old or the new); a cache that
    cannot be written is only a slower next run."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            pickle.dump((key, value), stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(name, path)
    except OSError:
        pass
