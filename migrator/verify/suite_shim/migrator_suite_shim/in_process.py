"""Where a test reaches state that lives in its own process only, noted (``flags``) so that a test
failing on the split for that reason is reported as not covered over HTTP, not as a difference."""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import weakref
from types import ModuleType
from typing import Any

from . import flags, mail


def patch_template_assertions(module: ModuleType) -> None:
    for name in ("assertTemplateUsed", "assertTemplateNotUsed"):
        original = getattr(module.SimpleTestCase, name)

        def noted(self: Any, *args: Any, _original: Any = original, _name: str = name, **kwargs: Any) -> Any:
            flags.note(f"{_name} (the templates a view rendered)")
            return _original(self, *args, **kwargs)

        setattr(module.SimpleTestCase, name, noted)


def patch_outbox(module: ModuleType) -> None:
    """``mail.outbox`` read where the services' mail is not read back (``mail``): it stays in their processes."""

    def read(value: Any) -> Any:
        flags.note("mail.outbox (the mail the services send stays in their processes)")
        return value

    mail.outbox_attribute(module, read=read, write=lambda value: value)


def patch_force_authenticate(module: ModuleType) -> None:
    for holder in (module.APIClient, module.APIRequestFactory):
        original = getattr(holder, "force_authenticate", None)
        if original is None:
            continue

        def noted(self: Any, *args: Any, _original: Any = original, **kwargs: Any) -> Any:
            flags.note("force_authenticate (a user set in the test's process, never sent)")
            return _original(self, *args, **kwargs)

        holder.force_authenticate = noted


def patch_mock(module: ModuleType) -> None:
    original_init = module.NonCallableMock.__init__

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        if self._mock_parent is None and self._mock_new_parent is None:
            with contextlib.suppress(TypeError):
                _MOCKS.append(weakref.ref(self))

    module.NonCallableMock.__init__ = __init__
    original = module._patch.__enter__

    def __enter__(self: Any) -> Any:
        if _started_by_test_framework():
            return original(self)
        try:
            owner = self.getter()
            name = getattr(owner, "__name__", type(owner).__name__)
        except Exception:  # noqa: BLE001 - the patch itself will say what is wrong
            name = "?"
        flags.note(f"mock.patch of {name}.{self.attribute} (the services run the real one)")
        return original(self)

    module._patch.__enter__ = __enter__


HARNESS = ("django.test.", "pytest_django.")
"""Test frameworks whose own patches belong to the harness, not to a test: Django's
``SimpleTestCase`` patches ``BaseDatabaseWrapper.ensure_connection`` for every test class (to
refuse the databases a test does not declare), which says nothing of what the test reads in
process. A library a test calls to patch for it (``pytest-mock``'s ``mocker``) is not one."""


def _started_by_test_framework() -> bool:
    """Whether the code that started a patch (the first frame outside ``mock`` itself) is a test
    framework's (``HARNESS``)."""
    frame = sys._getframe(2)
    while frame is not None and frame.f_globals.get("__name__", "") in ("unittest.mock", "mock", "mock.mock"):
        frame = frame.f_back
    name = frame.f_globals.get("__name__", "") if frame is not None else ""
    return name.startswith(HARNESS)


def patch_flask_client_context(module: ModuleType) -> None:
    """``with client:``: Flask keeps the context of the client's last request (``session``, ``g``,
    ``request``) for the test to read in its process; the services' requests leave none there."""
    original = module.FlaskClient.__enter__

    def __enter__(self: Any) -> Any:
        flags.note("with client: (the last request's session and g, read in the test's process)")
        return original(self)

    module.FlaskClient.__enter__ = __enter__


_MOCKS: list[Any] = []


def _owner(mock: Any) -> str:
    """``Class.attribute`` where ``mock`` is set on an object (an application's singleton, a
    class, a module), or ""."""
    for holder in gc.get_referrers(mock):
        if isinstance(holder, dict):  # an object's __dict__
            owner = next((o for o in gc.get_referrers(holder) if getattr(o, "__dict__", None) is holder), None)
        else:  # the object itself (its attributes inline, Python 3.11 on)
            owner = holder
        attributes = getattr(owner, "__dict__", None) if owner is not None else None
        attribute = next((key for key, value in attributes.items() if value is mock), None) if isinstance(attributes, dict) else None
        if attribute and owner is not None and type(owner).__module__ != "unittest.mock":  # not a mock's own parts
            name = owner.__name__ if isinstance(owner, (type, ModuleType)) else type(owner).__name__
            return f"{name}.{attribute}"
    return ""


def note_unused_mocks() -> None:
    """As a test ends: each Mock it (or its fixtures) set on an object of its process and never
    called there: in process the application called it; over HTTP the services ran the real code
    it stands in for (a rates service the test fakes)."""
    mocks = [mock for mock in (ref() for ref in _MOCKS) if mock is not None]
    _MOCKS.clear()
    for mock in mocks:
        if not mock.mock_calls:
            name = _owner(mock)
            if name:
                flags.note(f"{name} replaced by a Mock in the test's process, never called there (the services run the real one)")


def patch_flask_globals(module: ModuleType) -> None:
    """``g.<name>`` missing in the test's process: in process, a view the test's client called set it
    on the ``g`` the test shares (pytest-flask's context); the services' ``g`` stays theirs."""
    def missing(self: Any, name: str) -> Any:  # Flask 1 defines none: a plain object's AttributeError
        raise AttributeError(name)

    original = getattr(module._AppCtxGlobals, "__getattr__", missing)

    def __getattr__(self: Any, name: str) -> Any:
        if not name.startswith("__") and _from_source():
            flags.note(f"g.{name} (set by a view in process; the services' g stays in their processes)")
        return original(self, name)

    module._AppCtxGlobals.__getattr__ = __getattr__


def _from_source() -> bool:
    """Whether the code asking is the monolith's own (its application or its tests), not a library's."""
    source = os.path.realpath(os.environ.get("MIGRATOR_SUITE_SOURCE") or os.getcwd())
    frame = sys._getframe(2)
    path = os.path.realpath(frame.f_code.co_filename)
    return path.startswith(source + os.sep) and "site-packages" not in path
