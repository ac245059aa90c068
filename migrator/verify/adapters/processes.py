"""The ``Processes`` port: child processes, each in its own session with its own log file, and
all of them stopped again (terminate, then kill after a grace period), whatever happened."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from migrator.verify.adapters.signals import ignoring_interrupts, interrupts_deferred, stop_signals_interrupt

GRACE_SECONDS = 5.0


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]
    log: Path

    def exit_code(self) -> int | None:
        return self.process.poll()


class Supervisor:
    """Starts processes and stops every one it started.

    Each child leads a session of its own, so a Ctrl-C on the terminal reaches only us and we stop
    the children in order, and stopping a child stops whatever it started too (its process group).
    """

    def __init__(self, grace: float = GRACE_SECONDS) -> None:
        self.grace = grace
        self.children: list[Child] = []

    def start(self, name: str, argv: Sequence[str], *, cwd: Path, env: Mapping[str, str], log: Path, inherit: bool = True) -> Child:
        """Start ``argv`` with stdout and stderr going to ``log``, and ``env`` set on top of our own
        variables (``child_env``), or as its only ones when not ``inherit``."""
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("ab") as sink, interrupts_deferred():  # a child is never started without being remembered
            process = subprocess.Popen(
                list(argv), cwd=cwd, env=child_env(**env) if inherit else dict(env), stdin=subprocess.DEVNULL, stdout=sink,
                stderr=subprocess.STDOUT, start_new_session=True,
            )
            child = Child(name, process, log)
            self.children.append(child)
        return child

    def run(self, name: str, argv: Sequence[str], *, cwd: Path, env: Mapping[str, str], log: Path) -> int:
        """Run ``argv`` to its end and return its exit code; stopped with the rest if interrupted."""
        child = self.start(name, argv, cwd=cwd, env=env, log=log)
        code = child.process.wait()
        _signal_group(child.process.pid, signal.SIGKILL)  # anything it left behind
        self.children.remove(child)
        return code

    def stop_all(self) -> None:
        """Terminate every child (last started first), then kill what is left after the grace period."""
        children, self.children = self.children[::-1], []
        with ignoring_interrupts():
            _stop(children, self.grace)

    def interruptible(self) -> AbstractContextManager[None]:
        return stop_signals_interrupt()


def _stop(children: list[Child], grace: float) -> None:
    for child in children:
        _signal_group(child.process.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    for child in children:
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.process.wait(timeout=max(0.0, deadline - time.monotonic()))
    for child in children:
        _signal_group(child.process.pid, signal.SIGKILL)
        child.process.wait()


def _signal_group(pgid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signum)


def child_env(**variables: str) -> dict[str, str]:
    """Our environment plus ``variables``, with loopback kept off any proxy the user configured."""
    env = {**os.environ, **variables}
    for name in ("NO_PROXY", "no_proxy"):
        env[name] = ",".join(filter(None, ["127.0.0.1", "localhost", os.environ.get(name)]))
    return env
