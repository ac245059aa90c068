"""Per-request context shared by the runtime's parts: the correlation id passed along every call."""

from __future__ import annotations

import contextlib
import re
import uuid
from collections.abc import Iterator
from contextvars import ContextVar

REQUEST_ID_HEADER = "X-Request-ID"
request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
serving: ContextVar[bool] = ContextVar("serving", default=False)
"""True while the service answers a request or applies an event; False in threads of its own,
such as the monolith's scheduler's."""


written: ContextVar[list[str] | None] = ContextVar("written", default=None)
"""Message ids the current request wrote to the outbox (read-your-writes)."""


@contextlib.contextmanager
def collecting() -> Iterator[list[str]]:
    """Collect the message ids written while the block runs (one request)."""
    ids: list[str] = []
    token = written.set(ids)
    try:
        yield ids
    finally:
        written.reset(token)


def current_request_id() -> str:
    return request_id.get() or uuid.uuid4().hex


def filled_by_owner(name: str, annotation: str) -> str | None:
    """``session`` or ``settings`` for a parameter the owner of a function fills in itself (its own
    database session, its own settings), so that callers in other services never send it; else None.
    The generator (which leaves such parameters out of client calls) and the internal endpoints
    (which fill them in) both go by this rule."""
    if "Session" in annotation or name in ("session", "db_session"):
        return "session"
    if annotation.rsplit(".", 1)[-1] == "Settings":
        return "settings"
    return None


def bus_token(text: str) -> str:
    """One token of a destination on the bus (``order.placed`` -> ``order-placed``), as every broker
    takes it; the AsyncAPI documents name destinations by the same rule."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", text)
