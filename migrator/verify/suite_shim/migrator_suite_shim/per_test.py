"""A suite that builds its application per test starts each test on a fresh application: what the
application keeps in memory (a rate limiter's counters) is new. The services live across the
whole suite; each request the suite's clients send names its test (``HEADER``), and a service
seeing a new test resets that state as a new application would have it: Flask-Limiter's counters
(``Limiter.reset``), so that a test's logins are not refused for the earlier tests' attempts."""

from __future__ import annotations

import contextlib
from typing import Any
from urllib.parse import quote

from . import flags

HEADER = "X-Migrator-Test"
_SEEN = [""]


def header() -> list[tuple[str, str]]:
    """In the suite's process: the header naming the running test (none between tests)."""
    return [(HEADER, quote(flags.TEST[0], safe=""))] if flags.TEST[0] else []


def started(app: Any, request: Any) -> None:
    """In a service, as a request starts: a new test, its in-memory state reset."""
    test = request.headers.get(HEADER) or ""
    if not test or test == _SEEN[0]:
        return
    _SEEN[0] = test
    limiters = app.extensions.get("limiter") or ()
    for limiter in limiters if isinstance(limiters, (set, list, tuple)) else (limiters,):
        with contextlib.suppress(Exception):  # a storage that cannot be reset keeps its counters
            limiter.reset()
