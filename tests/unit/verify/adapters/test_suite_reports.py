"""A black-box tool's report counted: JUnit XML and the JSON formats of the common tools."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from migrator.verify.adapters.suite_reports import read_tally
from migrator.verify.domain.black_box import Tally

JUNIT = """<?xml version="1.0"?><testsuites><testsuite name="hurl">
<testcase classname="api.hurl" name="orders"/><testcase classname="api.hurl" name="items"><failure message="assert"/></testcase>
<testcase classname="api.hurl" name="later"><skipped/></testcase></testsuite></testsuites>"""


@pytest.mark.parametrize(("content", "tally"), [
    (JUNIT, Tally(3, 1, 1, 1, ("api.hurl::items",))),
    (json.dumps({"summary": {"passed": 2, "failed": 1, "total": 3}, "tests": [{"nodeid": "t.py::a", "outcome": "failed"}]}),
     Tally(3, 2, 1, 0, ("t.py::a",))),
    (json.dumps({"run": {"stats": {"assertions": {"total": 4, "failed": 1}}, "failures": [{"source": {"name": "GET orders"}, "error": {"test": "200"}}]}}),
     Tally(4, 3, 1, 0, ("GET orders: 200",))),
    (json.dumps([{"filename": "a.hurl", "success": True}, {"filename": "b.hurl", "success": False}]), Tally(2, 1, 1, 0, ("b.hurl",))),
    (json.dumps({"metrics": {"checks": {"passes": 9, "fails": 1}}}), Tally(10, 9, 1)),
    (json.dumps({"metrics": {"checks": {"values": {"passes": 3, "fails": 0}}}}), Tally(3, 3, 0)),
    (json.dumps({"stats": {"expected": 5, "unexpected": 1, "flaky": 1, "skipped": 2}}), Tally(9, 6, 1, 2)),
], ids=["junit", "pytest-json-report", "newman", "hurl", "k6-export", "k6-summary", "playwright"])
def test_each_format_is_counted(tmp_path: Path, content: str, tally: Tally) -> None:
    path = tmp_path / "report"
    path.write_text(content)
    assert read_tally(path) == tally


def test_what_cannot_be_counted_says_why(tmp_path: Path) -> None:
    assert read_tally(tmp_path / "missing.xml").startswith(f"the suite wrote no report at {tmp_path / 'missing.xml'}")
    (tmp_path / "other.json").write_text('{"results": []}')
    assert "JSON of no format migrator reads" in str(read_tally(tmp_path / "other.json"))
    (tmp_path / "broken.xml").write_text("<testsuite")
    assert "is not JUnit XML" in str(read_tally(tmp_path / "broken.xml"))
