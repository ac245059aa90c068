"""Per-request context shared by the runtime's parts: the correlation id passed along every call."""

from __future__ import annotations

import uuid
from contextvars import ContextVar

REQUEST_ID_HEADER = "X-Request-ID"
request_id: ContextVar[str | None] = ContextVar("request_id", default=None)


def current_request_id() -> str:
    return request_id.get() or uuid.uuid4().hex
