"""Benchmark: ``migrator generate`` on a large real project and on the sample, cold and warm,
against the floor of parsing the Python files the services carry once with libcst on one core
(the graph's modules, printed apart too, and the other Python files generate's rewrite reads).

    python benchmarks/generate_speed.py                 # saleor 2.10.1 (pinned wheel) and the sample
    python benchmarks/generate_speed.py --projects sample --json out.json

Each measure runs in a fresh interpreter (no import, pool or cache outlives it). See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _util import REPO, RESULT_MARKER, SetupError, last_line, maxrss_kilobytes, table  # noqa: E402

sys.path.insert(0, str(REPO))
from tests.decompositions import move_one_module  # noqa: E402

TARGETS = {"cold": 2.0, "warm": 0.3}
"""At most these times the floor."""
MEMORY_TARGET_MB = 2048
MANIFEST = ".migrator/manifest.json"

CHILD = """
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, {repo!r})
from migrator.pipeline.analysis import AnalyzeRequest, analyze
from migrator.pipeline.generation import OutSurvey, project_event_bus, render_generated, write_generated
from migrator.pipeline.inputs import load_decomposition
from migrator.pipeline.monolith import module_sources
src, decomposition, out, mode = Path({src!r}), Path({decomposition!r}), Path({out!r}), {mode!r}
def cpu():
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
seconds = {{}}
cpu_started = cpu()
started = time.perf_counter()
survey = OutSurvey(src, out)  # as generate() does: OUT's files looked at by a child meanwhile
graph, _ = analyze(AnalyzeRequest(src=src))
seconds["analysis"] = time.perf_counter() - started
if mode == "floor":
    survey.close()
    import libcst
    from generators.service.files import is_left_out
    from migrator.pipeline.monolith_files import monolith_files
    sources = module_sources(graph, src)
    modules = [source.text for source in sources.values()]
    others = [data.decode("utf-8", "replace") for path, data in sorted(monolith_files(src, modules={{s.path for s in sources.values()}}).items())
              if path.endswith(".py") and not is_left_out(path)]
    def parse(texts):
        started, cpu_started = time.perf_counter(), cpu()
        for text in texts:
            try:
                libcst.parse_module(text)
            except libcst.ParserSyntaxError:
                pass
        return time.perf_counter() - started, cpu() - cpu_started
    (modules_seconds, modules_cpu), (others_seconds, others_cpu) = parse(modules), parse(others)
    seconds = {{"floor": modules_seconds + others_seconds, "cpu": modules_cpu + others_cpu, "files": len(modules) + len(others),
               "floor_modules": modules_seconds, "cpu_modules": modules_cpu, "modules": len(modules)}}
else:
    step = time.perf_counter()
    plan, files = render_generated(graph, load_decomposition(decomposition, graph), src, event_bus=project_event_bus(src))
    seconds["render"] = time.perf_counter() - step
    step = time.perf_counter()
    changes = write_generated(src, out, files, survey=survey)
    survey.close()  # the child reaped: its CPU counted
    seconds["write"] = time.perf_counter() - step
    seconds["total"] = time.perf_counter() - started
    seconds["cpu"] = cpu() - cpu_started
    seconds["files"] = len(files)
    seconds["written"] = len(changes.created) + len(changes.updated)
seconds["self_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
seconds["children_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print({marker!r} + json.dumps(seconds))
"""


def project_source(name: str) -> Path:
    """The project's folder: the sample, or a pinned wheel of benchmarks/truths/ (sha256-checked)."""
    if name == "sample":
        return REPO / "sample_monolith"
    from propose_corpus import TRUTHS, load_truth, source_tree

    return source_tree(load_truth(TRUTHS / f"{name}.json")["source"], name)


def child(src: Path, decomposition: Path, out: Path, mode: str, cache: Path) -> dict[str, Any]:
    """One measure in a fresh interpreter, with ``cache`` as its XDG cache."""
    code = CHILD.format(repo=str(REPO), src=str(src), decomposition=str(decomposition), out=str(out), mode=mode, marker=RESULT_MARKER)
    started = time.perf_counter()
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False,
                               env={**os.environ, "XDG_CACHE_HOME": str(cache)})
    line = next((l for l in completed.stdout.splitlines() if l.startswith(RESULT_MARKER)), None)
    if completed.returncode != 0 or line is None:
        raise SetupError(f"{mode} run failed: {last_line(completed.stderr)}")
    result = json.loads(line[len(RESULT_MARKER):])
    result["process"] = time.perf_counter() - started
    return result


def digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def measure(name: str, work: Path) -> dict[str, Any]:
    src = project_source(name)
    cache, spare = work / name / "cache", work / name / "spare-cache"
    decomposition, moved, out, reference = work / name / "decomposition.yaml", work / name / "moved.yaml", work / name / "out", work / name / "ref"
    decomposition.parent.mkdir(parents=True)
    completed = subprocess.run([str(Path(sys.executable).parent / "migrator"), "propose", str(src), "-o", str(decomposition)],
                               capture_output=True, text=True, cwd=REPO, env={**os.environ, "XDG_CACHE_HOME": str(cache)}, check=False)
    if completed.returncode != 0:
        raise SetupError(f"{name}: propose failed: {last_line(completed.stderr)}")
    shutil.copytree(cache, spare)  # the analysis kept, as after propose; no rewrite kept yet
    floor = child(src, decomposition, out, "floor", cache)
    cold = child(src, decomposition, out, "generate", cache)
    what = move_one_module(decomposition, moved)
    warm = child(src, moved, out, "generate", cache)
    reference_run = child(src, moved, reference, "generate", spare)
    regenerated, fresh = digests(out), digests(reference)
    fresh.pop(MANIFEST, None)
    # the writer leaves the files of the last run the new tree lacks (no --prune): they are no output of this run
    return {"project": name, "moved": what, "floor": floor, "cold": cold, "warm": warm, "reference": reference_run,
            "identical": all(regenerated.get(path) == digest for path, digest in fresh.items()),
            "stale": len(regenerated.keys() - fresh.keys() - {MANIFEST})}


def report(results: list[dict[str, Any]], load_before: float) -> None:
    rows = []
    for result in results:
        floor, narrow = result["floor"], result["floor"]["floor_modules"]
        rows.append([result["project"], "floor: libcst parse once, 1 core", f"{floor['floor']:.2f}", "1.00", f"{floor['cpu']:.2f}", "1.00", "", "",
                     f"{floor['files']} Python files the services carry"])
        rows.append([result["project"], "  of which the graph's modules", f"{narrow:.2f}", f"{narrow / floor['floor']:.2f}", f"{floor['cpu_modules']:.2f}",
                     f"{floor['cpu_modules'] / floor['cpu']:.2f}", "", "", f"{floor['modules']} modules"])
        for run in ("cold", "warm"):
            r = result[run]
            rows.append([result["project"], f"generate {run}", f"{r['total']:.2f}", f"{r['total'] / floor['floor']:.2f}", f"{r['cpu']:.2f}",
                         f"{r['cpu'] / floor['cpu']:.2f}", f"{r['render']:.2f}", f"{r['write']:.2f}",
                         f"{r['files']} files, {r['written']} written, {r['self_mb']:.0f}+{r['children_mb']:.0f} MB"])
    print(table(["project", "run", "seconds", "x floor", "cpu s", "cpu x floor", "render", "write", "notes"], rows,
                right=[False, False, True, True, True, True, True, True, False]))
    print()
    for result in results:
        floor, narrow = result["floor"]["floor"], result["floor"]["floor_modules"]
        cold, warm = result["cold"]["total"] / floor, result["warm"]["total"] / floor
        peak = max(result[r]["self_mb"] + result[r]["children_mb"] for r in ("cold", "warm", "reference"))
        print(f"{result['project']}: moved {result['moved']}")
        print(f"  cold {cold:.2f}x floor (target <= {TARGETS['cold']}): {'met' if cold <= TARGETS['cold'] else 'NOT met'}; "
              f"{result['cold']['total'] / narrow:.2f}x the graph's modules alone; "
              f"render alone {result['cold']['render'] / floor:.2f}x, analysis {result['cold']['analysis']:.2f} s, write {result['cold']['write']:.2f} s")
        print(f"  warm {warm:.2f}x floor (target <= {TARGETS['warm']}): {'met' if warm <= TARGETS['warm'] else 'NOT met'}; "
              f"{result['warm']['total'] / narrow:.2f}x the graph's modules alone; render alone {result['warm']['render'] / floor:.2f}x")
        print(f"  warm output byte-identical to a cold run's, file by file: {'yes' if result['identical'] else 'NO'} "
              f"({result['stale']} files of the first run left in place, as the writer does without --prune)")
        print(f"  peak memory (main + largest worker, RUSAGE_SELF + RUSAGE_CHILDREN): {peak:.0f} MB "
              f"(target < {MEMORY_TARGET_MB}): {'met' if peak < MEMORY_TARGET_MB else 'NOT met'}")
    print(f"\n{os.cpu_count()} cores; load average {load_before:.2f} at the start, {os.getloadavg()[0]:.2f} at the end (cpu s: user + system of the process and the "
          "rewrite workers it waited for, less inflated by other work than the seconds)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", default="saleor,sample", help="comma-separated: sample and projects of benchmarks/truths/")
    parser.add_argument("--json", type=Path, help="write the measures here")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0]
    try:
        with tempfile.TemporaryDirectory(prefix="generate-speed-") as work:
            results = [measure(name, Path(work)) for name in args.projects.split(",")]
    except SetupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    report(results, load_before)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
