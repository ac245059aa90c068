"""Schemathesis' JSON report read back: operations tested, server errors, other failures."""

from __future__ import annotations

import json
from pathlib import Path

from migrator.verify.adapters.schemathesis import read_schemathesis_report


def test_the_schemathesis_report_gives_operations_tested_and_server_errors(tmp_path: Path) -> None:
    report = tmp_path / "schemathesis.json"
    report.write_text(json.dumps({
        "operations": {"total": 6, "selected": 6, "tested": 5, "errored": 0, "skipped": 1},
        "failures": [
            {"type": "ServerError", "code": "ST101", "count": 2, "operations": ["POST /api/orders", "GET /api/orders/{order_id}"]},
            {"type": "ResponseTimeExceeded", "code": "ST301", "count": 1, "operations": ["GET /api/orders"]},
        ],
        "errors": [{"message": "connection refused"}],
    }))
    outcome = read_schemathesis_report(report)
    assert (outcome.tested, outcome.server_errors, outcome.other_failures, outcome.errors) == (5, 2, 1, 1)
    assert outcome.operations == ("GET /api/orders", "GET /api/orders/{order_id}", "POST /api/orders")
