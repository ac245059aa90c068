"""What the user asks of a run (the options of ``migrator verify``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from migrator.verify.domain.black_box import BlackBoxSuite


@dataclass(frozen=True)
class VerifyRequest:
    out: Path
    event_bus: str | None = None
    """Default: the system's own (system.json)."""
    bus_url: str | None = None
    """Default: the local default of that bus, or a broker this run starts."""
    database_url: str | None = None
    """A PostgreSQL server to create a fresh database per service on; default: SQLite files."""
    timeout: float = 60.0
    examples: int = 10
    headers: tuple[str, ...] = ()
    """``Name: value`` headers for schemathesis (e.g. the admin token)."""
    keep: bool = False
    """Keep the run's folder and the databases afterwards."""
    fuzz: bool = True
    """Run schemathesis against each service."""
    fuzz_concurrency: int = 2
    """How many services schemathesis fuzzes at once: each run waits on its service about as long
    as it computes, so two fill two cores (the sample's 11 services one after the other took about
    as long as its whole suite)."""
    database: str | None = None
    """``per-service``: a database for each service; ``shared``: one the services share, as the
    monolith's, the first step of a strangler fig; None: as the system was generated."""
    suite: BlackBoxSuite | None = None
    """A black-box suite to run against the monolith and through the gateway (``--suite``)."""
