"""Calls to functions other services own: one HTTP POST to the owner's internal endpoint.

Generated client functions keep the signature of the function they replace, so call sites change
only by their import. Timeouts always; retries with jittered backoff only for idempotent calls;
the correlation id goes along; an exception raised by the owner is raised here again.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from typing import Any

import httpx

from .codec import Codec
from .context import REQUEST_ID_HEADER, current_request_id, serving
from .settings import service_url

RETRY_STATUSES = frozenset({502, 503, 504})
ERROR_HEADER = "X-Remote-Error"

logger = logging.getLogger(__name__)
_local = threading.local()
codec = Codec()
timeout_seconds = 10.0
retries = 3


def configure(shared_codec: Codec, *, timeout: float, max_retries: int) -> None:
    global codec, timeout_seconds, retries
    codec, timeout_seconds, retries = shared_codec, timeout, max_retries


def _client() -> httpx.Client:
    client = getattr(_local, "client", None)
    if client is None:
        client = _local.client = httpx.Client(timeout=httpx.Timeout(timeout_seconds, connect=min(2.0, timeout_seconds)))
    return client


def call(service: str, path: str, arguments: dict[str, Any], *, idempotent: bool, scheduled: bool = False) -> Any:
    """Run ``path`` on ``service`` with ``arguments`` and return its result as a value.

    A ``scheduled`` function (a job of the monolith's scheduler) called outside a request or an
    event, that is by this service's copy of the scheduler, is not called: its owner's scheduler
    runs it. None is returned, as a job that did nothing here."""
    if scheduled and not serving.get():
        logger.debug("%s runs on the schedule of %s, not here", path, service)
        return None
    body = {"args": codec.encode(arguments)}
    url = service_url(service) + path
    attempts = 1 + (retries if idempotent else 0)
    for attempt in range(attempts):
        try:
            response = _client().post(url, json=body, headers={REQUEST_ID_HEADER: current_request_id()})
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.ReadTimeout) as exc:
            if attempt + 1 >= attempts:
                raise RemoteUnavailable(f"{service} did not answer {path}: {exc}") from exc
        else:
            if response.headers.get(ERROR_HEADER):
                raise codec.decode_error(response.json()["error"])
            if response.status_code in RETRY_STATUSES and attempt + 1 < attempts:
                pass
            elif response.is_success:
                return codec.decode(response.json()["result"])
            else:
                raise RemoteUnavailable(f"{service} answered {response.status_code} to {path}: {response.text[:200]}")
        time.sleep(min(2.0, 0.05 * 2**attempt) * random.uniform(0.5, 1.5))
    raise RemoteUnavailable(f"{service} did not answer {path}")


class RemoteUnavailable(RuntimeError):
    """The service that owns a function could not be reached (after retries, if idempotent)."""
