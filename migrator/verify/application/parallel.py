"""A few blocking steps at once (each waits on a process of its own), their results in the order
of their inputs; a Ctrl-C stops waiting at once, the processes still going ended by the run's
supervisor as it stops everything."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import TypeVar

In = TypeVar("In")
Out = TypeVar("Out")


def in_parallel(items: Sequence[In], step: Callable[[In], Out], *, workers: int, done: Callable[[int], None] | None = None) -> list[Out]:
    """``step`` of each item, ``workers`` at once (one: in order, in this thread); ``done(count)``
    after each one ends, in this thread."""
    if workers <= 1:
        results = []
        for count, item in enumerate(items, start=1):
            results.append(step(item))
            if done:
                done(count)
        return results
    pool = ThreadPoolExecutor(max_workers=workers)
    try:
        futures = [pool.submit(step, item) for item in items]
        for count, _ in enumerate(as_completed(futures), start=1):
            if done:
                done(count)
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return [future.result() for future in futures]
