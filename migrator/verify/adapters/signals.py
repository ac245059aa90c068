"""How Ctrl-C and SIGTERM reach a run: never between starting a child and remembering it, never
while stopping the children, and SIGTERM as an interrupt, so that ``finally`` blocks still run.

Signal handlers belong to the main thread; elsewhere (a test's thread) these change nothing."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from typing import Any

_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Ctrl-C (or SIGTERM) inside is raised as KeyboardInterrupt when the block is done."""
    if not _in_main_thread():
        yield
        return
    received: list[int] = []
    previous = {signum: signal.signal(signum, lambda number, frame: received.append(number)) for signum in _STOP_SIGNALS}
    try:
        yield
    finally:
        _restore(previous)
    if received:
        raise KeyboardInterrupt


@contextlib.contextmanager
def ignoring_interrupts() -> Iterator[None]:
    """A second Ctrl-C (or a SIGTERM) while stopping must not leave the rest running."""
    if not _in_main_thread():
        yield
        return
    previous = {signum: signal.signal(signum, signal.SIG_IGN) for signum in _STOP_SIGNALS}
    try:
        yield
    finally:
        _restore(previous)


@contextlib.contextmanager
def stop_signals_interrupt() -> Iterator[None]:
    """While inside, SIGINT and SIGTERM raise KeyboardInterrupt, so ``finally`` blocks still stop
    children: SIGINT too where we were started with it ignored, as a non-interactive shell starts a
    job in the background (``migrator verify --keep-running &``), which Python then leaves ignored:
    ``kill -INT`` is the way to stop such a run, as Ctrl-C is in a terminal."""
    if not _in_main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = {signal.SIGINT: signal.signal(signal.SIGINT, signal.default_int_handler), signal.SIGTERM: signal.signal(signal.SIGTERM, interrupt)}
    try:
        yield
    finally:
        _restore(previous)


def _restore(previous: dict[signal.Signals, Any]) -> None:
    for signum, handler in previous.items():
        signal.signal(signum, handler)
