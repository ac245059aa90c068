"""What an analysis found, as plain data for the presenters (text, JSON, HTML)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class SkippedFile:
    relpath: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.relpath}:{self.line}: {self.reason}" if self.line else f"{self.relpath}: {self.reason}"


@dataclass(frozen=True)
class AnalysisSummary:
    root: str
    files: int
    lines: int
    reused: int
    roots: tuple[str, ...]
    nodes: dict[str, int]
    edges: dict[str, int]
    routes: tuple[str, ...]
    models: tuple[str, ...]
    events: tuple[str, ...]
    tasks: tuple[str, ...]
    skipped: tuple[SkippedFile, ...]
    notes: tuple[str, ...]
    seconds: dict[str, float] = field(default_factory=dict)
    output: str | None = None
    warnings: tuple[str, ...] = ()
    """Results that look wrong (far fewer routes than route-like strings), said out loud."""

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["skipped"] = [asdict(s) for s in self.skipped]
        data["seconds"] = {k: round(v, 3) for k, v in self.seconds.items()}
        return data
