"""What ``migrator generate`` keeps between runs under ``$XDG_CACHE_HOME/migrator/<folder>-<hash>/generate/``:
pickles trusted only by the code that made them (a key stored with each), replaced atomically, and
made again when they cannot be read. Losing one only makes the next run slower."""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any, TypeVar

import yaml

import generators.deploy.text
from migrator.writer import TreeStats

T = TypeVar("T")
DOCUMENTS = "documents.pickle"
DOCUMENTS_FORMAT = 1


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


@functools.cache
def documents_key() -> str:
    """YAML texts are reused only by the same dumping code and PyYAML."""
    digest = hashlib.blake2b(Path(str(generators.deploy.text.__file__)).read_bytes(), digest_size=12)
    return f"{DOCUMENTS_FORMAT}:{yaml.__version__}:{digest.hexdigest()}"


def load_documents(cache_dir: Path | None) -> dict[str, str]:
    """The YAML texts of the last run, by ``generators.deploy.text.document_key``."""
    return load(cache_dir / DOCUMENTS if cache_dir else None, documents_key(), dict, {})


def save_documents(cache_dir: Path | None, used: dict[str, str], loaded: dict[str, str]) -> None:
    """Keep the texts this run used (nothing to do when they are what was kept)."""
    if cache_dir is not None and used != loaded:
        save(cache_dir / DOCUMENTS, documents_key(), used)


TREE_STATS_FORMAT = "tree-stats:1"


def tree_stats_path(cache_dir: Path, out: Path) -> Path:
    """Where the writer's stats of the tree at ``out`` are kept (one file per OUT folder)."""
    return cache_dir / f"tree-{hashlib.blake2b(str(out.resolve()).encode(), digest_size=8).hexdigest()}.pickle"


def load_tree_stats(cache_dir: Path, out: Path) -> TreeStats:
    """What the writer noted of the files it wrote at ``out`` last time (nothing: every file is read)."""
    return load(tree_stats_path(cache_dir, out), TREE_STATS_FORMAT, TreeStats, TreeStats())


def save_tree_stats(cache_dir: Path, out: Path, stats: TreeStats) -> None:
    save(tree_stats_path(cache_dir, out), TREE_STATS_FORMAT, stats)
