"""What a run found: a row (``Step``) per check, and the report that holds them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from migrator.verify.domain.urls import redacted

PASSED, FAILED, SKIPPED = "passed", "failed", "skipped"
SUITE_STEP = "monolith test suite"
ENVIRONMENT_STEP = "environment"


def fuzz_step(service: str) -> str:
    """The name of the step that fuzzes ``service``."""
    return f"schemathesis {service}"


@dataclass(frozen=True)
class Excerpt:
    source: str
    """The log it is cut from."""
    what: str
    """Which part: ``the end of``, ``the last traceback in`` ..."""
    text: str


@dataclass(frozen=True)
class Step:
    """One row of the report."""

    name: str
    status: str
    detail: str
    log: str | None = None
    excerpts: tuple[Excerpt, ...] = ()
    """The parts of logs that explain a failure."""
    counts: dict[str, int] = field(default_factory=dict)
    failures: tuple[str, ...] = ()
    """What failed: test ids, or operations that answered with a server error."""

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "status": self.status, "detail": self.detail, "log": self.log,
                "excerpts": [{"source": e.source, "what": e.what, "text": e.text} for e in self.excerpts if e.text],
                "counts": dict(self.counts), "failures": list(self.failures)}


@dataclass(frozen=True)
class Broker:
    """The event bus a run talks to."""

    bus: str
    url: str
    started: bool
    """True when this run started the broker itself (and stops it at the end)."""


@dataclass
class VerifyReport:
    run_id: str
    run_dir: Path | None
    """None once removed (a passing run that was not asked to keep it)."""
    gateway_url: str
    urls: dict[str, str]
    broker: Broker
    databases: dict[str, str]
    steps: list[Step] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(step.status != FAILED for step in self.steps)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok, "run_id": self.run_id, "run_dir": str(self.run_dir) if self.run_dir else None, "gateway": self.gateway_url,
            "services": dict(self.urls), "broker": {"bus": self.broker.bus, "url": redacted(self.broker.url), "started": self.broker.started},
            "databases": {name: redacted(url) for name, url in self.databases.items()}, "steps": [step.to_dict() for step in self.steps],
            "notes": list(self.notes),
        }
