"""The parts of logs a failed check shows: the end, the last traceback, a section."""

from __future__ import annotations

from pathlib import Path

from migrator.verify.adapters.logs import last_traceback, section, tail


def test_a_log_tail_shows_a_repeated_line_once(tmp_path: Path) -> None:
    log = tmp_path / "orders.log"
    log.write_text("started\n" + '"GET /healthz/ready" 503\n' * 40 + "stopping\n")
    assert tail(log).splitlines() == ["started", '"GET /healthz/ready" 503', "[the line above 39 more times]", "stopping"]
    assert tail(log, lines=2).splitlines() == ["[the line above 39 more times]", "stopping"]
    assert tail(tmp_path / "missing.log") == ""


def test_the_last_traceback_of_a_log_ends_at_its_exception_line(tmp_path: Path) -> None:
    log = tmp_path / "catalog.log"
    log.write_text(
        "Traceback (most recent call last):\n  File \"a.py\", line 1\nKeyError: 'old'\n"
        'INFO:     "GET /api/x HTTP/1.1" 500\n'
        "Traceback (most recent call last):\n  File \"b.py\", line 2, in item\n    raise OverflowError\n"
        "OverflowError: Python int too large to convert to SQLite INTEGER\n"
        'INFO:     "GET /api/y HTTP/1.1" 200\n'
    )
    assert last_traceback(log).splitlines() == [
        "Traceback (most recent call last):", '  File "b.py", line 2, in item', "    raise OverflowError",
        "OverflowError: Python int too large to convert to SQLite INTEGER",
    ]
    assert last_traceback(log, lines=2).splitlines() == ["    raise OverflowError", "OverflowError: Python int too large to convert to SQLite INTEGER"]
    (tmp_path / "quiet.log").write_text("INFO: started\n")
    assert last_traceback(tmp_path / "quiet.log") == ""


def test_a_section_runs_from_its_heading_to_the_next_rule(tmp_path: Path) -> None:
    log = tmp_path / "schemathesis.log"
    log.write_text("== SUMMARY ==\nnothing\n=================== FAILURES ===================\n\n"
                   "GET /api/x\n  curl -X GET http://127.0.0.1/api/x\n\n===================== 1 failed =====================\n")
    assert section(log, "FAILURES") == "GET /api/x\n  curl -X GET http://127.0.0.1/api/x"
    assert section(log, "WARNINGS") == ""
    assert section(tmp_path / "missing.log", "FAILURES") == ""
