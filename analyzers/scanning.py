"""The scan phase: read, decode and parse every file once, run each analyzer's ``scan``.

Files are spread over a process pool; results are cached per file, keyed by the hash of its
content, its module name and the analyzers' versions, so a warm run re-parses only what
changed (a moved file changes its module name and is scanned again; a deleted file drops out).
"""

from __future__ import annotations

import ast
import functools
import hashlib
import io
import os
import pickle
import tokenize
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analyzers.base import Analyzer, ParsedModule, Skipped, SourceFile
from analyzers.names import ModuleSummary, summarize

CACHE_FORMAT = 1
PARALLEL_THRESHOLD = 64
"""Below this many files to scan, a process pool costs more than it saves."""

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class FileScan:
    """Everything the scan phase learnt about one file."""

    file: SourceFile
    digest: str
    lines: int
    summary: ModuleSummary
    facts: dict[str, Any]


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


def scan_parsed(parsed: ParsedModule, digest: str, analyzers: Sequence[Analyzer]) -> FileScan | Skipped:
    facts: dict[str, Any] = {}
    try:
        summary = summarize(parsed)
        for analyzer in analyzers:
            facts[analyzer.name] = analyzer.scan(parsed)
    except RecursionError:
        return Skipped(parsed.file.relpath, "nested too deeply to analyse")
    return FileScan(parsed.file, digest, parsed.source.count("\n") + 1, summary, facts)


# -- worker side ------------------------------------------------------------------------------

_WORKER_ANALYZERS: Sequence[Analyzer] = ()


def _init_worker(analyzers: Sequence[Analyzer]) -> None:
    global _WORKER_ANALYZERS
    _WORKER_ANALYZERS = analyzers


def _scan_batch(batch: list[tuple[SourceFile, bytes, str]]) -> list[FileScan | Skipped]:
    results: list[FileScan | Skipped] = []
    for file, data, digest in batch:
        parsed = parse(file, data)
        results.append(parsed if isinstance(parsed, Skipped) else scan_parsed(parsed, digest, _WORKER_ANALYZERS))
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


def load_cache(path: Path | None, key: str) -> dict[str, FileScan | CachedSkip]:
    if path is None or not path.is_file():
        return {}
    try:
        with path.open("rb") as handle:
            stored_key, entries = pickle.load(handle)
    except Exception:  # a cache from another version or a torn write: start afresh
        return {}
    return entries if stored_key == key else {}


def save_cache(path: Path | None, key: str, entries: dict[str, FileScan | CachedSkip]) -> None:
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    with temporary.open("wb") as handle:
        pickle.dump((key, entries), handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, path)


# -- the phase --------------------------------------------------------------------------------


@dataclass
class ScanOutcome:
    scans: list[FileScan]
    skipped: list[Skipped]
    reused: int


def scan_files(
    files: Sequence[SourceFile],
    analyzers: Sequence[Analyzer],
    *,
    max_bytes: int,
    workers: int = 0,
    cache_file: Path | None = None,
    progress: Progress | None = None,
) -> ScanOutcome:
    """Scan ``files``, reusing cached results whose content, module and analyzers are unchanged."""
    key = cache_key(analyzers)
    cached = load_cache(cache_file, key)
    scans: list[FileScan] = []
    skipped: list[Skipped] = []
    todo: list[tuple[SourceFile, bytes, str]] = []
    kept: dict[str, FileScan | CachedSkip] = {}
    for file in files:
        data = read_source(file, max_bytes)
        if isinstance(data, Skipped):
            skipped.append(data)
            continue
        digest = hashlib.blake2b(data, digest_size=16).hexdigest()
        hit = cached.get(file.relpath)
        if hit is not None and hit.digest == digest and hit.file == file:
            kept[file.relpath] = hit
            if isinstance(hit, CachedSkip):
                skipped.append(hit.skipped)
            else:
                scans.append(hit)
        else:
            todo.append((file, data, digest))
    reused = len(kept)
    total = len(files)
    if progress:
        progress("scan", reused, total)
    digests = {file.relpath: digest for file, _, digest in todo}
    files_by_path = {file.relpath: file for file, _, _ in todo}
    for result in _run(todo, analyzers, workers, lambda done: progress and progress("scan", reused + done, total)):
        if isinstance(result, Skipped):
            skipped.append(result)
            if result.relpath in digests:
                kept[result.relpath] = CachedSkip(files_by_path[result.relpath], digests[result.relpath], result)
        else:
            scans.append(result)
            kept[result.file.relpath] = result
    if todo or len(cached) != len(kept):
        save_cache(cache_file, key, kept)
    scans.sort(key=lambda s: s.file.relpath)
    skipped.sort(key=lambda s: s.relpath)
    return ScanOutcome(scans, skipped, reused)


def _run(
    todo: list[tuple[SourceFile, bytes, str]],
    analyzers: Sequence[Analyzer],
    workers: int,
    advance: Callable[[int], Any],
) -> list[FileScan | Skipped]:
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(todo) < PARALLEL_THRESHOLD:
        _init_worker(analyzers)
        results = []
        for index in range(0, len(todo), 50):
            results.extend(_scan_batch(todo[index : index + 50]))
            advance(len(results))
        return results
    # big files first, dealt round-robin, so batches cost about the same
    ordered = sorted(todo, key=lambda item: len(item[1]), reverse=True)
    batch_count = workers * 8
    batches = [ordered[i::batch_count] for i in range(batch_count)]
    results: list[FileScan | Skipped] = []
    with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(tuple(analyzers),)) as pool:
        for batch_result in pool.map(_scan_batch, batches):
            results.extend(batch_result)
            advance(len(results))
    return results
