"""The event runtime (``events``: outbox, relay, consumers, read models) in a WSGI process: its
asyncio loop runs in a thread of its own, started in the process that serves (gunicorn's worker),
and each request settles the events it wrote before its answer goes back."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any

from .events import EventRuntime

SETTLE_TIMEOUT = 30.0


class BackgroundEvents:
    def __init__(self, events: EventRuntime) -> None:
        self.events = events
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, name="migrator-events", daemon=True).start()
        events.install()
        self._run(events.start())

    def _run(self, work: Coroutine[Any, Any, Any], timeout: float | None = None) -> Any:
        return asyncio.run_coroutine_threadsafe(work, self.loop).result(timeout)

    def settle(self, written: list[str], skip: frozenset[str] = frozenset()) -> None:
        """Publish what a request wrote to the outbox, and wait (bounded) for its consumers (but ``skip``)."""
        if written:
            self._run(self.events.settle(written, skip), timeout=SETTLE_TIMEOUT + self.events.consistency_timeout)

    def receive_writes(self, body: bytes) -> tuple[int, dict[str, Any]]:
        """``POST /internal/rows``: another service's writes of this one's tables applied, their
        readers waited for (``EventRuntime.receive_writes``)."""
        status, document, written, skip = self.events.receive_writes(body)
        self.settle(written, skip)
        return status, document

    def bus_answers(self) -> bool:
        bus = self.events.bus
        return bus is None or bool(self._run(bus.ping(), timeout=5))
