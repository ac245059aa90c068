"""What ``migrator generate`` keeps between runs under ``$XDG_CACHE_HOME/migrator/<folder>-<hash>/generate/``:
pickles trusted only by the code that made them (a key stored with each), replaced atomically, and
made again when they cannot be read. Losing one only makes the next run slower."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

import yaml

import generators.deploy.text
from migrator.pickled import load, save
from migrator.writer import TreeStats

__all__ = ["load", "save"]  # the pickles' helpers, as the other caches of generate use them
DOCUMENTS = "documents.pickle"
DOCUMENTS_FORMAT = 1


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
