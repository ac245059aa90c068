"""The tracer itself: ``sys.monitoring`` on Python 3.12 and later, ``sys.setprofile`` before.

Only the project's own code is traced. With ``sys.monitoring`` the start of a function outside the
project returns ``DISABLE``, so that code is never reported again and runs at full speed; with
``sys.setprofile`` every call still reaches the profile function, which leaves at once for code
already known to be outside (one dictionary look-up)."""

from __future__ import annotations

import sys
import threading
from typing import Any, Callable

from .recorder import Recorder

NAME = "sys.monitoring" if hasattr(sys, "monitoring") else "sys.setprofile"
_TOOL_IDS = (2, 5, 4, 3)  # PROFILER_ID first; a coverage tool may hold 1


def start(state: Recorder) -> Callable[[], None]:
    """Trace from now on; returns the function that stops."""
    if hasattr(sys, "monitoring"):
        return _start_monitoring(state)
    return _start_profile(state)


def _start_monitoring(state: Recorder) -> Callable[[], None]:
    monitoring = sys.monitoring  # type: ignore[attr-defined]
    tool = next((t for t in _TOOL_IDS if monitoring.get_tool(t) is None), None)
    if tool is None:
        return lambda: None
    monitoring.use_tool_id(tool, "migrator-trace")
    events = monitoring.events
    disable = monitoring.DISABLE
    names = state.names
    getframe = sys._getframe
    call = state.call
    name_of = state.name_of

    def py_start(code: Any, offset: int) -> Any:
        name = names.get(code)
        if name is False:
            return disable
        frame = getframe(1)
        if name is None:
            name = name_of(code, frame.f_globals.get("__name__"))
            if not name:
                return disable
        call(frame, name)
        return None

    def handled(code: Any, offset: int, exception: BaseException) -> None:
        try:
            _exception_handled(state, getframe(1), exception)
        except Exception:  # noqa: BLE001  (the agent never fails the program it traces)
            pass

    monitoring.register_callback(tool, events.PY_START, py_start)
    monitoring.register_callback(tool, events.EXCEPTION_HANDLED, handled)
    monitoring.set_events(tool, events.PY_START | events.EXCEPTION_HANDLED)

    def stop() -> None:
        monitoring.set_events(tool, 0)
        monitoring.register_callback(tool, events.PY_START, None)
        monitoring.register_callback(tool, events.EXCEPTION_HANDLED, None)
        monitoring.free_tool_id(tool)

    return stop


def _start_profile(state: Recorder) -> Callable[[], None]:
    names = state.names
    call = state.call
    name_of = state.name_of

    def profile(frame: Any, event: str, arg: Any) -> None:
        if event != "call":
            return
        code = frame.f_code
        name = names.get(code)
        if name is False:
            return
        if name is None:
            name = name_of(code, frame.f_globals.get("__name__"))
            if not name:
                return
        call(frame, name)

    sys.setprofile(profile)
    threading.setprofile(profile)

    def stop() -> None:
        sys.setprofile(None)
        threading.setprofile(None)  # type: ignore[arg-type]

    return stop


def _exception_handled(state: Recorder, frame: Any, exception: BaseException) -> None:
    """An exception caught: counted when it was raised in one project module and caught in
    another (or by a library, out of the project's code: a framework's error page, a test)."""
    traceback = exception.__traceback__
    raised_in = None
    while traceback is not None:
        name = state.names.get(traceback.tb_frame.f_code)
        if name is None:
            name = state.name_of(traceback.tb_frame.f_code, traceback.tb_frame.f_globals.get("__name__"))
        if name:
            raised_in = name
        traceback = traceback.tb_next
    if raised_in is None:
        return
    caught_in = state.caller(frame)
    if caught_in is not None and _module(caught_in, state) == _module(raised_in, state):
        return
    seen = (id(exception), caught_in)
    if state.last_exception == seen:  # the same exception caught again by each library frame it goes up through
        return
    state.last_exception = seen
    kind = type(exception)
    state.count(state.exceptions, f"{kind.__module__}.{kind.__qualname__}", raised_in, caught_in)


def _module(name: str, state: Recorder) -> str:
    """The module part of a project name: the file its place names."""
    place = state.places.get(name, "")
    return place.rsplit(":", 1)[0]
