"""Work shared with one forked child: the link's second core.

After the scan, everything the link reads (summaries, facts, the name resolver) is in this
process's memory. A forked child sees all of it at no cost, so a share of the link can run
there while this process does the rest; only the child's result travels back, pickled.

Where ``fork`` is not used (not Linux, or one core), the task simply runs here when its result
is asked for: the outcome is the same, only later.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")

_FAILED = "failed"
_DONE = "done"


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
    """

    def __init__(self, task: Callable[[], T], *, fork: bool = True) -> None:
        self._task = task
        self._done = False
        self._value: T
        self._pid: int | None = None
        self._read: int | None = None
        if not (fork and can_fork()):
            return
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns into the caller's code
            try:
                os.close(read)
                try:
                    payload = pickle.dumps((_DONE, task()), protocol=pickle.HIGHEST_PROTOCOL)
                except BaseException:  # noqa: BLE001 - rerun in the parent, which raises it properly
                    payload = pickle.dumps((_FAILED, None))
                with os.fdopen(write, "wb") as out:
                    out.write(payload)
            finally:
                os._exit(0)
        os.close(write)
        self._pid, self._read = pid, read

    def result(self) -> T:
        """The task's value (asked again, the same value: the task runs once)."""
        if not self._done:
            self._value = self._wait()
            self._done = True
        return self._value

    def _wait(self) -> T:
        if self._pid is None:
            return self._task()
        assert self._read is not None
        with os.fdopen(self._read, "rb") as handle:
            self._read = None
            data = handle.read()
        os.waitpid(self._pid, 0)
        self._pid = None
        try:
            status, value = pickle.loads(data)
        except Exception:  # the child died (out of memory, killed): do the work here
            return self._task()
        if status != _DONE:
            return self._task()
        return value

    def cancel(self) -> None:
        if self._pid is None:
            return
        try:
            os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
        except OSError:
            pass
        if self._read is not None:
            os.close(self._read)
        self._pid = self._read = None

    def __enter__(self) -> Forked[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.cancel()
