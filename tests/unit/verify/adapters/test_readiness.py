"""Waiting for processes to answer at their health address, against a real HTTP server."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from migrator.verify.adapters.loopback import free_ports
from migrator.verify.adapters.readiness import wait_ready
from migrator.verify.application.ports import Target
from tests.unit.verify.adapters.http_stub import serving


@dataclass
class _Process:
    log: Path
    code: int | None = None

    def exit_code(self) -> int | None:
        return self.code


@pytest.fixture
def health() -> Iterator[str]:
    with serving(lambda path: (200, b"ok") if path == "/ready" else (503, b'{"database": "unreachable"}')) as port:
        yield f"http://127.0.0.1:{port}"


def test_each_target_is_ready_failing_with_its_last_answer_or_exited(tmp_path: Path, health: str) -> None:
    (closed,) = free_ports(1)
    (tmp_path / "crashed.log").write_text("ImportError: no module named shop\n")
    targets = [
        Target("orders", health + "/ready", _Process(tmp_path / "orders.log")),
        Target("reviews", health + "/not-ready", _Process(tmp_path / "reviews.log")),
        Target("crashed", f"http://127.0.0.1:{closed}/ready", _Process(tmp_path / "crashed.log", code=3)),
    ]
    seen: list[tuple[str, int, int]] = []
    orders, reviews, crashed = wait_ready(targets, timeout=0.5, progress=lambda *done: seen.append(done))
    assert (orders.name, orders.status) == ("orders ready", "passed") and orders.detail.startswith(health + "/ready in ")
    assert (reviews.status, reviews.detail) == ("failed", 'not ready within 0.5 s (last answer: 503 {"database": "unreachable"})')
    assert (crashed.status, crashed.detail) == ("failed", "exited with code 3 before it was ready")
    assert crashed.excerpts[0].text == "ImportError: no module named shop"
    assert seen[0] == ("ready", 2, 3)
