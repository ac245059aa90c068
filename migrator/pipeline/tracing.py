"""``migrator trace``: the monolith's own test suite (found as ``migrator verify`` finds it) or any
command, run under the tracer in the application's own environment (built by uv from what the
project declares, as verify builds the system's, or an interpreter the user names), written as
trace.json."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from migrator.config import load_project_config
from migrator.errors import MigratorError
from migrator.model.progress import Progress
from migrator.model.graph import DependencyGraph
from migrator.model.runtime import RuntimeMatch, apply_trace
from migrator.model.trace import RUN, TEST, Trace, read_trace, trace_to_json
from migrator.pipeline.generation import monolith_requirements
from migrator.pipeline.monolith import application_environment
from migrator.tracing.records import trace_from_records
from migrator.tracing.running import expected_tests, run_traced
from migrator.verify.adapters.logs import tail
from migrator.verify.adapters.own_suite import find_own_suite
from migrator.verify.adapters.suite import import_root
from migrator.verify.domain.own_suite import PYTEST, PYTEST_DJANGO, OwnSuite
from migrator.verify.domain.system import SUITE_TOOLS
from migrator.writer import write_output

_PYTHONS = ("python", "python3")


@dataclass(frozen=True)
class TraceRequest:
    src: Path
    command: tuple[str, ...] = ()
    """A command to trace instead of the suite; a leading ``python`` is the application's interpreter."""
    python: Path | None = None
    """An interpreter that already has the application's requirements: no environment is built."""
    output: Path | None = None
    force: bool = False


@dataclass(frozen=True)
class TraceResult:
    trace: Trace
    interpreter: str
    warnings: tuple[str, ...] = ()

    def summary(self) -> dict[str, object]:
        tests = [u for u in self.trace.use_cases if u.kind == TEST]
        return {"tests": len(tests), "passed": sum(u.outcome == "passed" for u in tests),
                "routes": sum(u.kind == "route" for u in self.trace.use_cases), "calls": sum(self.trace.call_counts().values()),
                "call_edges": len(self.trace.call_counts()), "statements": len(self.trace.statements),
                "transactions": sum(self.trace.transactions().values()), "tracer": self.trace.tracer, "python": self.trace.python,
                "exit_code": self.trace.exit_code, "seconds": round(self.trace.seconds, 1)}


def trace(request: TraceRequest, progress: Progress) -> TraceResult:
    """Run and trace; write trace.json where asked. Fails when nothing was traced: no suite was
    found, the program left no trace, or a suite ran no test."""
    src = request.src
    if not src.is_dir():
        raise MigratorError(f"{src} is not a folder", hint="name the monolith's folder: migrator trace SRC [-o trace.json] [-- CMD]")
    cwd = import_root(src.resolve()) or src.resolve()
    suite = None if request.command else _own_suite(src.resolve(), cwd)
    python, interpreter, notes = _interpreter(request, src, suite)
    argv = _argv(request.command, suite, python)
    config = load_project_config(src)
    work = Path(tempfile.mkdtemp(prefix="migrator-trace-"))
    run = run_traced(argv, cwd=cwd, env=dict(config.env), work=work, traced=src.resolve(),
                     expected=expected_tests(src) if suite else 0, progress=progress)
    found = replace(trace_from_records(run.raw, outcomes=run.outcomes), command=tuple(argv[1:] if argv[0] == str(python) else argv),
                    suite=f"{suite.kind} ({suite.where})" if suite else "", exit_code=run.exit_code, seconds=run.seconds)
    warnings = _check(found, suite, run.exit_code, run.log, argv)  # on failure the run's folder stays: its log says why
    shutil.rmtree(work, ignore_errors=True)
    if request.output is not None:
        write_output(request.output, trace_to_json(found), force=request.force, ours=_is_our_trace)
    return TraceResult(found, interpreter, (*notes, *warnings))


def own_suite(src: Path) -> tuple[OwnSuite, Path]:
    """The suite ``migrator trace`` runs for ``src``, and the folder it runs from."""
    cwd = import_root(src.resolve()) or src.resolve()
    return _own_suite(src.resolve(), cwd), cwd


def _own_suite(src: Path, cwd: Path) -> OwnSuite:
    """verify's own-suite discovery; for a package, the tests inside it (run from its parent)."""
    suite = find_own_suite(src) if cwd != src else find_own_suite(cwd)
    if suite is None:
        raise MigratorError(f"no test suite found under {src}: no test files (test_*.py, *_test.py, *_tests.py, tests.py)",
                            hint="name what to trace after --, as you run it: migrator trace SRC -- python -m pytest")
    if cwd != src and suite.kind in (PYTEST, PYTEST_DJANGO):
        suite = replace(suite, argv=(*suite.argv, src.name))
    return suite


def _interpreter(request: TraceRequest, src: Path, suite: OwnSuite | None) -> tuple[Path, str, tuple[str, ...]]:
    if request.python is not None:
        if not request.python.is_file():
            raise MigratorError(f"--python {request.python} is not there", hint="name the interpreter of an environment that has the application's requirements")
        return request.python.absolute(), f"{request.python} (as it is)", ()  # absolute, not resolved: a venv's python is a link
    declared = monolith_requirements(src)
    built = application_environment(declared, tools=(*SUITE_TOOLS, *(suite.tools if suite else ())))
    return built.python, built.detail, (*declared.notes, *built.notes)


def _argv(command: tuple[str, ...], suite: OwnSuite | None, python: Path) -> list[str]:
    """The program to run: the suite on the application's interpreter, or the command with its
    ``python`` (or a script of the environment: ``pytest``, ``flask``) the environment's own."""
    if suite is not None:
        return [str(python), *suite.argv]
    if command and Path(command[0]).name in _PYTHONS:
        return [str(python), *command[1:]]
    script = python.parent / command[0] if command and "/" not in command[0] else None
    return [str(script), *command[1:]] if script is not None and script.is_file() else list(command)


def _check(found: Trace, suite: OwnSuite | None, code: int, log: Path, argv: list[str]) -> tuple[str, ...]:
    tests = [u for u in found.use_cases if u.kind == TEST]
    if suite is not None and not tests:
        raise MigratorError(f"{suite.kind} ({suite.where}) ran no test under the tracer (exit code {code}): {' '.join(argv)}\n{tail(log)}",
                            hint=f"its whole output: {log}; run it as `migrator trace SRC -- <command>` to see why, or set what its tests need in [tool.migrator.env]")
    if suite is None and code != 0:
        raise MigratorError(f"{' '.join(argv)} failed with exit code {code}\n{tail(log)}",
                            hint=f"fix the command: it must end with exit code 0 to be traced; its whole output: {log}")
    if code != 0:
        failed = sum(u.outcome in ("failed", "error") for u in tests)
        return (f"the suite ended with exit code {code} ({failed} of {len(tests)} tests failed): their calls are traced as far as they ran",)
    if not any(u.calls for u in found.use_cases if u.kind in (TEST, RUN)):
        return ("no function of the project ran under the tracer: is SRC the folder its code is in?",)
    return ()


def _is_our_trace(text: str) -> bool:
    return '"schema": "migrator.trace/1"' in text[:200]


def load_trace(path: Path) -> Trace:
    """trace.json read and checked; a missing or broken file is an error that says what to do."""
    if not path.is_file():
        raise MigratorError(f"{path}: no such trace file", hint="write one with `migrator trace SRC -o trace.json`")
    return read_trace(path.read_text(encoding="utf-8", errors="replace"), source=str(path))


def merge_trace(graph: DependencyGraph, path: Path) -> tuple[DependencyGraph, RuntimeMatch]:
    """``graph`` with the evidence of the trace at ``path``; a trace of another folder is refused."""
    found = load_trace(path)
    merged, match = apply_trace(graph, found)
    if not match.confirmed and not match.dynamic and found.call_counts():
        raise MigratorError(f"{path}: none of its {len(found.call_counts())} calls is between functions of the graph of {graph.root}",
                            hint=f"trace the same folder the graph is of (the trace is of {found.root or 'another folder'})")
    return merged, match


def runtime_note(match: RuntimeMatch) -> str:
    """One line on how the trace met the graph, for the summary."""
    return (f"run time: {match.confirmed} of {match.static_calls} static call edges seen ({match.confirmed_share:.0%}; "
            f"{match.confirmed_function_calls} of the {match.static_function_calls} to functions, {match.confirmed_function_share:.0%}), "
            f"{match.dynamic} call edges static analysis missed, {match.use_cases} use cases, "
            f"{match.routes_matched} of {match.routes_traced} traced routes matched, {match.transactions} observed transactions")
