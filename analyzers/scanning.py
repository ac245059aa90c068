"""The scan phase: read, decode and parse every file once, run each analyzer's ``scan``.

Files are spread over a process pool; results are cached per file, keyed by the hash of its
content, its module name and the analyzers' versions, so a warm run re-parses only what
changed (a moved file changes its module name and is scanned again; a deleted file drops out).
"""

from __future__ import annotations

import ast
import contextlib
import functools
import gc
import hashlib
import io
import mmap
import os
import pickle
import time
import tokenize
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analyzers.base import Analyzer, ParsedModule, Skipped, SourceFile
from analyzers.names import imports_digest, interface_digest, summarize
from migrator.model.progress import Progress

CACHE_FORMAT = 2
PARALLEL_THRESHOLD = 64
"""Below this many files to scan, a process pool costs more than it saves."""

SUMMARY = "summary"
INTERFACE = "interface"
"""The digest of what other modules can see of a module's summary (``interface_digest``)."""
IMPORT_STATEMENTS = "import-statements"
"""The digest of a module summary's import statements alone (``imports_digest``)."""
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


def read_source(file: SourceFile, max_bytes: int) -> bytes | Skipped:
    try:
        size = file.path.stat().st_size
        if size > max_bytes:
            return Skipped(file.relpath, f"{size / 1e6:.1f} MB is over the {max_bytes / 1e6:.1f} MB limit (generated code?)")
        return file.path.read_bytes()
    except OSError as exc:
        return Skipped(file.relpath, f"cannot read: {exc.strerror or exc}")


def parse(file: SourceFile, data: bytes) -> ParsedModule | Skipped:
    """Decode with the file's declared encoding and parse; a failure becomes a ``Skipped``."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        source = data.decode(encoding)
    except (SyntaxError, UnicodeDecodeError, LookupError) as exc:
        return Skipped(file.relpath, f"cannot decode: {exc}")
    if "\x00" in source:
        return Skipped(file.relpath, "contains a NUL byte (binary or corrupted file)")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escape sequences in old code
            tree = ast.parse(source, filename=file.relpath)
    except SyntaxError as exc:
        hint = " (Python 2 code?)" if _looks_like_python2(source) else ""
        return Skipped(file.relpath, f"syntax error: {exc.msg}{hint}", exc.lineno)
    except (ValueError, RecursionError, MemoryError) as exc:
        return Skipped(file.relpath, f"cannot parse: {type(exc).__name__}: {exc}")
    return ParsedModule(file, source, tree)


def _looks_like_python2(source: str) -> bool:
    return any(line.lstrip().startswith(("print ", "exec ")) or "except Exception, " in line for line in source.splitlines())


def scan_parsed(parsed: ParsedModule, digest: str, analyzers: Sequence[Analyzer]) -> ScannedFile | Skipped:
    """Summarise a parsed file and run every analyzer's ``scan`` on it; the results pickled."""
    try:
        summary = summarize(parsed)
        parts: dict[str, Any] = {SUMMARY: summary}
        for analyzer in analyzers:
            parts[analyzer.name] = analyzer.scan(parsed)
        blobs = {name: pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL) for name, value in parts.items()}
    except RecursionError:
        return Skipped(parsed.file.relpath, "nested too deeply to analyse")
    digests = {name: _digest(blob) for name, blob in blobs.items()}
    digests[INTERFACE] = interface_digest(summary)
    digests[IMPORT_STATEMENTS] = imports_digest(summary)
    return ScannedFile(parsed.file, digest, parsed.source.count("\n") + 1, digests, blobs)


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=12).hexdigest()


def content_digest(data: bytes) -> str:
    """The digest a file's content is cached by (``ScannedFile.digest``)."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


# -- worker side ------------------------------------------------------------------------------

_WORKER_ANALYZERS: Sequence[Analyzer] = ()
_WORKER_MAX_BYTES = 0

Todo = tuple[SourceFile, "bytes | None", "str | None"]
"""A file to scan, with its bytes and their digest; None, None: the worker reads the file."""
Scanned = tuple["ScannedFile | Skipped", "str | None", "bytes | None"]
"""A file scanned, with the digest and bytes of a file the worker read (else None, None)."""


def _set_work(analyzers: Sequence[Analyzer], max_bytes: int) -> None:
    global _WORKER_ANALYZERS, _WORKER_MAX_BYTES
    _WORKER_ANALYZERS, _WORKER_MAX_BYTES = analyzers, max_bytes


def _init_worker(analyzers: Sequence[Analyzer], max_bytes: int) -> None:
    _set_work(analyzers, max_bytes)
    # Parsing makes hundreds of thousands of objects per file; with the collector on, each
    # batch's results (alive until sent) are traversed again and again, which costs more
    # than the parsing. Trees hold no cycles, so reference counting frees them.
    gc.disable()
    gc.freeze()


def _scan_batch(batch: list[Todo]) -> list[Scanned]:
    gc.collect()  # what the previous batch left in cycles; its results are gone by now
    return _scan_each(batch)


def _scan_each(batch: list[Todo]) -> list[Scanned]:
    results: list[Scanned] = []
    for file, given, digest in batch:
        data = given if given is not None else read_source(file, _WORKER_MAX_BYTES)
        if isinstance(data, Skipped):
            results.append((data, None, None))
            continue
        if digest is None:
            digest = content_digest(data)
        parsed = parse(file, data)
        result = parsed if isinstance(parsed, Skipped) else scan_parsed(parsed, digest, _WORKER_ANALYZERS)
        results.append((result, None, None) if given is not None else (result, digest, data))
    return results


# -- cache ------------------------------------------------------------------------------------


def cache_key(analyzers: Sequence[Analyzer]) -> str:
    """Cached facts are reused only by the same analyzers, at the same versions, from the same
    code (a digest of the analyzers' own sources, so an edited analyzer never reads stale facts)."""
    versions = ",".join(f"{a.name}={a.version}" for a in analyzers)
    return f"{CACHE_FORMAT}:{versions}:{_code_digest()}"


@functools.cache
def _code_digest() -> str:
    digest = hashlib.blake2b(digest_size=8)
    for path in sorted(Path(__file__).parent.rglob("*.py")):
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
        if (content_digest(data) if part == SOURCE else _digest(data)) != scanned.digests[part]:
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


# -- the phase --------------------------------------------------------------------------------


@dataclass
class ScanOutcome:
    """The scanned files (sorted by path), the skipped ones, and where the parts are kept."""

    scans: list[ScannedFile]
    skipped: list[Skipped]
    reused: int
    cache: ScanCache
    previous: dict[str, ScannedFile] = field(default_factory=dict)
    """The previous run's entries of the files scanned again, for comparison."""
    unparsed: dict[str, str] = field(default_factory=dict)
    """Path -> content digest of the files that do not parse."""
    unsaved: dict[str, ScannedFile | CachedSkip] | None = None
    """What the cache is to keep, until ``save_cache``."""

    def save_cache(self) -> None:
        self.cache_saver()()

    def cache_saver(self) -> Callable[[], None]:
        """The save of the cache, taken out of the outcome, to run here or in a forked child."""
        unsaved, self.unsaved = self.unsaved, None
        cache = self.cache
        return (lambda: cache.save(unsaved)) if unsaved is not None else (lambda: None)

    def load(self, scanned: ScannedFile, part: str) -> Any:
        return pickle.loads(self.cache.blob(scanned, part))

    def holds(self, scanned: ScannedFile, part: str, needle: bytes) -> bool:
        """Whether the bytes of ``part`` (a pickle, or the source) hold ``needle``; True when the
        part is not kept, as nothing can be ruled out."""
        return self.cache.holds(scanned, part, needle)

    def source(self, scanned: ScannedFile) -> bytes | None:
        """The file's bytes as scanned (None from a cache that did not keep them)."""
        if SOURCE not in scanned.blobs and SOURCE not in scanned.places:
            return None
        return bytes(self.cache.blob(scanned, SOURCE))


def scan_files(
    files: Sequence[SourceFile],
    analyzers: Sequence[Analyzer],
    *,
    max_bytes: int,
    workers: int = 0,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
    save: bool = True,
) -> ScanOutcome:
    """Scan ``files``, reusing cached results whose content, module and analyzers are unchanged.
    Without ``save``, the caller saves the cache (``ScanOutcome.save_cache``) when it suits it."""
    cache = ScanCache(cache_dir, cache_key(analyzers))
    cached = cache.entries
    scans: list[ScannedFile] = []
    skipped: list[Skipped] = []
    todo: list[Todo] = []
    kept: dict[str, ScannedFile | CachedSkip] = {}
    unparsed: dict[str, str] = {}
    for file in files:
        if not cached:  # nothing to compare with: the workers read the files, side by side
            todo.append((file, None, None))
            continue
        data = read_source(file, max_bytes)
        if isinstance(data, Skipped):
            skipped.append(data)
            continue
        digest = content_digest(data)
        hit = cached.get(file.relpath)
        if hit is not None and hit.digest == digest and hit.file == file:
            kept[file.relpath] = hit
            if isinstance(hit, CachedSkip):
                skipped.append(hit.skipped)
                unparsed[file.relpath] = digest
            else:
                hit.reused = True
                scans.append(hit)
        else:
            todo.append((file, data, digest))
    reused = len(kept)
    total = len(files)
    if progress:
        progress("scan", reused, total)
    digests = {file.relpath: digest for file, _, digest in todo}
    files_by_path = {file.relpath: file for file, _, _ in todo}
    sources = {file.relpath: data for file, data, _ in todo}
    outcome = ScanOutcome(scans, skipped, reused, cache, unparsed=unparsed)
    for result, digest, data in _run(todo, analyzers, workers, max_bytes, lambda done: progress and progress("scan", reused + done, total)):
        relpath = result.relpath if isinstance(result, Skipped) else result.file.relpath
        if digest is not None:  # read by the worker
            digests[relpath], sources[relpath] = digest, data
        if isinstance(result, Skipped):
            skipped.append(result)
            if digests.get(relpath) is not None:  # read, but not parsed
                kept[relpath] = CachedSkip(files_by_path[relpath], digests[relpath], result)
                unparsed[relpath] = digests[relpath]
            continue
        result.blobs[SOURCE] = sources[relpath]
        result.digests[SOURCE] = result.digest
        old = cached.get(result.file.relpath)
        if isinstance(old, ScannedFile) and old.file == result.file:
            _keep_equal_parts(result, old, outcome)
            outcome.previous[result.file.relpath] = old
        scans.append(result)
        kept[result.file.relpath] = result
    if todo or len(cached) != len(kept):
        outcome.unsaved = kept
    if save:
        outcome.save_cache()
    scans.sort(key=lambda s: s.file.relpath)
    skipped.sort(key=lambda s: s.relpath)
    return outcome


def _size(item: Todo) -> int:
    """A file's size, from its bytes, or from the file system for a file the worker reads."""
    if item[1] is not None:
        return len(item[1])
    try:
        return item[0].path.stat().st_size
    except OSError:
        return 0


def _keep_equal_parts(new: ScannedFile, old: ScannedFile, outcome: ScanOutcome) -> None:
    """Where a rescanned file's part equals the cached one (a comment was added), keep the
    cached pickle and digest: a pickle's bytes can differ for equal values (the order of a
    set), and equal digests are what tell the link that nothing changed."""
    for part, blob in list(new.blobs.items()):
        if part not in old.places:
            continue
        if new.digests[part] != old.digests[part] and (part == SOURCE or pickle.loads(blob) != outcome.load(old, part)):
            continue
        new.digests[part] = old.digests[part]
        new.places[part] = old.places[part]
        del new.blobs[part]


def _run(
    todo: list[Todo],
    analyzers: Sequence[Analyzer],
    workers: int,
    max_bytes: int,
    advance: Callable[[int], Any],
) -> list[Scanned]:
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(todo) < PARALLEL_THRESHOLD:
        _set_work(analyzers, max_bytes)
        results = []
        for index in range(0, len(todo), 50):
            results.extend(_scan_each(todo[index : index + 50]))
            advance(len(results))
        return results
    # big files first, dealt round-robin, so batches cost about the same
    ordered = sorted(todo, key=_size, reverse=True)
    batch_count = workers * 8
    batches = [ordered[i::batch_count] for i in range(batch_count)]
    results: list[Scanned] = []
    with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(tuple(analyzers), max_bytes)) as pool:
        for batch_result in pool.map(_scan_batch, batches):
            results.extend(batch_result)
            advance(len(results))
    return results

