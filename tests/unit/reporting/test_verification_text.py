"""What ``migrator verify`` prints: the table of checks, the details of what failed, the summary."""

from __future__ import annotations

from rich.console import Console

from migrator.reporting.verification_text import failure_details, summary_line, verification_table

REPORT = {
    "run_id": "verify_0001", "run_dir": "/tmp/run",
    "steps": [
        {"name": "orders ready", "status": "passed", "detail": "in 0.4 s", "log": "/tmp/run/logs/orders.log", "excerpts": [], "counts": {},
         "failures": []},
        {"name": "monolith test suite", "status": "failed", "detail": "1/2 passed, 1 failed [Errno 111]", "log": "/tmp/run/tests.log",
         "excerpts": [{"source": "/tmp/run/tests.log", "what": "the end of", "text": "FAILED test_cart::test_add - assert [bold]"}],
         "counts": {}, "failures": ["shop.tests.test_cart::test_add"]},
        {"name": "schemathesis orders", "status": "failed", "detail": "3 operations tested, 1 server error: GET /api/orders",
         "log": "/tmp/run/st-orders.log", "excerpts": [{"source": "/tmp/run/logs/orders.log", "what": "the last traceback in",
                                                         "text": "Traceback (most recent call last):\nValueError: boom"}],
         "counts": {}, "failures": ["GET /api/orders"]},
        {"name": "schemathesis cart", "status": "skipped", "detail": "the system did not get ready", "log": None, "excerpts": [],
         "counts": {}, "failures": []},
    ],
}


def test_the_table_has_a_row_per_check_and_shows_text_from_logs_as_it_is() -> None:
    console = Console(width=160, record=True, color_system=None)
    console.print(verification_table(REPORT))
    text = console.export_text()
    assert "│ orders ready        │ PASS   │ in 0.4 s" in text
    assert "│ monolith test suite │ FAIL   │ 1/2 passed, 1 failed [Errno 111]" in text
    assert "│ schemathesis cart   │ SKIP   │ the system did not get ready" in text


def test_failure_details_name_what_failed_and_the_parts_of_logs_that_show_why() -> None:
    assert failure_details(REPORT).splitlines() == [
        "--- monolith test suite: 1/2 passed, 1 failed [Errno 111]",
        "    failed: shop.tests.test_cart::test_add",
        "    the end of /tmp/run/tests.log:",
        "      FAILED test_cart::test_add - assert [bold]",
        "",
        "--- schemathesis orders: 3 operations tested, 1 server error: GET /api/orders",
        "    log: /tmp/run/st-orders.log",
        "    the last traceback in /tmp/run/logs/orders.log:",
        "      Traceback (most recent call last):",
        "      ValueError: boom",
    ]
    assert summary_line(REPORT) == "2 of 4 checks failed; logs and reports kept in /tmp/run"
    assert summary_line({**REPORT, "steps": REPORT["steps"][:1], "run_dir": None}) == "All 1 checks passed."
