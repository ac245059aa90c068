"""pytest's side of ``contexts``: each test is a use case, from its setup to its teardown (a
fixture's calls belong to the test that first needs it)."""

from __future__ import annotations

from typing import Any

from . import contexts


def pytest_runtest_setup(item: Any) -> None:
    contexts.STATE.start_test(item.nodeid)


def pytest_runtest_logfinish(nodeid: str, location: Any) -> None:
    contexts.STATE.end_test()
