"""The report a black-box tool writes, counted: JUnit XML (pytest, hurl, newman, k6 through a
reporter, most runners), or the JSON of pytest-json-report, newman, hurl, k6 and Playwright."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from migrator.verify.adapters.suite import count_junit
from migrator.verify.domain.black_box import Tally


def read_tally(path: Path) -> Tally | str:
    """The counts in the report at ``path``, or why they cannot be read."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        return f"the suite wrote no report at {path} ({error.strerror or error})"
    if text.lstrip().startswith("<"):
        try:
            counts = count_junit(path)
        except ParseError as error:
            return f"{path} is not JUnit XML ({error})"
        return Tally(counts.tests, counts.passed, counts.failed + counts.errors, counts.skipped, counts.failing)
    try:
        data = json.loads(text)
    except ValueError as error:
        return f"{path} is neither JUnit XML nor JSON ({error})"
    for reader in _READERS:
        tally = reader(data)
        if tally is not None:
            return tally
    return f"{path} is JSON of no format migrator reads (pytest-json-report, newman, hurl, k6, Playwright); give a JUnit XML report instead"


def _pytest_json(data: Any) -> Tally | None:
    summary = data.get("summary") if isinstance(data, dict) else None
    if not isinstance(summary, dict) or "total" not in summary:
        return None
    failing = tuple(t.get("nodeid", "") for t in data.get("tests") or () if t.get("outcome") in ("failed", "error"))
    failed = int(summary.get("failed", 0)) + int(summary.get("error", 0))
    return Tally(int(summary["total"]), int(summary.get("passed", 0)), failed, int(summary.get("skipped", 0)), failing)


def _newman(data: Any) -> Tally | None:
    stats = (data.get("run") or {}).get("stats") if isinstance(data, dict) else None
    if not isinstance(stats, dict) or "assertions" not in stats:
        return None
    total, failed = int(stats["assertions"].get("total", 0)), int(stats["assertions"].get("failed", 0))
    failing = tuple(str((f.get("source") or {}).get("name", "")) + ": " + str((f.get("error") or {}).get("test", "")) for f in data["run"].get("failures") or ())
    return Tally(total, total - failed, failed, 0, failing)


def _hurl(data: Any) -> Tally | None:
    if not isinstance(data, list) or not all(isinstance(f, dict) and "success" in f for f in data):
        return None
    failing = tuple(str(f.get("filename", "")) for f in data if not f["success"])
    return Tally(len(data), len(data) - len(failing), len(failing), 0, failing)


def _k6(data: Any) -> Tally | None:
    checks = (data.get("metrics") or {}).get("checks") if isinstance(data, dict) else None
    if not isinstance(checks, dict):
        return None
    values = checks.get("values", checks)  # handleSummary's JSON, or --summary-export's
    passes, fails = int(values.get("passes", 0)), int(values.get("fails", 0))
    return Tally(passes + fails, passes, fails)


def _playwright(data: Any) -> Tally | None:
    stats = data.get("stats") if isinstance(data, dict) else None
    if not isinstance(stats, dict) or "expected" not in stats:
        return None
    passed, failed, skipped = int(stats["expected"]) + int(stats.get("flaky", 0)), int(stats.get("unexpected", 0)), int(stats.get("skipped", 0))
    return Tally(passed + failed + skipped, passed, failed, skipped)


_READERS: tuple[Callable[[Any], Tally | None], ...] = (_pytest_json, _newman, _hurl, _k6, _playwright)
