"""A small in-house scheduler, as sample_monolith has."""

from dataclasses import dataclass
from typing import Callable


@dataclass
class ScheduledJob:
    name: str
    func: Callable[[], None]


def every(minutes: int):
    def register(fn):
        return fn
    return register


def release_expired():
    pass


@every(minutes=5)
def tick():
    pass


def default_jobs():
    return [ScheduledJob("release-expired", release_expired)]


def run_job(job: ScheduledJob):
    job.func()
