"""Benchmark: what ``migrator trace`` costs and what it finds, on real test suites.

    python benchmarks/trace_overhead.py                          # sample, flasky, chipy-org
    python benchmarks/trace_overhead.py --apps sample,flasky --runs 3 --python /path/to/python3.12

Per application, in one run: its own test suite (found as ``migrator trace`` finds it) run as it
is and under the tracer, in the same environment (built here with uv on ``--python``, default the
oldest Python 3.12+ this machine has, for sys.monitoring; else migrator's own); the ratio of wall
and of CPU time (the children's user + system time, steadier on a shared machine); then the trace
merged into the application's graph: the share of static call edges seen at run time and the call
edges static analysis missed. The best of ``--runs`` runs is kept for each timing; each
application's trace is kept in ``benchmarks/.data/traces/<app>.json``.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _util import DATA, REPO, SetupError, last_line, table  # noqa: E402  (the benchmarks folder is not a package)

sys.path.insert(0, str(REPO))

from migrator.config import load_project_config  # noqa: E402
from migrator.engine.run import analyze_tree  # noqa: E402
from migrator.model.runtime import apply_trace  # noqa: E402
from migrator.pipeline.analysis import AnalyzeRequest, build_analysis  # noqa: E402
from migrator.pipeline.generation import monolith_requirements  # noqa: E402
from migrator.pipeline.tracing import TraceRequest, own_suite, trace  # noqa: E402
from migrator.verify.adapters.environments import find_uv  # noqa: E402
from migrator.verify.domain.system import SUITE_TOOLS  # noqa: E402
from tests.corpus import CHIPY_CONFIG, CORPUS, FLASKY_CONFIG, PARSIFAL_CONFIG, configured_copy  # noqa: E402

APPS = {
    "sample": (None, {}),
    "flasky": (FLASKY_CONFIG, {}),
    "chipy-org": (CHIPY_CONFIG, {}),
    "parsifal": (PARSIFAL_CONFIG, {"DATABASE_URL": "sqlite:///{work}/parsifal.sqlite3"}),
}
"""Application -> its [tool.migrator] configuration (tests/corpus.py) and variables its suite needs here."""
TRACES = DATA / "traces"
"""Where each application's last trace is kept (``benchmarks/propose_traced.py`` reads them)."""
PINS_FROM_312 = {"markdown": "Markdown==3.4.4", "six": "six==1.16.0"}
"""Pins that do not build or import on Python 3.12 replaced (flasky's: Markdown 2.6.8's setup.py
imports ``imp``; six 1.10's ``six.moves`` importer uses ``find_module``, gone in 3.12)."""
EXTRA_FROM_312 = ("setuptools",)
"""From 3.12 the standard library has no distutils: setuptools brings it back for old packages
(flasky's Flask-Moment 0.5.1 imports ``distutils.version``)."""


@dataclass
class Measured:
    app: str
    tests: int
    passed: int
    tracer: str
    python: str
    plain_wall: float
    plain_cpu: float
    traced_wall: float
    traced_cpu: float
    static_calls: int
    confirmed: int
    function_calls: int
    confirmed_functions: int
    dynamic: int
    routes: int
    transactions: int


def monitoring_python() -> str:
    """The oldest interpreter with sys.monitoring (3.12+: old pins install there best): this one,
    pyenv's, the PATH's; else this one."""
    if sys.version_info >= (3, 12):
        return sys.executable
    candidates = sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.1[2-9]*/bin/python3")))
    candidates += [p for p in (shutil.which("python3.12"), shutil.which("python3.13")) if p]
    for candidate in candidates:
        if subprocess.run([candidate, "-c", "import sys; sys.monitoring"], capture_output=True).returncode == 0:
            return candidate
    return sys.executable


def source_of(app: str, work: Path) -> Path:
    if app == "sample":
        return REPO / "sample_monolith"
    config, _ = APPS[app]
    if not (CORPUS / app).is_dir():
        raise SetupError(f"{CORPUS / app} is missing: the corpus lives beside the repository, at ../shared/corpus")
    return configured_copy(app, work, config or "")


def environment(app: str, src: Path, python: str) -> Path:
    """A virtual environment on ``python`` with what the project declares and its suite's tools, built once."""
    suite, _ = own_suite(src)
    declared = monolith_requirements(src)
    version = subprocess.run([python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"], capture_output=True, text=True,
                             check=True).stdout.strip()
    newer = tuple(map(int, version.split("."))) >= (3, 12)
    wanted = [PINS_FROM_312.get(line.split("==")[0].lower(), line) if newer else line for line in declared.requirements]
    wanted += [*SUITE_TOOLS, *suite.tools, *(EXTRA_FROM_312 if newer else ())]
    folder = DATA / "trace-envs" / f"{app}-py{version}"
    ready = folder / "ready.json"
    if ready.is_file() and json.loads(ready.read_text()) == wanted:
        return folder / "bin" / "python"
    shutil.rmtree(folder, ignore_errors=True)
    folder.parent.mkdir(parents=True, exist_ok=True)
    uv = find_uv()
    (folder.parent / f"{app}-requirements.txt").write_text("\n".join(wanted) + "\n", encoding="utf-8")
    for argv in ([uv, "venv", "-q", "--python", python, str(folder)],
                 [uv, "pip", "install", "-q", "--python", str(folder / "bin" / "python"), "-r", str(folder.parent / f"{app}-requirements.txt")]):
        done = subprocess.run(argv, capture_output=True, text=True)
        if done.returncode != 0:
            raise SetupError(f"{app}: cannot build its environment on {python}: {last_line(done.stderr)}")
    ready.write_text(json.dumps(wanted), encoding="utf-8")
    return folder / "bin" / "python"


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_plain(src: Path, python: Path, env: dict[str, str]) -> tuple[float, float]:
    suite, cwd = own_suite(src)
    cpu, started = children_cpu(), time.monotonic()
    subprocess.run([str(python), *suite.argv], cwd=cwd, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - started, children_cpu() - cpu


def run_traced(src: Path, python: Path, env: dict[str, str], output: Path):  # noqa: ANN201
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        cpu = children_cpu()
        result = trace(TraceRequest(src=src, python=python, output=output, force=True), lambda *_: None)
        return result, result.trace.seconds, children_cpu() - cpu
    finally:
        os.environ.clear()
        os.environ.update(saved)


def measure(app: str, work: Path, python: str, runs: int) -> Measured:
    src = source_of(app, work)
    interpreter = environment(app, src, python)
    TRACES.mkdir(parents=True, exist_ok=True)
    env = {**load_project_config(src).env, **{k: v.format(work=work) for k, v in APPS[app][1].items()}}
    plain, traced = [], []
    result = None
    for _ in range(runs):
        plain.append(run_plain(src, interpreter, env))
        result, wall, cpu = run_traced(src, interpreter, env, TRACES / f"{app}.json")
        traced.append((wall, cpu))
    assert result is not None
    graph = build_analysis(AnalyzeRequest(src=src)).graph
    _, match = apply_trace(graph, result.trace)
    summary = result.summary()
    return Measured(app, int(summary["tests"]), int(summary["passed"]), result.trace.tracer, result.trace.python,
                    min(w for w, _ in plain), min(c for _, c in plain), min(w for w, _ in traced), min(c for _, c in traced),
                    match.static_calls, match.confirmed, match.static_function_calls, match.confirmed_function_calls, match.dynamic, int(summary["routes"]), int(summary["transactions"]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--apps", default="sample,flasky,chipy-org", help=f"comma-separated, of {', '.join(APPS)}")
    parser.add_argument("--runs", type=int, default=1, help="runs of each suite, plain and traced; the best is kept")
    parser.add_argument("--python", default=None, help="the interpreter the applications' environments are built on")
    parser.add_argument("--json", type=Path, help="also write the measurements there")
    args = parser.parse_args()
    python = args.python or monitoring_python()
    rows, found = [], []
    with tempfile.TemporaryDirectory(prefix="trace-bench-") as folder:
        for app in args.apps.split(","):
            try:
                m = measure(app, Path(folder), python, args.runs)
            except SetupError as error:
                print(f"{app}: skipped: {error}", file=sys.stderr)
                continue
            found.append(m)
            rows.append([m.app, f"{m.passed}/{m.tests}", f"{m.tracer} ({m.python})", f"{m.plain_wall:.1f}", f"{m.traced_wall:.1f}",
                         f"{m.traced_wall / m.plain_wall:.2f}x", f"{m.plain_cpu:.1f}", f"{m.traced_cpu:.1f}", f"{m.traced_cpu / m.plain_cpu:.2f}x",
                         f"{m.confirmed}/{m.static_calls} ({m.confirmed / max(m.static_calls, 1):.0%})",
                         f"{m.confirmed_functions}/{m.function_calls} ({m.confirmed_functions / max(m.function_calls, 1):.0%})", str(m.dynamic), str(m.routes),
                         str(m.transactions)])
    print(table(["app", "passed", "tracer", "plain s", "traced s", "wall ratio", "plain cpu", "traced cpu", "cpu ratio",
                 "static call edges seen", "to functions seen", "missed by static", "routes", "txns"], rows))
    if args.json:
        args.json.write_text(json.dumps([m.__dict__ for m in found], indent=2) + "\n", encoding="utf-8")
    return 0 if found else 1


if __name__ == "__main__":
    sys.exit(main())
