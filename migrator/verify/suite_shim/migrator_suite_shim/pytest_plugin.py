"""pytest's side of ``results``: one line per test (its node id), the failure of its call, or of
its setup or teardown when those fail."""

from __future__ import annotations

from typing import Any

from . import flags, in_process, results

_OUTCOMES: dict[str, tuple[str, str]] = {}


def pytest_runtest_setup(item: Any) -> None:
    flags.begin(item.nodeid)


def pytest_runtest_makereport(item: Any, call: Any) -> None:
    if call.excinfo is None or item.nodeid in _OUTCOMES:
        return
    import pytest

    if call.excinfo.errisinstance(pytest.skip.Exception):
        _OUTCOMES[item.nodeid] = ("skipped", "")
        return
    kind = "failed" if call.when == "call" else "error"
    _OUTCOMES[item.nodeid] = (kind, results.first_failure(call.excinfo.value, call.excinfo.tb))


def pytest_runtest_logfinish(nodeid: str, location: Any) -> None:
    in_process.note_unused_mocks()
    outcome, failure = _OUTCOMES.pop(nodeid, ("passed", ""))
    results.record(nodeid, outcome, failure=failure, in_process=list(flags.CURRENT))
