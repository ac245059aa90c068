"""Benchmark: analyse Django's own source with migrator, beside grimp and pydeps, in one run.

    python benchmarks/analyze_django.py                 # medians of 5 runs, printed as a table
    python benchmarks/analyze_django.py --runs 3 --json results.json
    python benchmarks/analyze_django.py --profile       # where our cold and warm runs spend time

Every run is a fresh interpreter, so no import, cache or pool outlives it. The Django sdist is
downloaded from PyPI into benchmarks/.data/ and unpacked once. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _util import (  # noqa: E402  (the benchmarks folder is not a package)
    REPO,
    RESULT_MARKER,
    Run,
    SetupError,
    Spread,
    child_env,
    code_fingerprint,
    count_python,
    ensure_django,
    heal,
    last_line,
    maxrss_kilobytes,
    megabytes,
    ratio,
    run_process,
    run_python,
    seconds,
    table,
    touched,
)

TARGET_COLD_SECONDS = 4.0
TARGET_WARM_SECONDS = 1.0
TARGET_MEMORY_KB = 1024 * 1024
DEFAULT_TOUCH = "django/db/models/query.py"
PROFILE_FAILED = "the profiled run failed: "
EDIT_NAMES = {
    "comment": "1 file touched",
    "body": "1 function body edited",
    "call": "1 call added to a function",
    "function": "1 function added",
    "rename": "1 function renamed",
}
TOOLS = ("ours-cold", "ours-warm", "ours-edit", "ours-call", "ours-added", "ours-rename", "ours-package", "parse", "grimp", "pydeps")

SCOPES = {
    "all": "every .py file of the sdist (django/, tests/, docs/), nothing excluded",
    "cli": "what `migrator analyze SRC` reads: tests and migrations excluded by default",
    "package": "the django/ package only, nothing excluded: the files grimp and pydeps read",
}

# -- what runs in the child processes -----------------------------------------------------------

_REPORT_FAILURE = r"""
def report_failure(exc):
    import traceback
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.startswith(args["repo"])]
    where = f" at {frames[-1].filename[len(args['repo']) + 1:]}:{frames[-1].lineno}" if frames else ""
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    print(MARKER + json.dumps({"error": f"{type(exc).__name__}{where}: {message}"}))
"""

_MEMORY_SAMPLER = r"""
import os, threading

def _pss_kb(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            return next((int(line.split()[1]) for line in rollup if line.startswith("Pss:")), 0)
    except OSError:
        return 0

def _children(parent):
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as stat:
                    if int(stat.read().rsplit(")", 1)[1].split()[1]) == parent:
                        found.append(int(name))
            except (OSError, ValueError, IndexError):
                pass
    return found

class MemorySampler:
    # Pss, unlike RSS, splits the pages a forked worker shares with its parent, so the sum is true
    def __init__(self, interval=0.2):
        self.peak_kb, self.interval, self._stop = None, interval, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        if args.get("sample_memory") and os.path.exists("/proc/self/smaps_rollup"):
            self.peak_kb = 0
            self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self):
        me = os.getpid()
        while True:
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(pid) for pid in (me, *_children(me))))
            if self._stop.wait(self.interval):
                return
"""

OURS_CHILD = (
    r"""
import json, resource, sys, time
started = time.perf_counter()
from pathlib import Path
args = json.loads(sys.argv[1])
MARKER = args["marker"]
"""
    + _REPORT_FAILURE
    + _MEMORY_SAMPLER
    + r"""
from analyzers.base import AnalysisOptions
try:
    from migrator.engine.discovery import DEFAULT_EXCLUDES
    from migrator.engine.run import analyze_tree
    from migrator.model.graph_json import dumps_json
except ImportError:  # a revision from before the engine had a package of its own (compare_revisions)
    from analyzers.discovery import DEFAULT_EXCLUDES
    from analyzers.engine import analyze_tree
    from migrator.model.serialization import dumps_json
imported = time.perf_counter()
excludes = (DEFAULT_EXCLUDES if args["excludes"] is None else tuple(args["excludes"])) + tuple(args["exclude"])
options = AnalysisOptions(cache_dir=Path(args["cache"]), workers=args["workers"])
try:
    with MemorySampler() as memory:
        analysis = analyze_tree(Path(args["root"]), options=options, excludes=excludes)
        analysed = time.perf_counter()
        # as `migrator analyze -o graph.json` writes it: the text the engine keeps, else dumps_json
        text = analysis.graph_text if analysis.graph_text is not None else dumps_json(analysis.graph).encode()
        Path(args["out"]).write_bytes(text)
        written = time.perf_counter()
except BaseException as exc:  # a panic in a Rust extension is a BaseException, not an Exception
    report_failure(exc)
    sys.exit(0)
own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(MARKER + json.dumps({
    "inner": written - imported, "import": imported - started, "analysis": analysed - imported, "write": written - analysed,
    "stages": analysis.seconds, "files": analysis.files, "lines": analysis.lines, "reused": analysis.reused,
    "skipped": len(analysis.skipped), "notes": analysis.notes,
    "nodes": analysis.counts.nodes if analysis.counts else analysis.graph.count_nodes_by_kind(),
    "edges": analysis.counts.edges if analysis.counts else analysis.graph.count_edges_by_kind(),
    "maxrss_self": own.ru_maxrss, "maxrss_children": children.ru_maxrss, "pss_peak_kb": memory.peak_kb,
    "cpu_self": own.ru_utime + own.ru_stime, "cpu_children": children.ru_utime + children.ru_stime,
}))
"""
)


def _child(imports: str, body: str) -> str:
    """A child's script: ``imports``, its arguments (JSON in argv[1]), ``report_failure``, ``body``."""
    return imports.strip() + '\nargs = json.loads(sys.argv[1])\nMARKER = args["marker"]\n' + _REPORT_FAILURE + body


GRIMP_CHILD = _child(
    """
import importlib.util, json, sys, time
from pathlib import Path
""",
    r"""
spec = importlib.util.find_spec("django")
origin = Path(spec.origin).resolve() if spec and spec.origin else None
src = Path(args["src"]).resolve()
if origin is None or src not in origin.parents:
    print(MARKER + json.dumps({"error": f"django resolves to {origin}, not to the copy under {src}"}))
    sys.exit(0)
import grimp
started = time.perf_counter()
try:
    graph = grimp.build_graph("django", cache_dir=None)
except BaseException as exc:
    report_failure(exc)
    sys.exit(0)
built = time.perf_counter()
print(MARKER + json.dumps({"inner": built - started, "files": len(graph.modules), "imports": graph.count_imports()}))
"""
)

PARSE_CHILD = _child(
    """
import ast, gc, json, os, sys, time, warnings
from concurrent.futures import ProcessPoolExecutor
""",
    r"""
def parse_all(paths):
    gc.disable()
    warnings.simplefilter("ignore")
    parsed = 0
    for path in paths:
        try:
            with open(path, "rb") as handle:
                ast.parse(handle.read())
            parsed += 1
        except (SyntaxError, ValueError, OSError):
            pass
    return parsed

if __name__ == "__main__":
    paths = [os.path.join(folder, name) for folder, _, names in os.walk(args["root"]) for name in names if name.endswith(".py")]
    paths.sort(key=os.path.getsize, reverse=True)
    workers = args["workers"] or os.cpu_count() or 1
    started = time.perf_counter()
    try:
        with ProcessPoolExecutor(workers) as pool:
            parsed = sum(pool.map(parse_all, [paths[i::workers * 8] for i in range(workers * 8)]))
    except BaseException as exc:
        report_failure(exc)
        sys.exit(0)
    print(MARKER + json.dumps({"inner": time.perf_counter() - started, "files": parsed}))
"""
)

PROFILE_CHILD = r"""
import cProfile, io, json, pstats, sys
from pathlib import Path
args = json.loads(sys.argv[1])
from analyzers.base import AnalysisOptions
from migrator.engine.discovery import DEFAULT_EXCLUDES
from migrator.engine.run import analyze_tree
from migrator.model.graph_json import dumps_json
excludes = (DEFAULT_EXCLUDES if args["excludes"] is None else tuple(args["excludes"])) + tuple(args["exclude"])
options = AnalysisOptions(cache_dir=Path(args["cache"]), workers=1)
profiler = cProfile.Profile()
profiler.enable()
try:
    analysis = analyze_tree(Path(args["root"]), options=options, excludes=excludes)
    text = analysis.graph_text if analysis.graph_text is not None else dumps_json(analysis.graph).encode()
    Path(args["out"]).write_bytes(text)
except BaseException as exc:
    print(args["failed"] + f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
profiler.disable()
buffer = io.StringIO()
stats = pstats.Stats(profiler, stream=buffer)
stats.sort_stats("cumulative").print_stats(args["top"])
stats.sort_stats("tottime").print_stats(args["top"])
text = buffer.getvalue().replace(args["repo"] + "/", "").replace(sys.prefix, "<python>")
print(text)
"""


# -- measurement ------------------------------------------------------------------------------


@dataclass
class Series:
    """The runs of one tool: the good ones are measured, the failed ones are counted and explained."""

    label: str
    runs: list[Run] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    in_process: bool = True
    """Whether the child timed its own work (``inner``), besides the wall time of the whole process."""
    gave_up: bool = False

    def add(self, run: Run) -> None:
        if run.ok:
            self.runs.append(run)
            return
        self.failures.append(run.error or "failed")
        # a failure can be a race (grimp's panic on Django's tests/ is one), so keep trying;
        # but a timeout would only cost the same time again
        self.gave_up = run.timed_out

    @property
    def stopped(self) -> bool:
        return self.gave_up

    @property
    def error(self) -> str | None:
        if not self.failures:
            return None
        kinds = sorted(set(self.failures), key=self.failures.index)
        return "; ".join(kinds)

    def cpu(self) -> Spread | None:
        return Spread.of([r.cpu for r in self.runs if r.cpu is not None])

    def inner(self) -> Spread | None:
        return Spread.of([r.payload["inner"] for r in self.runs if "inner" in r.payload]) if self.in_process else None

    def wall(self) -> Spread | None:
        return Spread.of([r.wall for r in self.runs])

    def files(self) -> int | None:
        return self.runs[-1].payload.get("files") if self.runs else None


@dataclass
class WarmCheck:
    """Whether the warm runs saw the touched file, and only it, and built the cold run's graph."""

    rescanned_one: bool | None = None
    uncacheable: int | None = None
    """Files a run with nothing changed still scans: those that fail to parse are never cached."""
    unchanged_seconds: float | None = None
    same_as_cold: dict[str, tuple[bool, str]] = field(default_factory=dict)
    """Edit -> whether the first warm run after it wrote a cold run's graph.json, and what differs."""


@dataclass
class Bench:
    src: Path
    scope: str
    runs: int
    workers: int
    touch: str
    timeout: float
    skip: frozenset[str]
    scratch: Path
    exclude: tuple[str, ...] = ()
    """Globs left out of our runs on top of the scope's (as ``migrator analyze --exclude``)."""
    series: dict[str, Series] = field(default_factory=dict)
    warm_check: WarmCheck = field(default_factory=WarmCheck)
    memory_sampled: Run | None = None
    """The untimed cold run whose memory was sampled (``memory_run``)."""

    # where each tool looks
    def target(self, scope: str) -> tuple[Path, list[str] | None]:
        if scope == "package":
            return self.src / "django", []
        return self.src, ([] if scope == "all" else None)

    def fresh_dir(self, prefix: str) -> Path:
        return Path(tempfile.mkdtemp(prefix=prefix, dir=self.scratch))

    def ours(self, scope: str, cache: Path, out: Path, workers: int | None = None, *, sample_memory: bool = False) -> Run:
        """Our analysis in a fresh interpreter. Only with ``sample_memory`` does a thread sample the
        memory of every process (reading /proc costs the timed run about 0.1 s on Django)."""
        root, excludes = self.target(scope)
        args = {
            "marker": RESULT_MARKER,
            "repo": str(REPO),
            "root": str(root),
            "excludes": excludes,
            "exclude": list(self.exclude),
            "cache": str(cache),
            "out": str(out),
            "workers": self.workers if workers is None else workers,
            "sample_memory": sample_memory,
        }
        return run_python(OURS_CHILD, args, env=child_env([REPO]), timeout=self.timeout)

    def ours_cold(self, scope: str, *, sample_memory: bool = False) -> tuple[Run, Path]:
        cache = self.fresh_dir("cache-")
        return self.ours(scope, cache, cache / "graph.json", sample_memory=sample_memory), cache

    def memory_run(self) -> Run | None:
        """One more cold run, untimed, whose memory a thread samples: peak Pss of all processes."""
        if "ours-cold" in self.skip:
            return None
        run, cache = self.ours_cold(self.scope, sample_memory=True)
        shutil.rmtree(cache, ignore_errors=True)
        note("ours cold, memory sampled: " + (f"{run.wall:.2f} s" if run.ok else f"failed: {run.error}"))
        return run

    def grimp(self) -> Run:
        args = {"marker": RESULT_MARKER, "repo": str(REPO), "src": str(self.src)}
        return run_python(GRIMP_CHILD, args, env=child_env([self.src]), timeout=self.timeout)

    def pydeps(self) -> Run:
        if importlib.util.find_spec("pydeps") is None:
            return Run(0.0, error="pydeps is not installed: pip install -e '.[bench]'")
        # a neutral folder, so that no project's [pydeps] settings change what it does
        command = [sys.executable, "-m", "pydeps", str(self.src / "django"), "--show-deps", "--no-output"]
        run = run_process(command, env=child_env(), cwd=self.fresh_dir("pydeps-"), timeout=self.timeout)
        if not run.ok:
            if "dot" in (run.error or ""):
                run.error = f"{run.error} (pydeps wants graphviz: apt-get install graphviz)"
            return run
        try:
            run.payload = {"files": sum(1 for name in json.loads(run.stdout) if name.split(".")[0] == "django")}
        except json.JSONDecodeError:
            run.error = f"pydeps printed no JSON: {last_line(run.stdout)}"
        run.stdout = ""
        return run

    def parse_floor(self) -> Run:
        root, _ = self.target(self.scope)
        args = {"marker": RESULT_MARKER, "repo": str(REPO), "root": str(root), "workers": self.workers}
        return run_python(PARSE_CHILD, args, env=child_env([REPO]), timeout=self.timeout)

    # the rounds
    def run_cold_rounds(self) -> Path | None:
        """Every cold measurement, tools taking turns so that a slow spell of the machine hits all."""
        plan: list[tuple[str, str, Callable[[], Run]]] = []
        warm_cache: Path | None = None

        def cold(scope: str) -> Callable[[], Run]:
            def once() -> Run:
                nonlocal warm_cache
                run, cache = self.ours_cold(scope)
                if scope == self.scope and run.ok:
                    if warm_cache:
                        shutil.rmtree(warm_cache, ignore_errors=True)
                    warm_cache = cache  # the last good cold cache primes the warm runs
                else:
                    shutil.rmtree(cache, ignore_errors=True)
                return run

            return once

        plan.append(("ours-cold", f"ours cold ({self.scope})", cold(self.scope)))
        if self.scope != "package":
            plan.append(("ours-package", "ours cold (django/ only)", cold("package")))
        plan.append(("parse", f"ast.parse only, same pool ({self.scope})", self.parse_floor))
        plan.append(("grimp", "grimp build_graph", self.grimp))
        plan.append(("pydeps", "pydeps --show-deps", self.pydeps))
        plan = [p for p in plan if p[0] not in self.skip]
        for key, label, _ in plan:
            self.series[key] = Series(label, in_process=key != "pydeps")
        for index in range(self.runs):
            for key, label, once in plan:
                series = self.series[key]
                if series.stopped:
                    continue
                run = once()
                series.add(run)
                note(f"{label} {index + 1}/{self.runs}: " + (f"{run.wall:.2f} s" if run.ok else f"failed: {run.error}"))
        return warm_cache

    def run_warm(self, cache: Path | None) -> None:
        """Re-analyse after each kind of edit to one file; check against a cold run on that tree."""
        series = self.series["ours-warm"] = Series(f"ours warm ({self.scope}, 1 file touched)")
        if cache is None:
            cache = self.fresh_dir("cache-")
            primed = retried(lambda: self.ours(self.scope, cache, cache / "graph.json"))
            if not primed.ok:
                series.failures.append(f"could not prime the cache: {primed.error}")
                return
        # nothing changed: counts the files the cache never holds
        unchanged = retried(lambda: self.ours(self.scope, cache, cache / "warm.json"))
        if unchanged.ok:
            self.warm_check.uncacheable = unchanged.payload["files"] - unchanged.payload["reused"]
            self.warm_check.unchanged_seconds = unchanged.payload["inner"]
        rescanned = self.warm_series(series, cache, "comment")
        if rescanned and self.warm_check.uncacheable is not None:
            self.warm_check.rescanned_one = all(n == self.warm_check.uncacheable + 1 for n in rescanned)
        for edit, key in WARM_ROWS[1:]:
            if key not in self.skip:
                self.warm_series(self.series.setdefault(key, Series(f"ours warm ({self.scope}, {EDIT_NAMES[edit]})")), cache, edit)
        shutil.rmtree(cache, ignore_errors=True)

    def warm_series(self, series: Series, cache: Path, edit: str) -> list[int]:
        """``self.runs`` warm runs, each after ``edit`` to the touched file from its original
        state (the cache is brought back to that state between runs); the files each rescanned."""
        path = self.src / self.touch
        rescanned: list[int] = []
        for index in range(self.runs):
            if series.stopped:
                break
            with touched(path, f"{index} {time.time_ns()}", edit):
                run = self.ours(self.scope, cache, cache / "warm.json")
                series.add(run)
                note(f"{series.label} {index + 1}/{self.runs}: " + (f"{run.wall:.2f} s" if run.ok else f"failed: {run.error}"))
                if run.ok:
                    rescanned.append(run.payload["files"] - run.payload["reused"])
                    if index == 0:
                        self.compare_with_cold(cache / "warm.json", edit)
            if edit != "comment":  # else the next run's edit would be a change of comment only
                retried(lambda: self.ours(self.scope, cache, cache / "warm.json"))
        return rescanned

    def compare_with_cold(self, warm_graph: Path, edit: str) -> None:
        for _ in range(3):  # a race must not leave the check undone
            reference, cache = self.ours_cold(self.scope)
            if reference.ok or reference.timed_out:
                break
            shutil.rmtree(cache, ignore_errors=True)
        try:
            if not reference.ok:
                self.warm_check.same_as_cold[edit] = (False, f"the cold run on the touched tree failed: {reference.error}")
                return
            self.warm_check.same_as_cold[edit] = same_graph(warm_graph, cache / "graph.json")
        finally:
            shutil.rmtree(cache, ignore_errors=True)

    def run(self) -> None:
        if self.runs < 1:
            return
        warm_cache = self.run_cold_rounds()
        self.memory_sampled = self.memory_run()
        if "ours-warm" not in self.skip:
            self.run_warm(warm_cache)
        elif warm_cache:
            shutil.rmtree(warm_cache, ignore_errors=True)

    def profile(self, top: int = 15) -> str:
        """cProfile of a cold run and of a warm run, with the pool off so that the profile sees the work."""
        root, excludes = self.target(self.scope)
        cache = self.fresh_dir("profile-")
        args = {
            "repo": str(REPO), "root": str(root), "excludes": excludes, "exclude": list(self.exclude), "cache": str(cache),
            "out": str(cache / "graph.json"), "top": top, "failed": PROFILE_FAILED,
        }
        cold = self._profile_once(args, cold=True)
        warm = self._profile_once(args, cold=False)
        shutil.rmtree(cache, ignore_errors=True)
        parts = []
        for title, (run, attempt) in (("cold", cold), ("warm (one file touched)", warm)):
            body = run.stdout.strip() if run.ok else f"failed: {run.error}"
            scope = self.scope + "".join(f", --exclude {glob}" for glob in self.exclude)
            heading = f"profile of our {title} run, {scope} scope, workers=1: {run.wall:.2f} s under cProfile"
            parts.append(f"== {heading} (attempt {attempt}) ==\n{body}")
        return "\n\n".join(parts)

    def _profile_once(self, args: dict[str, Any], *, cold: bool, attempts: int = 3) -> tuple[Run, int]:
        """One profiled run; one that failed midway is tried again, since the failure may be a race."""
        cache = Path(args["cache"])
        for attempt in range(1, attempts + 1):
            if cold:
                shutil.rmtree(cache, ignore_errors=True)
                cache.mkdir()
            with touched(self.src / self.touch, f"profile {time.time_ns()}") if not cold else nullcontext():
                run = run_python(PROFILE_CHILD, args, env=child_env([REPO]), timeout=self.timeout)
            if not run.ok or PROFILE_FAILED not in run.stdout:
                return run, attempt
            note(f"the profiled run failed, trying again: {run.stdout.split(PROFILE_FAILED, 1)[1].splitlines()[0]}")
        return run, attempts


def retried(once: Callable[[], Run], attempts: int = 3) -> Run:
    """The first good run of up to ``attempts``: for runs that only prepare or count, a race must not stop."""
    run = once()
    for _ in range(attempts - 1):
        if run.ok or run.timed_out:
            break
        run = once()
    return run


def same_graph(first: Path, second: Path) -> tuple[bool, str]:
    """Whether two graph.json files are equal, and if not, what differs."""
    a, b = first.read_text(encoding="utf-8"), second.read_text(encoding="utf-8")
    if a == b:
        return True, f"{len(a):,} bytes, identical"
    left, right = json.loads(a), json.loads(b)
    def items(graph: dict[str, Any], key: str) -> set[str]:
        return {json.dumps(item, sort_keys=True) for item in graph[key]}

    nodes = items(left, "nodes"), items(right, "nodes")
    edges = items(left, "edges"), items(right, "edges")
    sample = sorted((nodes[0] ^ nodes[1]) | (edges[0] ^ edges[1]))[:1]
    return False, (
        f"nodes only in warm {len(nodes[0] - nodes[1])}, only in cold {len(nodes[1] - nodes[0])}; "
        f"edges only in warm {len(edges[0] - edges[1])}, only in cold {len(edges[1] - edges[0])}; "
        f"e.g. {sample[0][:200] if sample else '-'}"
    )


def note(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# -- results and presentation -----------------------------------------------------------------


def results(bench: Bench, context: dict[str, Any]) -> dict[str, Any]:
    """Everything measured, as plain data: what the table is printed from and what --json writes."""
    cold = bench.series.get("ours-cold")
    package = bench.series.get("ours-package") if bench.scope != "package" else cold
    warm = bench.series.get("ours-warm")
    rows = []
    for key, series in bench.series.items():
        for measure, spread, base_cold, base_package in (
            ("in-process", series.inner(), cold and cold.inner(), package and package.inner()),
            ("whole process", series.wall(), cold and cold.wall(), package and package.wall()),
        ):
            if measure == "in-process" and not series.in_process:
                continue
            cpu = series.cpu() if measure == "whole process" else None
            rows.append({
                "tool": key, "label": series.label, "measure": measure, "files": series.files(), "error": series.error,
                "median": spread and spread.median, "min": spread and spread.low, "max": spread and spread.high,
                "cpu_median": cpu and cpu.median, "runs": spread.runs if spread else 0, "failed": len(series.failures),
                "ratio_to_ours_cold": spread and base_cold and spread.median / base_cold.median,
                "ratio_to_ours_django_only": spread and base_package and spread.median / base_package.median,
            })
    last = next((s.runs[-1].payload for s in (cold, warm) if s and s.runs), {})
    memory = _memory(cold, bench.workers, bench.memory_sampled) if cold and cold.runs else None
    cold_inner = cold and cold.inner()
    return {
        **context,
        "rows": rows,
        "memory": memory,
        "warm_check": vars(bench.warm_check) if warm else None,
        "graph": {key: last.get(key) for key in ("nodes", "edges", "skipped", "notes")},
        "analysed": {"files": last.get("files"), "lines": last.get("lines")},
        "stages": {"cold": _median_stages(cold) if cold else {}, "warm": _median_stages(warm) if warm else {}},
        "targets": [
            _target("cold analysis <= 4 s", cold_inner and cold_inner.median, TARGET_COLD_SECONDS, "s"),
            *_warm_targets(bench),
            _target("peak memory < 1 GB", memory and memory["judged_kb"], TARGET_MEMORY_KB, "kb", strict=True),
        ],
    }


def _memory(cold: Series, workers: int, sampled_run: Run | None) -> dict[str, float | None]:
    runs = [*cold.runs, *([sampled_run] if sampled_run is not None and sampled_run.ok else [])]
    own = max(maxrss_kilobytes(r.payload["maxrss_self"]) for r in runs)
    child = max(maxrss_kilobytes(r.payload["maxrss_children"]) for r in runs)
    sampled = [r.payload["pss_peak_kb"] for r in runs if r.payload.get("pss_peak_kb")]
    pool = workers or os.cpu_count() or 1
    # RUSAGE_CHILDREN gives the largest reaped child, not a sum: as if every worker peaked at once
    upper = own + pool * child
    total = max(sampled) if sampled else None
    # the sum is sampled, so it can miss a short peak of the main process that maxrss catches
    judged = max(total, own) if total is not None else upper
    return {"main_kb": own, "largest_child_kb": child, "workers": pool, "upper_bound_kb": upper,
            "sampled_total_kb": total, "judged_kb": judged}


def _median_stages(series: Series) -> dict[str, float]:
    stages: dict[str, list[float]] = {}
    for run in series.runs:
        for stage, value in run.payload.get("stages", {}).items():
            stages.setdefault(stage, []).append(value)
    for run in series.runs:
        # what Analysis.seconds does not time: discovery is in "scan", but building the graph is nowhere
        timed = sum(run.payload.get("stages", {}).values())
        stages.setdefault("(rest of analyze_tree)", []).append(run.payload["analysis"] - timed)
        # the child's own phases around analyze_tree: start-up imports and writing graph.json
        stages.setdefault("(import)", []).append(run.payload["import"])
        stages.setdefault("(write json)", []).append(run.payload["write"])
    return {stage: statistics.median(values) for stage, values in stages.items()}


WARM_ROWS = (
    ("comment", "ours-warm"), ("body", "ours-edit"), ("call", "ours-call"), ("function", "ours-added"), ("rename", "ours-rename"),
)


def _warm_targets(bench: Any) -> list[dict[str, Any]]:
    """The warm target judged on every kind of edit that was measured."""
    targets = []
    for edit, key in WARM_ROWS:
        series = bench.series.get(key)
        inner = series.inner() if series else None
        if inner is not None:
            targets.append(_target(f"warm re-analysis <= 1 s, {EDIT_NAMES[edit]}", inner.median, TARGET_WARM_SECONDS, "s"))
    return targets


def _target(name: str, value: float | None, limit: float, unit: str, *, strict: bool = False) -> dict[str, Any]:
    met = None if value is None else (value < limit if strict else value <= limit)
    return {"target": name, "value": value, "limit": limit, "unit": unit, "met": met}


def render(data: dict[str, Any]) -> str:
    """The report as text: context, the table, the targets, the warm check, memory, the graph."""
    lines = [
        f"migrator benchmark: Django {data['django']['version']} sdist ({data['django']['files']:,} .py files, "
        f"{data['django']['lines']:,} lines) at {data['django']['path']}",
        f"machine: {data['machine']['cores']} cores, Python {data['machine']['python']}, {data['machine']['platform']}; "
        f"grimp {data['versions']['grimp']}, pydeps {data['versions']['pydeps']}; medians of {data['runs']} runs, each a fresh process",
        f"our scope '{data['scope']}': {SCOPES[data['scope']]}"
        + (f", minus --exclude {' '.join(data['exclude'])}" if data["exclude"] else "")
        + f" -> {_count(data['analysed']['files'])} files, {_count(data['analysed']['lines'])} lines analysed",
        "",
    ]
    rows = []
    for row in data["rows"]:
        runs = f"{row['runs']}/{row['runs'] + row['failed']}"
        if row["runs"] == 0:
            rows.append([row["label"], row["measure"], runs, "-", "failed", "", "", "", "", ""])
            continue
        rows.append([
            row["label"], row["measure"], runs, _count(row["files"]), seconds(row["median"]), seconds(row["min"]),
            seconds(row["max"]), seconds(row["cpu_median"]) if row["measure"] == "whole process" else "",
            ratio(row["ratio_to_ours_cold"], 1), ratio(row["ratio_to_ours_django_only"], 1),
        ])
    header = ["tool", "measure", "ok runs", "files", "median s", "min", "max", "cpu s", "/ ours cold", "/ ours django/"]
    lines.append(table(header, rows, right=[False, False, *[True] * 8]))
    lines.append("ratios: this row's median over the median of ours cold (or of ours on django/ only) in the same measure;")
    lines.append("in-process: the tool's own call, timed inside the child; cpu s: user + system of the process and its workers")
    for row in (r for r in data["rows"] if r["error"] and r["measure"] == "whole process"):
        lines.append(f"  ! {row['label']}: {row['failed']} run(s) failed: {row['error']}")
    lines += ["", "targets (printed, not asserted):"]
    width = max((len(t["target"]) for t in data["targets"]), default=0)
    for target in data["targets"]:
        if target["value"] is None:
            shown = "-"
        else:
            shown = megabytes(target["value"]) if target["unit"] == "kb" else f"{seconds(target['value'])} s"
        verdict = {True: "met", False: "NOT MET", None: "not measured"}[target["met"]]
        lines.append(f"  {target['target']:<{width}} {shown:>10}  {verdict}")
    lines += _render_checks(data)
    return "\n".join(lines)


def _render_checks(data: dict[str, Any]) -> list[str]:
    lines = [""]
    load = data["load_average"]
    if load["before"] is not None:
        lines.append(f"load average (1 min) before {load['before']:.2f}, after {load['after']:.2f} on "
                     f"{data['machine']['cores']} cores (anything above 0 is other work competing with the runs)")
    if data["code_changed_during_run"]:
        lines.append("WARNING: analyzers/ or migrator/ changed while the benchmark ran: the runs mix code versions, "
                     "and a cached run may disagree with a cold one for that reason alone")
    check = data["warm_check"]
    if check:
        verdict = {True: "OK", False: "FAIL", None: "not checked"}
        uncacheable = check["uncacheable"]
        extra = f" (+ {uncacheable} that never cache: parse failures)" if uncacheable else ""
        lines.append(f"warm cache: rescanned exactly the touched file{extra}: {verdict[check['rescanned_one']]}")
        for edit, (same, detail) in check["same_as_cold"].items():
            lines.append(f"  after {EDIT_NAMES[edit]}, the graph equals a cold run's on the edited tree: {verdict[same]} ({detail or '-'})")
        if check["unchanged_seconds"] is not None:
            lines.append(f"re-analysis with nothing changed (once, in-process): {check['unchanged_seconds']:.2f} s")
    memory = data["memory"]
    if memory:
        lines.append(f"peak memory of ours cold (max over runs): main process {megabytes(memory['main_kb'])} (RUSAGE_SELF maxrss), "
                     f"largest child {megabytes(memory['largest_child_kb'])} (RUSAGE_CHILDREN maxrss: pool workers)")
        sampled = memory["sampled_total_kb"]
        lines.append(f"  all processes together: {megabytes(sampled) if sampled is not None else 'not sampled (no /proc)'} "
                     f"(peak of the Pss sum, sampled every 0.2 s in one more, untimed cold run; the target is judged on the larger of this and the main's maxrss); "
                     f"main + {memory['workers']} x largest child = {megabytes(memory['upper_bound_kb'])}")
    for run, stages in data["stages"].items():
        if stages:
            lines.append(f"ours {run}, median seconds per stage: " + ", ".join(f"{k} {v:.2f}" for k, v in stages.items()))
    graph = data["graph"]
    if graph["nodes"]:
        indent = " " * len(f"graph of ours ({data['scope']}): ")
        lines.append(f"graph of ours ({data['scope']}): nodes {_by_kind(graph['nodes'])}")
        lines.append(f"{indent}edges {_by_kind(graph['edges'])}")
        lines.append(f"{indent}{graph['skipped']} skipped files; notes: {'; '.join(graph['notes']) or 'none'}")
    return lines


def _by_kind(counts: dict[str, int]) -> str:
    return f"{sum(counts.values()):,} (" + ", ".join(f"{kind} {n:,}" for kind, n in sorted(counts.items())) + ")"


def _load() -> float | None:
    try:
        return os.getloadavg()[0]
    except OSError:
        return None


def _count(value: int | None) -> str:
    return "-" if value is None else f"{value:,}"


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


# -- the command ------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each tool; the table shows their median (default 5)")
    scopes = "; ".join(f"{k}: {v}" for k, v in SCOPES.items())
    parser.add_argument("--scope", choices=sorted(SCOPES), default="all", help=f"what our runs analyse: {scopes} (default all)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the results to FILE")
    parser.add_argument("--profile", action="store_true", help="instead of timing, profile a cold and a warm run (workers=1)")
    parser.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                        help="also leave GLOB out of our runs (relative to the analysed folder, as migrator analyze --exclude); repeatable")
    parser.add_argument("--skip", default="", help=f"comma-separated tools to leave out: {', '.join(TOOLS)}")
    parser.add_argument("--workers", type=int, default=0, help="our scan processes (default 0: one per core)")
    parser.add_argument("--touch", default=DEFAULT_TOUCH, help=f"the file the warm runs touch, relative to the sdist (default {DEFAULT_TOUCH})")
    parser.add_argument("--django-version", help="a Django version to download (default: the newest for this Python)")
    parser.add_argument("--timeout", type=float, default=900, help="seconds before one run is stopped (default 900)")
    args = parser.parse_args(argv)
    unknown = {s for s in args.skip.split(",") if s} - set(TOOLS)
    if unknown:
        parser.error(f"--skip: unknown tool {', '.join(sorted(unknown))}; choose from {', '.join(TOOLS)}")
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the report; exit 1 only when it cannot start."""
    args = parse_args(argv)
    try:
        src = ensure_django(args.django_version)
    except SetupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    touch_path = src / args.touch
    if not touch_path.is_file() or touch_path.suffix != ".py":
        print(f"error: --touch {args.touch} is not a Python file under {src}", file=sys.stderr)
        return 1
    if heal(touch_path):
        note(f"removed a touch line an interrupted run left in {args.touch}")
    load_before, code_before = _load(), code_fingerprint()
    with tempfile.TemporaryDirectory(prefix="migrator-bench-") as scratch:
        bench = Bench(src, args.scope, args.runs, args.workers, args.touch, args.timeout,
                      frozenset(s for s in args.skip.split(",") if s), Path(scratch), tuple(args.exclude))
        if args.profile:
            print(bench.profile())
            return 0
        bench.run()
    files, lines = count_python(src)
    context = {
        "django": {"version": src.name.split("-", 1)[-1], "path": str(src), "files": files, "lines": lines},
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(terse=True)},
        "versions": {"grimp": _version("grimp"), "pydeps": _version("pydeps")},
        "runs": args.runs,
        "scope": args.scope,
        "exclude": args.exclude,
        "load_average": {"before": load_before, "after": _load()},
        "code_changed_during_run": code_fingerprint() != code_before,
    }
    data = results(bench, context)
    print(render(data))
    if args.json:
        args.json.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        print(f"\nresults written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
