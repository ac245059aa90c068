"""A traced run: the program started on the application's interpreter with the agent first on its
PYTHONPATH (then verify's own-suite shim, which records each test's outcome, then the project's
folder), the tests done shown as they finish, and what the agent wrote read back."""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from migrator.errors import MigratorError
from migrator.model.progress import Progress
from migrator.verify.adapters.logs import tail
from migrator.verify.adapters.own_suite_run import SHIM
from migrator.verify.adapters.processes import Supervisor
from migrator.verify.domain.own_suite import read_outcomes

AGENT = Path(__file__).resolve().parent / "agent"
_TEST_FUNCTION = re.compile(r"^\s*(?:async\s+)?def test\w*\(", re.MULTILINE)
POLL_SECONDS = 0.2


@dataclass(frozen=True)
class TracedRun:
    """What the agent recorded, each test's outcome, and how the program ended."""

    raw: Mapping[str, Any]
    outcomes: Mapping[str, str]
    exit_code: int
    seconds: float
    log: Path


def agent_env(*, traced: Path, cwd: Path, output: Path, results: Path) -> dict[str, str]:
    """The variables that put the agent under a Python program (and verify's shim beside it); the
    pytest plugins are named for any program, since a command may run pytest too."""
    plugins = ["migrator_trace_agent.pytest_plugin", "migrator_suite_shim.pytest_plugin"]
    path = os.pathsep.join([str(AGENT), str(SHIM), str(cwd), *filter(None, [os.environ.get("PYTHONPATH")])])
    return {"MIGRATOR_TRACE_OUTPUT": str(output), "MIGRATOR_TRACE_ROOT": str(traced), "MIGRATOR_SUITE_RESULTS": str(results),
            "MIGRATOR_SUITE_SOURCE": str(cwd), "PYTEST_PLUGINS": ",".join(plugins), "PYTHONPATH": path, "PYTHONUNBUFFERED": "1"}


def expected_tests(folder: Path) -> int:
    """About how many tests the suite under ``folder`` has (its test functions), for the progress bar."""
    total = 0
    for path in folder.rglob("test*.py"):
        if not any(part in (".venv", "venv", "site-packages", "node_modules", ".tox") for part in path.parts):
            total += len(_TEST_FUNCTION.findall(path.read_text(encoding="utf-8", errors="replace")))
    return total


def run_traced(argv: Sequence[str], *, cwd: Path, env: Mapping[str, str], work: Path, traced: Path, expected: int,
               progress: Progress) -> TracedRun:
    """Run ``argv`` (the interpreter first) from ``cwd`` under the agent, tracing the code under ``traced``."""
    output, results, log = work / "raw-trace.json", work / "outcomes.jsonl", work / "trace.log"
    results.write_text("", encoding="utf-8")
    output.unlink(missing_ok=True)
    supervisor = Supervisor()
    started = time.monotonic()
    full_env = {**env, **agent_env(traced=traced, cwd=cwd, output=output, results=results)}
    try:
        with supervisor.interruptible():
            child = supervisor.start("traced", list(argv), cwd=cwd, env=full_env, log=log)
            while (code := child.exit_code()) is None:
                done = _lines(results)
                progress("trace", done, max(expected, done + 1))
                time.sleep(POLL_SECONDS)
    finally:
        supervisor.stop_all()
    seconds = time.monotonic() - started
    outcomes = {test: outcome.outcome for test, outcome in read_outcomes(results.read_text(encoding="utf-8")).items()}
    progress("trace", len(outcomes), max(len(outcomes), 1))
    if not output.is_file():
        raise MigratorError(f"{' '.join(argv)} (in {cwd}) ended with exit code {code} and left no trace: it never got to its end "
                            f"in Python, or is no Python program\n{tail(log)}", hint=f"its whole output: {log}")
    try:
        raw = json.loads(output.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise MigratorError(f"the trace the agent wrote is broken ({error}): {output}", hint=f"its output: {log}") from None
    return TracedRun(raw, outcomes, code, seconds, log)


def _lines(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except OSError:
        return 0
