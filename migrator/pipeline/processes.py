"""Child processes that ``verify`` starts: each in its own session with its own log file, and
all of them stopped again (terminate, then kill after a grace period), whatever happened."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

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

    def start(self, name: str, argv: Sequence[str], *, cwd: Path, env: Mapping[str, str], log: Path) -> Child:
        """Start ``argv`` with stdout and stderr going to ``log``."""
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("ab") as sink, _interrupts_deferred():  # a child is never started without being remembered
            process = subprocess.Popen(
                list(argv), cwd=cwd, env=dict(env), stdin=subprocess.DEVNULL, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True
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
        with _ignoring_interrupts():
            _stop(children, self.grace)


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


@contextlib.contextmanager
def _interrupts_deferred() -> Iterator[None]:
    # Ctrl-C (or SIGTERM) inside is raised as KeyboardInterrupt when the block is done
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = {signum: signal.signal(signum, lambda number, frame: received.append(number)) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if received:
        raise KeyboardInterrupt


@contextlib.contextmanager
def _ignoring_interrupts() -> Iterator[None]:
    # a second Ctrl-C (or a SIGTERM) while stopping must not leave the rest running
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.signal(signum, signal.SIG_IGN) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _signal_group(pgid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signum)


def child_env(**variables: str) -> dict[str, str]:
    """Our environment plus ``variables``, with loopback kept off any proxy the user configured."""
    env = {**os.environ, **variables}
    for name in ("NO_PROXY", "no_proxy"):
        env[name] = ",".join(filter(None, ["127.0.0.1", "localhost", os.environ.get(name)]))
    return env


def free_ports(count: int) -> list[int]:
    """``count`` distinct loopback ports that are free right now."""
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def tail(path: Path, lines: int = 30) -> str:
    """The last ``lines`` lines of a log file ('' when there is none), a run of one repeated line
    (a health check polled every 200 ms) shown once with its count."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    collapsed: list[str] = []
    repeats = 0
    for line in text.rstrip("\n").splitlines():
        if collapsed and line == collapsed[-1]:
            repeats += 1
            continue
        if repeats:
            collapsed.append(f"[the line above {repeats} more times]")
            repeats = 0
        collapsed.append(line)
    if repeats:
        collapsed.append(f"[the line above {repeats} more times]")
    return "\n".join(collapsed[-lines:])


def last_traceback(path: Path, lines: int = 30) -> str:
    """The end of the last Python traceback in a log, down to its exception line ('' when none)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    starts = [i for i, line in enumerate(text) if line.startswith("Traceback (most recent call last)")]
    if not starts:
        return ""
    end = next((i for i in range(starts[-1] + 1, len(text)) if text[i] and not text[i][0].isspace()), len(text) - 1)
    return "\n".join(text[max(starts[-1], end + 1 - lines): end + 1])


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """While inside, SIGTERM raises KeyboardInterrupt, so ``finally`` blocks still stop children."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
