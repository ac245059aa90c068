"""What a service answers itself, whatever serves the application (gunicorn or uvicorn): which
requests are its own, its health, its internal calls. No framework here: the WSGI layer
(``wsgi``) and the FastAPI one (``service``) both use these.

Which requests a service serves: the gateway's table (``manifest.ROUTES``, most specific first,
each a regular expression and the service it goes to) says it, as the gateway itself decides. A
service answers the paths the table gives it; the monolith answers every path (what no service
owns is its own, and it still serves the whole application: the strangler fig).
"""

from __future__ import annotations

import importlib
import inspect
import json
import re
from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager as ContextManager
from typing import Any

from .codec import Codec
from .context import filled_by_owner

LIVE_PATH, READY_PATH, METRICS_PATH = "/healthz/live", "/healthz/ready", "/metrics"
INTERNAL_PREFIX = "/internal/"
ROWS_PATH = INTERNAL_PREFIX + "rows"
"""Where a service takes the writes other services made to its tables (``events.EventRuntime.receive_writes``)."""
SERVED_BY_HEADER = "X-Served-By"
ERROR_HEADER = "X-Remote-Error"
MONOLITH = "monolith"


def load(target: str) -> Any:
    """The object ``module:attribute.path`` names."""
    module, _, attr = target.partition(":")
    value: Any = importlib.import_module(module)
    for part in filter(None, attr.split(".")):
        value = getattr(value, part)
    return value


def with_installed_driver(url: str) -> str:
    """The database URL the application is given: a PostgreSQL ``url`` with a driver this
    environment has, psycopg2 written as a bare ``postgresql://`` (what SQLAlchemy before 2.1 and an
    application's own URL parsers, dj-database-url, take for it: they know no ``+psycopg2``)."""
    named = engine_url(url)
    return named.replace("postgresql+psycopg2://", "postgresql://", 1) if named.startswith("postgresql+psycopg2://") else named


def engine_url(url: str) -> str:
    """A PostgreSQL ``url`` naming a driver this environment has and its SQLAlchemy can use, for the
    runtime's own engines: a bare ``postgresql://`` means psycopg2 to SQLAlchemy 2.0 and psycopg 3
    to 2.1, so the driver is always named (psycopg2 where it is installed: every SQLAlchemy knows
    it); a SQLAlchemy before 2.0 has no psycopg 3 dialect at all. A driver of another family
    (asyncpg, pg8000) is the application's own choice and stays."""
    import importlib.metadata
    import importlib.util

    scheme, sep, rest = url.partition("://")
    family, _, driver = scheme.partition("+")
    if not sep or family not in ("postgres", "postgresql") or driver not in ("", "psycopg", "psycopg2"):
        return url
    usable = [name for name in ("psycopg2", "psycopg") if importlib.util.find_spec(name) is not None]
    try:
        if int(importlib.metadata.version("sqlalchemy").split(".")[0]) < 2 and "psycopg" in usable:
            usable.remove("psycopg")
    except (importlib.metadata.PackageNotFoundError, ValueError):
        pass
    if not usable or driver in usable:
        return url
    return f"postgresql+{usable[0]}://{rest}"


class Ownership:
    """Whether a path is this service's to answer, by the gateway's own table: ``routes`` are
    ``(regular expression, owner, route)``, most specific first."""

    def __init__(self, service: str, routes: Iterable[tuple[str, str, str]], *, serves_everything: bool) -> None:
        self.service = service
        self.routes = [(re.compile(pattern), owner, route) for pattern, owner, route in routes]
        self.serves_everything = serves_everything

    def match(self, path: str) -> tuple[str, str]:
        """The service the gateway sends ``path`` to, and the route (``unmatched``: the monolith's fallback)."""
        return next(((owner, route) for pattern, owner, route in self.routes if pattern.search(path)), (MONOLITH, "unmatched"))

    def owner(self, path: str) -> str:
        return self.match(path)[0]

    def owns(self, path: str) -> bool:
        return self.serves_everything or self.owner(path) == self.service


def health(checks: Mapping[str, bool]) -> tuple[int, dict[str, Any]]:
    """The readiness answer: 200 when every dependency answers, 503 and which does not otherwise."""
    named = {name: "ok" if ok else "unreachable" for name, ok in checks.items()}
    ok = all(checks.values())
    return (200 if ok else 503), {"status": "ok" if ok else "error", "checks": named}


Fill = Callable[[str], "tuple[bool, Any]"]
"""What the owner gives a parameter that ``filled_by_owner`` names (``"session"``, ``"settings"``):
``(True, value)``, or ``(False, None)`` where it has none and the caller's argument stands."""


def nothing_filled(kind: str) -> tuple[bool, Any]:
    return False, None


class InternalCalls:
    """``POST /internal/...``: a function of this service called by another one, its arguments and
    result encoded by the codec; an exception travels back (422) for the caller to raise again.
    ``context`` opens what one call runs in (an application context, a database session that
    commits when the call returns and rolls back when it raises) and gives its ``Fill``."""

    def __init__(self, targets: Mapping[str, str], codec: Codec, context: Callable[[], ContextManager[Fill]]) -> None:
        self.targets, self.codec, self.context = dict(targets), codec, context
        self._functions: dict[str, Callable[..., Any]] = {}

    def handles(self, path: str) -> bool:
        return path in self.targets

    def function(self, path: str) -> Callable[..., Any]:
        if path not in self._functions:
            self._functions[path] = load(self.targets[path])
        return self._functions[path]

    def call(self, path: str, body: bytes) -> tuple[int, dict[str, Any]]:
        try:
            arguments = json.loads(body or b"{}").get("args", {})
        except (ValueError, AttributeError):
            return 400, {"detail": "expected a JSON object with args"}
        return self.invoke(self.function(path), arguments)

    def invoke(self, function: Callable[..., Any], arguments: Mapping[str, Any]) -> tuple[int, dict[str, Any]]:
        """200 and the encoded result, or 422 and the encoded error (the call's writes rolled back)."""
        try:
            with self.context() as fill:
                encoded = self.codec.encode(function(**self._keywords(function, arguments, fill)))
        except Exception as exc:  # noqa: BLE001 - the caller raises it again
            return 422, {"error": self.codec.error(exc)}
        return 200, {"result": encoded}

    def _keywords(self, function: Callable[..., Any], arguments: Mapping[str, Any], fill: Fill) -> dict[str, Any]:
        """The caller's arguments decoded, and the parameters the owner fills in itself."""
        kwargs: dict[str, Any] = {}
        for parameter in inspect.signature(function).parameters.values():
            annotation = parameter.annotation if isinstance(parameter.annotation, str) else getattr(parameter.annotation, "__name__", "")
            kind = filled_by_owner(parameter.name, annotation)
            filled, value = fill(kind) if kind else (False, None)
            if filled:
                kwargs[parameter.name] = value
            elif parameter.name in arguments:
                kwargs[parameter.name] = self.codec.decode(arguments[parameter.name])
            elif parameter.kind is parameter.VAR_KEYWORD:
                kwargs.update({k: self.codec.decode(v) for k, v in arguments.items() if k not in kwargs})
        return kwargs
