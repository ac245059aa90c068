"""The schema step one database after the other in these tests, so that the order of what the fakes
hear is the use case's; running them at once has its own test."""

from __future__ import annotations

import pytest

from migrator.verify.application import starting


@pytest.fixture(autouse=True)
def schema_steps_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(starting, "SCHEMA_CONCURRENCY", 1)
