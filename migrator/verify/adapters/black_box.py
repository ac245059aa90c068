"""The ``SuiteRunner`` port: a black-box suite's command run by the shell, where migrator was
called, against a recording proxy in front of its target; its report counted."""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

from migrator.verify.adapters.processes import Supervisor
from migrator.verify.adapters.recording_proxy import recording_proxy
from migrator.verify.adapters.suite_reports import read_tally
from migrator.verify.domain.black_box import BASE_URL, JUNIT, BlackBoxSuite, SuiteRun, Tally

SHELL = "/bin/sh"


class LocalSuiteRunner:
    def __init__(self, supervisor: Supervisor) -> None:
        self.supervisor = supervisor

    def run(self, name: str, suite: BlackBoxSuite, *, target: str, target_url: str, run_dir: Path) -> SuiteRun:
        junit, log = run_dir / f"{name}.xml", run_dir / f"{name}.log"
        report = suite.cwd / suite.report if suite.report else None
        if report is not None:
            report.unlink(missing_ok=True)  # a report left by an earlier run would be counted as this one's
        with recording_proxy(target_url) as (base_url, recording):
            command = suite.command.replace(BASE_URL, shlex.quote(base_url)).replace(JUNIT, shlex.quote(str(junit)))
            code = self.supervisor.run(name, [SHELL, "-c", command], cwd=suite.cwd, env={}, log=log)
        tally: Tally | str | None = None
        if report is not None:
            tally = read_tally(report)
            if isinstance(tally, Tally):
                shutil.copyfile(report, run_dir / f"{name}-report{report.suffix}")
        elif JUNIT in suite.command:
            tally = read_tally(junit)
        problem = tally if isinstance(tally, str) else ""
        return SuiteRun(target, code, str(log), tally if isinstance(tally, Tally) else None, problem, tuple(recording.exchanges))

