"""Benchmark: ``migrator verify`` on the sample's generated system, beside the floor of merely
booting the same system (the same environment, databases and schema step, every process started,
waited for until ready, stopped; no check run), as a ratio, with where verify's time goes.

    python benchmarks/verify_speed.py                  # migrate the sample once, then 2 rounds
    python benchmarks/verify_speed.py --runs 3 --json out.json
    python benchmarks/verify_speed.py --out OUT/system --no-fuzz
    python benchmarks/verify_speed.py --database-url postgresql://postgres@127.0.0.1/postgres

Each measure is a fresh interpreter (no import or connection outlives it). The first run of a
round may build the system's environment (uv, then reused while the requirements are unchanged);
the table says so. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _util import REPO, Run, Spread, child_env, last_line, ratio, run_python, seconds, table  # noqa: E402

TARGET_SECONDS = 90.0
"""The sample's verify on 2 cores (issue 18)."""

CHILD = """
import json, sys, time
from dataclasses import replace
from pathlib import Path
args = json.loads(sys.argv[1])
sys.path.insert(0, args["repo"])
from migrator.pipeline.verification import real_adapters
from migrator.verify.adapters.system_file import load_system
from migrator.verify.application import use_case
from migrator.verify.domain.report import SKIPPED, Step
from migrator.verify.domain.request import VerifyRequest

started = time.perf_counter()
marks = {}
def progress(stage, done, total):
    now = round(time.perf_counter() - started, 2)
    marks.setdefault(stage, [now, now])[1] = now  # when each stage was first and last heard of

class BootOnly:
    '''The real readiness wait; every other check answers at once: the floor boots, waits, stops.'''
    def __init__(self, real):
        self.real = real
    def wait_ready(self, *a, **k):
        return self.real.wait_ready(*a, **k)
    def probe_routes(self, *a, **k):
        return []
    def run_suite(self, *a, **k):
        return Step("monolith test suite", SKIPPED, "floor")
    def run_own_suite(self, *a, **k):
        return Step("monolith's own test suite", SKIPPED, "floor")
    def run_schemathesis(self, name, **k):
        return Step("schemathesis " + name, SKIPPED, "floor")

request = VerifyRequest(out=Path(args["out"]), fuzz=args["fuzz"], timeout=240.0, database_url=args["database_url"])
system = load_system(request.out)
adapters = real_adapters(request)
if args["mode"] == "floor":
    adapters = replace(adapters, checks=BootOnly(adapters.checks))
report = use_case.verify(request, system, adapters, run_id="bench_" + str(int(time.time() * 1000) % 10**8), progress=progress)
total = time.perf_counter() - started
print("BENCHMARK-RESULT " + json.dumps({"total": total, "ok": report.ok, "marks": marks,
      "failed": [s.name + ": " + s.detail[:200] for s in report.steps if s.status == "failed"],
      "environment": next((s.detail for s in report.steps if s.name == "environment"), ""),
      "schema": next((s.detail for s in report.steps if s.name == "database schema"), "")}))
"""

PHASES = [("environment", "environment"), ("schema and start", None), ("wait ready", "ready"), ("routes", None), ("suite", "tests"),
          ("schemathesis", "schemathesis"), ("own suite", "own tests")]
"""verify's phases in order: a stage its progress names (from its first to its last report), or
what lies between the stages around it (None)."""


def phases(marks: dict[str, list[float]], total: float) -> dict[str, float]:
    """Seconds of each phase of one run, and what came after the last report (stop, drop)."""
    spans: dict[str, float] = {}
    for index, (name, stage) in enumerate(PHASES):
        if stage is not None:
            if stage in marks:
                spans[name] = marks[stage][1] - marks[stage][0]
            continue
        before = marks.get(PHASES[index - 1][1] or "", [None, None])[1]
        after = marks.get(PHASES[index + 1][1] or "", [None, None])[0]
        if before is not None and after is not None:
            spans[name] = after - before
    spans["stop and clean up"] = total - max((last for _, last in marks.values()), default=0.0)
    return spans


def migrate_sample(folder: Path) -> Path:
    """The sample's system, generated once for every run (``migrator migrate``)."""
    out = folder / "out"
    done = subprocess.run([sys.executable, "-m", "migrator", "migrate", str(REPO / "sample_monolith"), "-o", str(out), "--quiet"],
                          cwd=REPO, env=child_env([REPO]), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"migrator migrate failed: {last_line(done.stderr) or last_line(done.stdout)}")
    return out / "system"


def measure(out: Path, mode: str, *, fuzz: bool, database_url: str | None = None) -> Run:
    return run_python(CHILD, {"repo": str(REPO), "out": str(out), "mode": mode, "fuzz": fuzz, "database_url": database_url},
                      env=child_env([REPO]), timeout=1200)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=2, help="rounds of (verify, floor); medians over them")
    parser.add_argument("--out", type=Path, help="a generated system to verify (default: the sample, migrated here)")
    parser.add_argument("--no-fuzz", action="store_true", help="verify without schemathesis")
    parser.add_argument("--database-url", metavar="URL", help="a PostgreSQL server to run the databases on (default: SQLite files)")
    parser.add_argument("--json", type=Path, help="write every measure here")
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="verify-speed-") as folder:
        out = options.out or migrate_sample(Path(folder))
        runs: dict[str, list[Run]] = {"verify": [], "floor": []}
        for _ in range(options.runs):
            for mode in ("verify", "floor"):  # taking turns: a slow spell of the machine hits both
                run = measure(out, mode, fuzz=not options.no_fuzz, database_url=options.database_url)
                runs[mode].append(run)
                status = "ok" if run.ok and run.payload.get("ok") else f"FAILED {run.error or run.payload.get('failed')}"
                print(f"{mode}: {run.wall:.1f} s ({status}) {run.payload.get('environment', '')[:80]}; schema: {run.payload.get('schema', '')[:90]}",
                      file=sys.stderr)
    print(report(runs))
    if options.json:
        options.json.write_text(json.dumps({mode: [{"wall": r.wall, "error": r.error, **r.payload} for r in rs] for mode, rs in runs.items()},
                                           indent=2), encoding="utf-8")
    verify = Spread.of([r.wall for r in runs["verify"] if r.ok])
    return 0 if verify is not None and verify.median <= TARGET_SECONDS else 1


def report(runs: dict[str, list[Run]]) -> str:
    load = os.getloadavg()
    rows = []
    spreads = {mode: Spread.of([r.wall for r in rs if r.ok]) for mode, rs in runs.items()}
    for mode, spread in spreads.items():
        if spread is not None:
            rows.append([mode, seconds(spread.median), seconds(spread.low), seconds(spread.high), str(spread.runs),
                         ratio(spread.median, spreads["floor"].median if spreads["floor"] else None)])
    lines = [table(["run", "median s", "min s", "max s", "runs", "/ floor"], rows)]
    verify = [r for r in runs["verify"] if r.ok]
    if verify:
        spans: dict[str, list[float]] = {}
        for run in verify:
            for name, value in phases(run.payload.get("marks", []), run.payload["total"]).items():
                spans.setdefault(name, []).append(value)
        lines += ["", table(["verify's phase", "median s"], [[name, seconds(Spread.of(values).median)] for name, values in spans.items()])]
    target = spreads["verify"]
    verdict = "-" if target is None else ("within" if target.median <= TARGET_SECONDS else "over")
    lines += ["", f"target: verify at most {TARGET_SECONDS:.0f} s: {verdict}; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
              f"on {os.cpu_count()} cores"]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
