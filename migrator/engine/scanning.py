"""The scan phase: read, decode and parse every file once, run each analyzer's ``scan``.

Files are spread over a process pool; what each file's scan made is kept per file
(``scan_cache``), so a warm run re-parses only what changed.
"""

from __future__ import annotations

import ast
import gc
import io
import os
import pickle
import tokenize
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analyzers.base import IMPORT_STATEMENTS, SUMMARY, Analyzer, ParsedModule, Skipped, SourceFile
from analyzers.names import imports_digest, interface_digest, summarize
from migrator.engine.scan_cache import INTERFACE, SOURCE, CachedSkip, ScanCache, ScannedFile, cache_key, content_digest, part_digest
from migrator.model.progress import Progress

PARALLEL_THRESHOLD = 64
"""Below this many files to scan, a process pool costs more than it saves."""


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
    digests = {name: part_digest(blob) for name, blob in blobs.items()}
    digests[INTERFACE] = interface_digest(summary)
    digests[IMPORT_STATEMENTS] = imports_digest(summary)
    return ScannedFile(parsed.file, digest, parsed.source.count("\n") + 1, digests, blobs)


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


class ModuleParts(Mapping[str, Any]):
    """One part (the summary, or an analyzer's facts) of every scanned file, by module name,
    unpickled on first use: a warm run that relinks one module reads only what it resolves."""

    def __init__(self, outcome: ScanOutcome, by_module: dict[str, ScannedFile], part: str) -> None:
        self._outcome = outcome
        self._by_module = by_module
        self._part = part
        self._loaded: dict[str, Any] = {}

    def __getitem__(self, module: str) -> Any:
        try:
            return self._loaded[module]
        except KeyError:
            value = self._loaded[module] = self._outcome.load(self._by_module[module], self._part)
            return value

    def __contains__(self, module: object) -> bool:
        return module in self._by_module

    def load_all(self) -> None:
        """Unpickle every module's part now (before a fork: else both processes would)."""
        for module in self._by_module:
            self[module]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_module)

    def __len__(self) -> int:
        return len(self._by_module)


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
    found = _sort_out(files, cache.entries, max_bytes)
    reused, total = len(found.kept), len(files)
    if progress:
        progress("scan", reused, total)
    outcome = ScanOutcome(found.scans, found.skipped, reused, cache, unparsed=found.unparsed)
    scanned = _run(found.todo, analyzers, workers, max_bytes, lambda done: progress and progress("scan", reused + done, total))
    _take_scanned(scanned, found, outcome)
    if found.todo or len(cache.entries) != len(found.kept):
        outcome.unsaved = found.kept
    if save:
        outcome.save_cache()
    found.scans.sort(key=lambda s: s.file.relpath)
    found.skipped.sort(key=lambda s: s.relpath)
    return outcome


@dataclass
class _Found:
    """The files of a run against the cache: those it still holds, and those to scan."""

    scans: list[ScannedFile] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    todo: list[Todo] = field(default_factory=list)
    kept: dict[str, ScannedFile | CachedSkip] = field(default_factory=dict)
    """What the cache is to keep: by path, each file's scan or the reason it was skipped."""
    unparsed: dict[str, str] = field(default_factory=dict)


def _sort_out(files: Sequence[SourceFile], cached: Mapping[str, ScannedFile | CachedSkip], max_bytes: int) -> _Found:
    """Which files the cache holds as they are (by content and module name), and which to scan."""
    found = _Found()
    for file in files:
        if not cached:  # nothing to compare with: the workers read the files, side by side
            found.todo.append((file, None, None))
            continue
        data = read_source(file, max_bytes)
        if isinstance(data, Skipped):
            found.skipped.append(data)
            continue
        digest = content_digest(data)
        hit = cached.get(file.relpath)
        if hit is not None and hit.digest == digest and hit.file == file:
            found.kept[file.relpath] = hit
            if isinstance(hit, CachedSkip):
                found.skipped.append(hit.skipped)
                found.unparsed[file.relpath] = digest
            else:
                hit.reused = True
                found.scans.append(hit)
        else:
            found.todo.append((file, data, digest))
    return found


def _take_scanned(scanned: list[Scanned], found: _Found, outcome: ScanOutcome) -> None:
    """The files just scanned, in ``found`` beside those kept; where a file was cached before,
    its previous entry is kept in ``outcome`` for comparison, and its unchanged parts too."""
    cached = outcome.cache.entries
    digests = {file.relpath: digest for file, _, digest in found.todo}
    files_by_path = {file.relpath: file for file, _, _ in found.todo}
    sources = {file.relpath: data for file, data, _ in found.todo}
    for result, digest, data in scanned:
        relpath = result.relpath if isinstance(result, Skipped) else result.file.relpath
        if digest is not None:  # read by the worker
            digests[relpath], sources[relpath] = digest, data
        if isinstance(result, Skipped):
            found.skipped.append(result)
            if digests.get(relpath) is not None:  # read, but not parsed
                found.kept[relpath] = CachedSkip(files_by_path[relpath], digests[relpath], result)
                found.unparsed[relpath] = digests[relpath]
            continue
        result.blobs[SOURCE] = sources[relpath]
        result.digests[SOURCE] = result.digest
        old = cached.get(result.file.relpath)
        if isinstance(old, ScannedFile) and old.file == result.file:
            _keep_equal_parts(result, old, outcome)
            outcome.previous[result.file.relpath] = old
        found.scans.append(result)
        found.kept[result.file.relpath] = result


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

