"""Each test's outcome appended to ``MIGRATOR_SUITE_RESULTS`` as one JSON line: its id, passed,
failed, error or skipped, the first failing assertion (the deepest line of the monolith's own code
on the failure's traceback, and the exception) and what it did in process only (``flags``).

unittest's ``TestResult`` is patched (``python -m unittest``, Django's test runner, a project's own
command); under pytest the plugin ``pytest_plugin`` records instead."""

from __future__ import annotations

import json
import os
import traceback
import unittest
from types import TracebackType
from typing import Any

from . import flags, in_process

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def record(test_id: str, outcome: str, *, failure: str = "", in_process: list[str] | None = None) -> None:
    line = {"id": test_id, "outcome": outcome, "failure": failure, "in_process": in_process or [], "gaps": list(flags.GAPS)}
    with open(os.environ["MIGRATOR_SUITE_RESULTS"], "a", encoding="utf-8") as file:
        file.write(json.dumps(line) + "\n")


def first_failure(error: BaseException, tb: TracebackType | None) -> str:
    """``path:line: code`` of the deepest frame in the monolith's folder (the test's assertion),
    then the exception's first line."""
    source = os.path.realpath(os.environ.get("MIGRATOR_SUITE_SOURCE") or os.getcwd())
    frames = [frame for frame in traceback.extract_tb(tb) if os.path.realpath(frame.filename).startswith(source + os.sep)
              and "site-packages" not in frame.filename]
    message = f"{type(error).__name__}: {error}".strip().splitlines()
    where = ""
    if frames:
        frame = frames[-1]
        where = f"{os.path.relpath(frame.filename, source)}:{frame.lineno}: {(frame.line or '').strip()}\n"
    return (where + " ".join(message[:3]))[:1000]


def install() -> None:
    """Record what unittest's results hear."""
    base = unittest.TestResult
    original = {name: getattr(base, name) for name in ("startTest", "addSuccess", "addFailure", "addError", "addSkip",
                                                        "addExpectedFailure", "addUnexpectedSuccess", "addSubTest")}

    def start(self: Any, test: Any) -> None:
        flags.begin(test.id())
        original["startTest"](self, test)

    def outcome(name: str, kind: str) -> Any:
        def add(self: Any, test: Any, *args: Any) -> None:
            in_process.note_unused_mocks()
            failure = ""
            if kind in ("failed", "error") and args and isinstance(args[0], tuple):
                failure = first_failure(args[0][1], args[0][2])
            record(test.id(), kind, failure=failure, in_process=list(flags.CURRENT))
            original[name](self, test, *args)
        return add

    def sub_test(self: Any, test: Any, subtest: Any, error: ExcInfo | None) -> None:
        if error is not None:
            kind = "failed" if issubclass(error[0], test.failureException) else "error"
            record(test.id(), kind, failure=first_failure(error[1], error[2]), in_process=list(flags.CURRENT))
        original["addSubTest"](self, test, subtest, error)

    base.startTest = start  # type: ignore[method-assign]
    base.addSuccess = outcome("addSuccess", "passed")  # type: ignore[method-assign]
    base.addFailure = outcome("addFailure", "failed")  # type: ignore[method-assign]
    base.addError = outcome("addError", "error")  # type: ignore[method-assign]
    base.addSkip = outcome("addSkip", "skipped")  # type: ignore[method-assign]
    base.addExpectedFailure = outcome("addExpectedFailure", "passed")  # type: ignore[method-assign]
    base.addUnexpectedSuccess = outcome("addUnexpectedSuccess", "failed")  # type: ignore[method-assign]
    base.addSubTest = sub_test  # type: ignore[method-assign]
