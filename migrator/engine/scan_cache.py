"""The per-file cache of the scan: what each file's scan made, kept for the next run.

Results are kept per file, keyed by the hash of its content, its module name and the analyzers'
versions (and the code of the analyzers and the engine), so a warm run re-parses only what
changed (a moved file changes its module name and is scanned again; a deleted file drops out).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import mmap
import os
import pickle
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import analyzers as analyzer_package
from analyzers.base import IMPORT_STATEMENTS, Analyzer, Skipped, SourceFile

CACHE_FORMAT = 3
"""Bumped when what the cache holds changes shape; 3: its classes moved to ``migrator.engine``."""

INTERFACE = "interface"
"""The digest of what other modules can see of a module's summary (``interface_digest``)."""
VIEWS = frozenset({INTERFACE, IMPORT_STATEMENTS})
"""Digests of a part of the summary: they have no bytes of their own to keep."""
SOURCE = "source"
"""The file's bytes, kept so that the next run can tell which of its lines an edit moved."""


@dataclass
class ScannedFile:
    """A scanned file as the link sees it: each part (the summary, each analyzer's facts) is
    kept pickled, with a digest, and unpickled on first use; cached parts stay in the pack."""

    file: SourceFile
    digest: str
    lines: int
    digests: dict[str, str]
    """Part -> digest of its pickle (plus the ``VIEWS`` of the summary); equal digests mean equal parts."""
    blobs: dict[str, bytes] = field(default_factory=dict)
    """Parts scanned in this run, pickled."""
    places: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Parts kept in the pack: part -> (offset, length)."""
    reused: bool = False


def part_digest(data: bytes) -> str:
    """The digest of a part's pickle (``ScannedFile.digests``)."""
    return hashlib.blake2b(data, digest_size=12).hexdigest()


def content_digest(data: bytes) -> str:
    """The digest a file's content is cached by (``ScannedFile.digest``)."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def cache_key(analyzers: Sequence[Analyzer]) -> str:
    """Cached facts are reused only by the same analyzers, at the same versions, from the same
    code (a digest of the analyzers' and the engine's sources, so an edited analyzer never reads
    stale facts)."""
    versions = ",".join(f"{a.name}={a.version}" for a in analyzers)
    return f"{CACHE_FORMAT}:{versions}:{_code_digest()}"


@functools.cache
def _code_digest() -> str:
    digest = hashlib.blake2b(digest_size=8)
    for package in (Path(analyzer_package.__file__).parent, Path(__file__).parent):
        for path in sorted(package.rglob("*.py")):
            digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class CachedSkip:
    """A file that could not be parsed, remembered so that it is not parsed again unchanged."""

    file: SourceFile
    digest: str
    skipped: Skipped


class DamagedCache(Exception):
    """A cached part does not match its digest: the cache folder should be dropped."""

    def __init__(self, folder: Path | None) -> None:
        super().__init__(f"the cache in {folder} is damaged")
        self.folder = folder


class ScanCache:
    """The per-file cache in a folder: an index (one small pickle) and a pack of parts.

    The index maps each file's path to its ``ScannedFile`` (without blobs) or ``CachedSkip``;
    the pack holds the parts' pickles end to end. A warm run reads the index and only the parts
    the link asks for (the pack is memory-mapped). New parts are appended to the pack and a new
    index replaces the old one atomically, so a reader never sees offsets into missing bytes;
    when most of the pack is dead, it is rewritten under a new name.
    """

    INDEX = "index.pickle"

    def __init__(self, folder: Path | None, key: str) -> None:
        self.folder = folder
        self.key = key
        self.entries: dict[str, ScannedFile | CachedSkip] = {}
        self.pack_name: str | None = None
        self._pack: mmap.mmap | bytes = b""
        if folder is not None:
            self._load()

    def _load(self) -> None:
        assert self.folder is not None
        try:
            with (self.folder / self.INDEX).open("rb") as handle:
                stored_key, pack_name, entries = pickle.load(handle)
            if stored_key != self.key:
                return
            with (self.folder / pack_name).open("rb") as handle:
                self._pack = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) if os.fstat(handle.fileno()).st_size else b""
        except Exception:  # a cache from another version or a torn write: start afresh
            return
        self.pack_name, self.entries = pack_name, entries

    def blob(self, scanned: ScannedFile, part: str) -> bytes:
        found = scanned.blobs.get(part)
        if found is not None:
            return found
        offset, length = scanned.places[part]
        data = self._pack[offset : offset + length]
        if (content_digest(data) if part == SOURCE else part_digest(data)) != scanned.digests[part]:
            raise DamagedCache(self.folder)
        return data

    def holds(self, scanned: ScannedFile, part: str, needle: bytes) -> bool:
        found = scanned.blobs.get(part)
        if found is not None:
            return needle in found
        if part not in scanned.places:
            return True
        offset, length = scanned.places[part]
        return self._pack.find(needle, offset, offset + length) >= 0

    def save(self, kept: dict[str, ScannedFile | CachedSkip]) -> None:
        """Keep ``kept`` for the next run: new parts appended to the pack, a new index."""
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        live = sum(length for e in kept.values() if isinstance(e, ScannedFile) for _, length in e.places.values())
        fresh = sum(len(b) for e in kept.values() if isinstance(e, ScannedFile) for b in e.blobs.values())
        size = len(self._pack)
        rewrite = self.pack_name is None or size + fresh > 2 * (live + fresh) + (1 << 20)
        name = f"pack-{os.getpid()}-{time.time_ns()}.bin" if rewrite else self.pack_name
        assert name is not None
        stored: dict[str, ScannedFile | CachedSkip] = {}
        with (self.folder / name).open("wb" if rewrite else "ab") as out:
            offset = 0 if rewrite else size
            for relpath, entry in kept.items():
                if isinstance(entry, CachedSkip):
                    stored[relpath] = entry
                    continue
                places = {}
                for part in entry.digests:
                    if part in VIEWS:
                        continue
                    if rewrite or part in entry.blobs:
                        data = self.blob(entry, part)
                        out.write(data)
                        places[part] = (offset, len(data))
                        offset += len(data)
                    else:
                        places[part] = entry.places[part]
                stored[relpath] = ScannedFile(entry.file, entry.digest, entry.lines, entry.digests, places=places)
        temporary = self.folder / f"{self.INDEX}.{os.getpid()}.tmp"
        with temporary.open("wb") as handle:
            pickle.dump((self.key, name, stored), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, self.folder / self.INDEX)
        if rewrite:
            for old in self.folder.glob("pack-*.bin"):
                if old.name != name:
                    with contextlib.suppress(OSError):  # still mapped by another run
                        old.unlink(missing_ok=True)
