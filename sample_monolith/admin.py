"""Back-office operations endpoints: ``/api/admin``.

Lets operators (and the HTTP test-suite) trigger background jobs on demand
and inspect how the in-process event bus is wired.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from sample_monolith.common.auth import AdminOnly, DbSession
from sample_monolith.common.events import bus
from sample_monolith.config import Settings, get_settings
from sample_monolith.inventory.jobs import release_expired_reservations
from sample_monolith.notifications.jobs import flush_email_outbox

router = APIRouter(prefix="/api/admin", tags=["admin"], dependencies=[AdminOnly])


class ReleaseResult(BaseModel):
    released: int
    order_ids: list[int]


class FlushResult(BaseModel):
    sent: int
    failed: int


class JobStatus(BaseModel):
    name: str
    function: str
    runs: int
    failures: int
    last_run_at: datetime | None
    last_result: dict[str, Any] | None
    last_error: str | None


class SchedulerStatus(BaseModel):
    enabled: bool
    running: bool
    interval_seconds: float
    jobs: list[JobStatus]


@router.post("/jobs/release-expired-reservations", response_model=ReleaseResult)
def run_release_expired_reservations(session: DbSession) -> ReleaseResult:
    """Release stock held by unpaid orders whose payment window has elapsed."""
    return ReleaseResult(**release_expired_reservations(session))


@router.post("/jobs/flush-email-outbox", response_model=FlushResult)
def run_flush_email_outbox(
    session: DbSession,
    settings: Annotated[Settings, Depends(get_settings)],
    limit: Annotated[int | None, Query(ge=1, le=1000)] = None,
) -> FlushResult:
    return FlushResult(**flush_email_outbox(session, limit=limit or settings.outbox_batch_size))


@router.get("/jobs", response_model=SchedulerStatus)
def scheduler_status(request: Request, settings: Annotated[Settings, Depends(get_settings)]) -> SchedulerStatus:
    scheduler = request.app.state.scheduler
    return SchedulerStatus(
        enabled=settings.scheduler_enabled,
        running=scheduler.running,
        interval_seconds=scheduler.interval_seconds,
        jobs=[JobStatus(**job) for job in scheduler.describe()],
    )


@router.get("/events", response_model=dict[str, list[str]])
def event_subscriptions() -> dict[str, list[str]]:
    """Which handler functions are subscribed to which event."""
    return bus.describe()
