"""The modules' rewrites of ``migrator generate`` (``generators/service/rewrites.py``) spread over
a process pool and kept between runs.

A run first looks up each module's mentions (by its name, form and text) and the texts its
rewrites gave last time (by ``carry_key`` and ``variant_key``, which digest exactly what each
depends on); only what is missing goes to the workers, the module parsed there once. After a
one-service edit of decomposition.yaml only the copies whose owner, foreign keys or remote calls
changed are made again. The outcome is the same as ``rewrite_here``'s, which the tests compare.

The cache is one pickle, ``$XDG_CACHE_HOME/migrator/<folder>-<hash>/generate/rewrites.pickle``,
holding what the last run used; it is trusted only by the same code (``CACHE_FORMAT``, a digest
of the rewriting code, libcst's version) and dropped when it cannot be read.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import generators.carry
import generators.service.code
import generators.service.rewrites
import generators.splice
from migrator.pipeline import caches
from generators.service.rewrites import (
    AS_CARRIED, Context, Mentions, ModuleJob, ModuleResult, Rewrite, carry_key, relevant, run_job, source_key, variant_key, with_mentions,
)

CACHE_FORMAT = 1
"""Bump when what the cache holds changes shape."""
PARALLEL_BYTES = 400_000
"""Below this much source to rewrite, a process pool costs more than it saves."""
FILE = "rewrites.pickle"


@dataclass
class Kept:
    """What the cache holds: mentions by ``source_key``, rewritten texts by ``carry_key`` or ``variant_key``."""

    mentions: dict[str, Mentions] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)


def pooled_rewrite(cache_dir: Path | None, *, workers: int = 0) -> PooledRewrite:
    """A ``Rewrite`` that keeps results under ``cache_dir`` (None: nothing kept) and runs what is
    missing on ``workers`` processes (0: one per core; 1: in this process)."""
    return PooledRewrite(cache_dir, workers or os.cpu_count() or 1)


class PooledRewrite:
    """A ``Rewrite`` that may be called several times in a run (the modules, the other Python
    files); ``save`` then keeps what the whole run used, and only that."""

    def __init__(self, cache_dir: Path | None, workers: int) -> None:
        self.cache_dir, self.workers = cache_dir, workers
        self._loaded: Kept | None = None
        self._used = Kept()

    def __call__(self, context: Context, jobs: Sequence[ModuleJob]) -> list[ModuleResult]:
        if self._loaded is None:
            self._loaded = _load(self.cache_dir)
        known = Kept({**self._loaded.mentions, **self._used.mentions}, {**self._loaded.texts, **self._used.texts})
        found: dict[int, ModuleResult] = {}
        todo: list[tuple[int, ModuleJob]] = []
        for index, job in enumerate(jobs):
            result, missing = _lookup(job, context, known, self._used)
            if missing is None:
                found[index] = result
            else:
                todo.append((index, missing))
        for (index, job), result in zip(todo, _run([job for _, job in todo], context, self.workers)):
            _keep(jobs[index], result, context, self._used)
            found[index] = _merged(jobs[index], result, context, self._used)
        return [found[index] for index in range(len(jobs))]

    def save(self) -> None:
        """Keep what the run used (nothing when it is what the cache holds already)."""
        loaded = self._loaded or Kept()
        if self.cache_dir is not None and (self._used.mentions != loaded.mentions or self._used.texts != loaded.texts):
            _save(self.cache_dir, self._used)
            self._loaded = Kept(dict(self._used.mentions), dict(self._used.texts))


def _lookup(job: ModuleJob, context: Context, kept: Kept, used: Kept) -> tuple[ModuleResult, ModuleJob | None]:
    """The job's result from the cache, or the job that makes what the cache lacks (its mentions
    known, only the variants missing)."""
    mentions = kept.mentions.get(source_key(job))
    if mentions is None:
        return ModuleResult(Mentions(0), None), job
    used.mentions[source_key(job)] = mentions
    carried_key = carry_key(job, mentions, context)
    if carried_key is not None and carried_key not in kept.texts:
        return ModuleResult(mentions, None), with_mentions(job, mentions)
    texts, missing = {}, []
    for variant in job.variants:
        spec = relevant(variant, mentions, job.source, context)
        key = variant_key(job, mentions, context, spec) if spec != AS_CARRIED else None
        if key is None or spec in texts:
            continue
        if key in kept.texts:
            texts[spec] = used.texts[key] = kept.texts[key]
        else:
            missing.append(variant)
    carried = None
    if carried_key is not None:
        carried = used.texts[carried_key] = kept.texts[carried_key]
    result = ModuleResult(mentions, None if carried == job.source else carried, texts)
    return result, (with_mentions(job, mentions, missing) if missing else None)


def _keep(job: ModuleJob, result: ModuleResult, context: Context, used: Kept) -> None:
    used.mentions[source_key(job)] = result.mentions
    carried_key = carry_key(job, result.mentions, context)
    if carried_key is not None:
        used.texts[carried_key] = job.source if result.carried is None else result.carried
    for spec, text in result.texts.items():
        used.texts[variant_key(job, result.mentions, context, spec)] = text


def _merged(job: ModuleJob, computed: ModuleResult, context: Context, used: Kept) -> ModuleResult:
    """The computed result with the variants the cache gave (a job sent with only the missing ones)."""
    texts = dict(computed.texts)
    for variant in job.variants:
        spec = relevant(variant, computed.mentions, job.source, context)
        if spec != AS_CARRIED and spec not in texts:
            texts[spec] = used.texts[variant_key(job, computed.mentions, context, spec)]
    return ModuleResult(computed.mentions, computed.carried, texts)


def _run(jobs: list[ModuleJob], context: Context, workers: int) -> list[ModuleResult]:
    """Each job's result, in order: on a process pool when there is enough to do."""
    if workers == 1 or sum(len(job.source) for job in jobs) < PARALLEL_BYTES:
        return [run_job(job, context) for job in jobs]
    # big modules first, dealt round-robin, so batches cost about the same
    order = sorted(range(len(jobs)), key=lambda i: len(jobs[i].source), reverse=True)
    batch_count = workers * 4
    batches = [order[i::batch_count] for i in range(batch_count)]
    results: dict[int, ModuleResult] = {}
    with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(context,)) as pool:
        for batch, done in zip(batches, pool.map(_run_batch, [[jobs[i] for i in batch] for batch in batches])):
            results.update(zip(batch, done))
    return [results[index] for index in range(len(jobs))]


_CONTEXT: Context | None = None


def _init_worker(context: Context) -> None:
    global _CONTEXT
    _CONTEXT = context


def _run_batch(jobs: list[ModuleJob]) -> list[ModuleResult]:
    assert _CONTEXT is not None, "the worker was not given the context"
    return [run_job(job, _CONTEXT) for job in jobs]


# -- the cache on disk ------------------------------------------------------------------------------


@functools.cache
def cache_key() -> str:
    """Kept texts are reused only by the same rewriting code (and the same libcst)."""
    digest = hashlib.blake2b(digest_size=12)
    for module in (generators.carry, generators.service.code, generators.service.rewrites, generators.splice):
        digest.update(Path(str(module.__file__)).read_bytes())
    digest.update(_libcst_version().encode())
    return f"{CACHE_FORMAT}:{digest.hexdigest()}"


def _libcst_version() -> str:
    """libcst's version, from the module its build wrote (``importlib.metadata`` reads every
    distribution's metadata on the path to find it: 0.017 s of a warm run), else from its metadata."""
    try:
        version = importlib.import_module("libcst._version").__version__
    except (ImportError, AttributeError):
        version = None
    return str(version) if version else metadata.version("libcst")


def _load(cache_dir: Path | None) -> Kept:
    return caches.load(cache_dir / FILE if cache_dir is not None else None, cache_key(), Kept, Kept())


def _save(cache_dir: Path, used: Kept) -> None:
    caches.save(cache_dir / FILE, cache_key(), used)
