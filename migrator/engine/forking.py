"""Work shared with one forked child: the link's second core.

After the scan, everything the link reads (summaries, facts, the name resolver) is in this
process's memory. A forked child sees all of it at no cost, so a share of the link can run
there while this process does the rest; only the child's result travels back, pickled. A child
can stay for a second task (``then``), taking what this process made meanwhile as a payload
sent down a second pipe, so the second core keeps working without another fork; and after that
task's value is sent, it can go on with work nobody waits for at once (``Later``: saving a cache).

Where ``fork`` is not used (not Linux, or one core), the task simply runs here when its result
is asked for: the outcome is the same, only later.
"""

from __future__ import annotations

import contextlib
import functools
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any, Generic, NamedTuple, TypeVar

T = TypeVar("T")

_FAILED = "failed"
_DONE = "done"


class Later(NamedTuple):
    """What a child's ``then`` returns to send ``value`` at once and do ``work`` afterwards, while
    this process goes on with ``value``; ``Forked.finisher`` waits for the work."""

    value: Any
    work: Callable[[], object]


def fork_available() -> bool:
    """Linux: elsewhere a forked child of a process with threads (macOS's system libraries) may
    hang, which is why multiprocessing does not fork there either."""
    return sys.platform == "linux" and hasattr(os, "fork")


def can_fork() -> bool:
    """Whether forking pays: where it is available, with a second core to run the child on."""
    return fork_available() and (os.cpu_count() or 1) > 1


class Forked(Generic[T]):
    """``task`` running in a forked child; ``result()`` waits for its value.

    A task that raises in the child is run again here, so that its exception (with its
    traceback) is raised in this process as if there had been no child. Use it as a context
    manager: leaving the block before asking for the result stops the child.

    With ``then``, the child does not end after its task: it waits for a payload (``send``) and
    returns ``then(payload, more)`` too (``second()``), where ``more()`` gives the next payload
    sent: this process hands it more work without forking again. Payloads may be sent before
    the task's value is read (a thread writes them). Sending nothing lets the child end. A
    ``then`` that returns ``Later(value, work)`` has ``value`` sent and ``work`` done afterwards:
    ``finisher()`` hands over the wait for it, so that leaving the block does not stop it.
    """

    def __init__(self, task: Callable[[], T], *, fork: bool = True, then: Callable[[Any, Callable[[], Any]], Any] | None = None) -> None:
        self._task = task
        self._done = False
        self._value: T
        self._pid: int | None = None
        self._reader: Any = None
        self._out: Any = None
        self._writing: threading.Thread | None = None
        self._later = False
        """The child goes on after ``then``'s value (``Later``)."""
        if not (fork and can_fork()):
            return
        read, write = os.pipe()
        to_child, from_parent = os.pipe() if then is not None else (None, None)
        pid = os.fork()
        if pid == 0:  # the child: never returns into the caller's code
            try:
                os.close(read)
                if from_parent is not None:
                    os.close(from_parent)
                with os.fdopen(write, "wb") as out:
                    ok = _send(out, task)
                    if then is not None and to_child is not None and ok:
                        with os.fdopen(to_child, "rb") as handle:
                            more = functools.partial(_next_payload, handle)
                            payload = _receive(handle)
                            if payload is not _NOTHING:
                                _then_and_later(out, lambda: then(payload, more))
            finally:
                os._exit(0)
        os.close(write)
        if to_child is not None:
            os.close(to_child)
            self._out = os.fdopen(from_parent, "wb")
        self._pid = pid
        self._reader = os.fdopen(read, "rb")

    def result(self) -> T:
        """The task's value (asked again, the same value: the task runs once)."""
        if not self._done:
            self._value = self._first()
            self._done = True
        return self._value

    def _first(self) -> T:
        if self._pid is None:
            return self._task()
        status, value = _frame(self._reader)
        if status != _DONE:
            self.cancel()
            return self._task()
        return value  # type: ignore[no-any-return]

    def send(self, payload: Any) -> None:
        """Hand ``payload`` to the child's ``then`` (the first one sent) or ``more`` (the next)."""
        if self._out is None:
            return
        data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
        previous, out = self._writing, self._out

        def write() -> None:
            if previous is not None:
                previous.join()
            with contextlib.suppress(OSError, ValueError):  # the child is gone: ``second`` works here
                out.write(len(data).to_bytes(8, "little"))
                out.write(data)
                out.flush()

        self._writing = threading.Thread(target=write, name="migrator-fork-send", daemon=True)
        self._writing.start()

    def second(self, instead: Callable[[], Any]) -> Any:
        """``then``'s value, or ``instead()`` where the child cannot give it (none, or it failed)."""
        if self._pid is None:
            return instead()
        self.result()
        status, value = _frame(self._reader)
        if status != _DONE:
            self.cancel()
            return instead()
        value, self._later = value
        if not self._later:
            self.cancel()
        return value

    def finisher(self) -> Callable[[], bool]:
        """Take over the wait for the work the child does after ``then``'s value (``Later``):
        the call returned waits for it and tells whether it was done there (False: it was not,
        or there was none). The child is no longer stopped when the block ends."""
        if self._pid is None or not self._later:
            return lambda: False
        pid, reader, writing, out = self._pid, self._reader, self._writing, self._out
        self._pid = self._reader = self._writing = self._out = None

        def finish() -> bool:
            # every payload is written by now, and the child's ``more()`` finds none after them
            if writing is not None:
                writing.join()
            if out is not None:
                with contextlib.suppress(OSError):
                    out.close()
            try:
                status, _ = _frame(reader)
            finally:
                with contextlib.suppress(OSError):
                    os.waitpid(pid, 0)
                reader.close()
            return status == _DONE

        return finish

    def cancel(self) -> None:
        if self._pid is not None:
            try:
                os.kill(self._pid, signal.SIGKILL)
                os.waitpid(self._pid, 0)
            except OSError:
                pass
            self._pid = None
        if self._writing is not None:
            self._writing.join()  # it ends: its reader is gone
            self._writing = None
        if self._out is not None:
            with contextlib.suppress(OSError):
                self._out.close()
            self._out = None
        if self._reader is not None:
            self._reader.close()
            self._reader = None

    def __enter__(self) -> Forked[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.cancel()


_NOTHING = object()


def _send(out: Any, make: Callable[[], Any]) -> bool:
    """Write one frame: (status, value) pickled, after its length. False if ``make`` failed."""
    try:
        data = pickle.dumps((_DONE, make()), protocol=pickle.HIGHEST_PROTOCOL)
        done = True
    except BaseException:  # noqa: BLE001 - rerun in the parent, which raises it properly
        data, done = pickle.dumps((_FAILED, None)), False
    out.write(len(data).to_bytes(8, "little"))
    out.write(data)
    out.flush()
    return done


def _then_and_later(out: Any, make: Callable[[], Any]) -> None:
    """In the child: ``then``'s value, with whether work follows (``Later``); then that work, in
    a frame of its own."""
    later: list[Callable[[], object]] = []

    def value() -> tuple[Any, bool]:
        made = make()
        if isinstance(made, Later):
            later.append(made.work)
            return made.value, True
        return made, False

    def work() -> None:
        later[0]()

    if _send(out, value) and later:
        _send(out, work)


def _receive(handle: Any) -> Any:
    """The payload of one frame, or ``_NOTHING`` if the other end closed without one."""
    head = handle.read(8)
    if len(head) < 8:
        return _NOTHING
    data = handle.read(int.from_bytes(head, "little"))
    try:
        return pickle.loads(data)
    except Exception:  # noqa: BLE001 - torn: as if nothing came
        return _NOTHING


def _next_payload(handle: Any) -> Any:
    """In the child: the next payload sent; ``EOFError`` if none will come."""
    found = _receive(handle)
    if found is _NOTHING:
        raise EOFError("no more payloads")
    return found


def _frame(handle: Any) -> tuple[str, Any]:
    """(status, value) of the child's next frame; a child that died gives ``_FAILED``."""
    found = _receive(handle)
    if found is _NOTHING or not isinstance(found, tuple) or len(found) != 2:
        return _FAILED, None
    return found  # type: ignore[no-any-return]
