"""The Flask configuration the services run with, against the one each test builds its application
with (a suite that makes its app per test from a configuration object: ``create_app(request.cls)``).

- In a service (``CAPTURES``): every key its application reads from ``app.config`` (while it starts
  and while it serves) is written, with its value, to ``service-config/<pid>.json`` beside the
  run's mail folder after each request that read a new one, and its ``SECRET_KEY`` with them (the
  file is the run's own, readable by its user only).
- In the suite's split run: the test's application takes the services' ``SECRET_KEY``
  (``databases``), so that what the test signs in its own process (Flask-WTF's CSRF token and its
  session cookie, ``session_transaction``, an itsdangerous token of the application's) holds on
  the services; where the test reads that key itself, it is noted. After each request a test
  client sends, every key the services have read whose value the test's application has
  otherwise (a per-test ``APPLICATION_ROOT``, a feature flag, set in its configuration object or
  in ``app.config`` during the test) is noted (``flags``): the services never run that
  configuration, so a test failing there is not covered over HTTP, not a difference.

Keys whose difference the shim bridges or that change nothing a test client sees are not
compared: the database (the suite's is the services'), ``SECRET_KEY`` (taken), CSRF turned off
(``flask_csrf`` sends a token), ``TESTING``/``DEBUG``/``PROPAGATE_EXCEPTIONS`` (whether an
exception raises in the test or answers 500: a test passing on the monolith raises none), the
services' mail being kept (``mail``)."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from . import flags, mail, per_test

FOLDER = "service-config"
SECRET = "SECRET_KEY"
NOT_COMPARED = frozenset({
    "SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "SQLALCHEMY_BINDS", "SQLALCHEMY_ENGINE_OPTIONS", "SQLALCHEMY_TRACK_MODIFICATIONS",
    "WTF_CSRF_ENABLED", "WTF_CSRF_CHECK_DEFAULT", "TESTING", "DEBUG", "PROPAGATE_EXCEPTIONS", "PRESERVE_CONTEXT_ON_EXCEPTION",
    "TRAP_HTTP_EXCEPTIONS", "TRAP_BAD_REQUEST_ERRORS", "MAIL_SUPPRESS_SEND", "MAIL_SERVER", "MAIL_PORT", "EXPLAIN_TEMPLATE_LOADING",
    "TEMPLATES_AUTO_RELOAD", "SEND_FILE_MAX_AGE_DEFAULT",
    "SESSION_COOKIE_DOMAIN",  # Flask 1 writes back the domain it derived (False for localhost): not the test's choice
})


def folder() -> Path | None:
    """Where the services write what they read: beside the run's mail folder; None outside a run."""
    where = os.environ.get(mail.VARIABLE)
    return Path(where).parent / FOLDER if where else None


def comparable(value: Any) -> Any:
    """``value`` as JSON gives it back (the services' values come so); ``_OPAQUE`` for a value JSON
    cannot hold (a class, a function: not compared, the two processes' objects are not the same)."""
    try:
        return json.loads(json.dumps(value))
    except (TypeError, ValueError):
        return _OPAQUE


_OPAQUE = "<not comparable>"


# ---------------------------------------------------------------- in a service


_READ: dict[str, Any] = {}
_WRITTEN = [-1]


def _reading(config_class: type) -> type:
    class ReadConfig(config_class):  # type: ignore[misc, valid-type]
        def __getitem__(self, key: str) -> Any:
            value = super().__getitem__(key)
            if isinstance(key, str):
                _READ[key] = value
            return value

        def get(self, key: str, default: Any = None) -> Any:
            if key in self:
                return self[key]
            return super().get(key, default)

    ReadConfig.__name__ = ReadConfig.__qualname__ = config_class.__name__
    return ReadConfig


def write(app: Any) -> None:
    """The keys read so far, and the secret key, to this process's file (when a key was read since the last write)."""
    target = folder()
    if target is None or len(_READ) == _WRITTEN[0]:
        return
    _WRITTEN[0] = len(_READ)
    read = {key: comparable(value) for key, value in list(_READ.items())}
    data = {"secret_key": comparable(dict.get(app.config, SECRET)), "read": {key: value for key, value in read.items() if value != _OPAQUE}}
    target.mkdir(parents=True, exist_ok=True)
    partial = target / f".{os.getpid()}.part"
    partial.write_text(json.dumps(data), encoding="utf-8")
    os.chmod(partial, 0o600)
    os.replace(partial, target / f"{os.getpid()}.json")


def _record_flask(module: ModuleType) -> None:
    module.Flask.config_class = _reading(module.Flask.config_class)
    original = module.Flask.full_dispatch_request

    def full_dispatch_request(self: Any) -> Any:
        with contextlib.suppress(RuntimeError):
            per_test.started(self, module.request)
        try:
            return original(self)
        finally:
            with contextlib.suppress(OSError):
                write(self)

    module.Flask.full_dispatch_request = full_dispatch_request


CAPTURES = [("flask", _record_flask)]


# ---------------------------------------------------------------- in the suite's process


def services(*, wake: Any = None) -> dict[str, Any]:
    """What the services wrote (``secret_key``, ``read``: the keys and values, merged over their
    processes); when none wrote yet, ``wake()`` (a request through the gateway) first."""
    target = folder()
    if target is None:
        return {}
    files = sorted(target.glob("*.json")) if target.is_dir() else []
    if not files and wake is not None:
        with contextlib.suppress(OSError):
            wake()
        files = sorted(target.glob("*.json")) if target.is_dir() else []
    merged: dict[str, Any] = {"read": {}}
    for path in files:
        with contextlib.suppress(OSError, ValueError):
            data = json.loads(path.read_text(encoding="utf-8"))
            merged["read"].update(data.get("read") or {})
            merged.setdefault("secret_key", data.get("secret_key"))
    return merged


def wake() -> None:
    """A request through the gateway, so that a service writes the configuration it read."""
    from . import forward

    forward.send("GET", "/", [("Host", "localhost"), ("Content-Length", "0")], b"")


def differences(config: Any, seen: dict[str, Any]) -> list[str]:
    """The keys the services read whose value in the test's ``config`` differs, each with both values."""
    found = []
    for key, theirs in sorted((seen.get("read") or {}).items()):
        if key in NOT_COMPARED or key not in config:
            continue
        ours = comparable(dict.get(config, key))
        if ours != theirs and ours != _OPAQUE:
            found.append(f"{key}={ours!r} (the services': {theirs!r})")
    return found


def note_differences(app: Any) -> None:
    """After a request of the test's client: its application's configuration against the services'."""
    config = getattr(app, "config", None)
    if not isinstance(config, dict):
        return
    for found in differences(config, services()):
        flags.note(f"app configuration the services do not run: {found}")


def _from_test(depth: int = 2) -> bool:
    """Whether the caller's caller is a test module of the suite (not the application, not a library)."""
    frame = sys._getframe(depth)
    source = os.path.realpath(os.environ.get("MIGRATOR_SUITE_SOURCE") or os.getcwd())
    while frame is not None and os.path.realpath(frame.f_code.co_filename).startswith(os.path.dirname(__file__)):
        frame = frame.f_back  # type: ignore[assignment]
    if frame is None:
        return False
    path = os.path.realpath(frame.f_code.co_filename)
    name = os.path.basename(path)
    return path.startswith(source + os.sep) and "site-packages" not in path and (
        name.startswith("test") or name.endswith(("_test.py", "_tests.py")) or name == "conftest.py" or f"{os.sep}tests{os.sep}" in path)


def taking_secret(config_class: type, secret: str) -> type:
    """``config_class`` (the services' runtime override of the suite's Flask) whose ``SECRET_KEY``
    is ``secret``; a test reading that key itself is noted (it would read its own)."""

    class SecretConfig(config_class):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            dict.__setitem__(self, SECRET, secret)

        def __setitem__(self, key: str, value: Any) -> None:
            super().__setitem__(key, secret if key == SECRET else value)

        def update(self, *args: Any, **kwargs: Any) -> None:
            super().update(*args, **kwargs)
            dict.__setitem__(self, SECRET, secret)

        def __getitem__(self, key: str) -> Any:
            if key == SECRET and _from_test():
                flags.note("SECRET_KEY read by the test (its application signs with the services' key)")
            return super().__getitem__(key)

    SecretConfig.__name__ = SecretConfig.__qualname__ = config_class.__name__
    return SecretConfig
