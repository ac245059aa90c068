"""The parts of a log that explain a failure: its end, its last traceback, a section of it."""

from __future__ import annotations

from pathlib import Path

from migrator.verify.domain.report import Excerpt


def end_of(log: Path) -> Excerpt:
    return Excerpt(str(log), "the end of", tail(log))


def tail(path: Path, lines: int = 30) -> str:
    """The last ``lines`` lines of a log file ('' when there is none), a run of one repeated line
    (a health check polled every 200 ms) shown once with its count."""
    text = _read(path).rstrip("\n").splitlines()
    collapsed: list[str] = []
    repeats = 0
    for line in text:
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
    text = _read(path).splitlines()
    starts = [i for i, line in enumerate(text) if line.startswith("Traceback (most recent call last)")]
    if not starts:
        return ""
    end = next((i for i in range(starts[-1] + 1, len(text)) if text[i] and not text[i][0].isspace()), len(text) - 1)
    return "\n".join(text[max(starts[-1], end + 1 - lines): end + 1])


def section(path: Path, title: str, lines: int = 60) -> str:
    """The lines under a ``==== title ====`` heading, up to the next ``=====`` line ('' when none)."""
    text = _read(path).splitlines()
    start = next((i for i, line in enumerate(text) if line.strip("= ") == title), None)
    if start is None:
        return ""
    end = next((i for i in range(start + 1, len(text)) if text[i].startswith("=====")), len(text))
    return "\n".join(text[start + 1: end][:lines]).strip("\n")


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
