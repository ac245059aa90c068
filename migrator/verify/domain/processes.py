"""What ``--keep-running`` says while it holds the system up: the real state of each process."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class ProcessState:
    name: str
    url: str
    exit_code: int | None
    """None while it runs."""
    log: str

    def line(self) -> str:
        state = "up" if self.exit_code is None else f"exited with code {self.exit_code}, log {self.log}"
        return f"  {self.name:<11} {self.url}  {state}"


def held_lines(states: Sequence[ProcessState]) -> list[str]:
    """A headline that tells whether the system is up, then a line per process."""
    down = [state.name for state in states if state.exit_code is not None]
    if not down:
        headline = "The system is up; Ctrl-C stops it."
    elif len(down) == len(states):
        headline = "Every process of the system has exited; there is nothing to hold up."
    else:
        headline = f"The system is partly up: {len(down)} of {len(states)} processes have exited ({', '.join(down)}); Ctrl-C stops the rest."
    return [headline, *(state.line() for state in states)]


def newly_exited(before: Sequence[ProcessState], now: Sequence[ProcessState]) -> list[ProcessState]:
    """The processes that were up in ``before`` and have exited in ``now``."""
    up = {state.name for state in before if state.exit_code is None}
    return [state for state in now if state.name in up and state.exit_code is not None]
