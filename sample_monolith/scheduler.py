"""A tiny in-process job scheduler.

Runs every registered job in a daemon thread every
``settings.scheduler_interval_seconds``.  Good enough for one instance; with
several instances every one of them runs the jobs (the jobs are written to
tolerate that).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from sample_monolith.db import Database
from sample_monolith.inventory.jobs import release_expired_reservations
from sample_monolith.notifications.jobs import flush_email_outbox
from sample_monolith.utils import utcnow

logger = logging.getLogger(__name__)

JobFunc = Callable[[Session], dict[str, Any]]


@dataclass
class ScheduledJob:
    name: str
    func: JobFunc
    runs: int = 0
    failures: int = 0
    last_run_at: datetime | None = None
    last_result: dict[str, Any] | None = None
    last_error: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)


def default_jobs() -> list[ScheduledJob]:
    return [
        ScheduledJob("release-expired-reservations", release_expired_reservations),
        ScheduledJob("flush-email-outbox", flush_email_outbox),
    ]


class Scheduler:
    def __init__(self, database: Database, jobs: list[ScheduledJob], *, interval_seconds: float) -> None:
        self.database = database
        self.jobs = {job.name: job for job in jobs}
        self.interval_seconds = interval_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="shop-scheduler", daemon=True)
        self._thread.start()
        logger.info("scheduler started (every %.1fs)", self.interval_seconds)

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def run_job(self, name: str) -> dict[str, Any] | None:
        job = self.jobs[name]
        if not job.lock.acquire(blocking=False):
            logger.debug("job %s still running, skipping", name)
            return None
        try:
            with self.database.session() as session:
                result = job.func(session)
            job.last_result, job.last_error = result, None
            return result
        except Exception as exc:  # noqa: BLE001 - a failing job must not kill the loop
            job.failures += 1
            job.last_error = repr(exc)
            logger.exception("job %s failed", name)
            return None
        finally:
            job.runs += 1
            job.last_run_at = utcnow()
            job.lock.release()

    def run_all(self) -> None:
        for name in self.jobs:
            self.run_job(name)

    def _loop(self) -> None:
        while not self._stop.wait(self.interval_seconds):
            self.run_all()

    def describe(self) -> list[dict[str, Any]]:
        return [
            {
                "name": job.name,
                "function": f"{job.func.__module__}.{job.func.__qualname__}",
                "runs": job.runs,
                "failures": job.failures,
                "last_run_at": job.last_run_at,
                "last_result": job.last_result,
                "last_error": job.last_error,
            }
            for job in self.jobs.values()
        ]
