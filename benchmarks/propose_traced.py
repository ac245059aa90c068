"""Benchmark: what a trace changes in the proposed services, on the projects of
``benchmarks/propose_corpus.py`` whose test suites run (their traces made by
``benchmarks/trace_overhead.py``, kept in ``benchmarks/.data/traces/<project>.json``).

    python benchmarks/trace_overhead.py --apps flasky,chipy-org,parsifal   # makes the traces
    python benchmarks/propose_traced.py                                     # every project with a trace

Per project: ARI and MoJoFM against its truth without the trace and with it merged
(``analyze --trace``), at ours' own count and at the truth's, and the modules that moved.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _util import DATA, table  # noqa: E402  (the benchmarks folder is not a package)
from propose_corpus import TRUTHS, prepare, scores  # noqa: E402
from propose_django import run_ours  # noqa: E402

from migrator.model.runtime import apply_trace  # noqa: E402
from migrator.pipeline.tracing import load_trace  # noqa: E402

TRACES = DATA / "traces"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", help="comma-separated (default: every project with a truth and a trace)")
    args = parser.parse_args()
    names = args.projects.split(",") if args.projects else sorted(p.stem for p in TRACES.glob("*.json") if (TRUTHS / p.name).is_file())
    if not names:
        print(f"error: no trace in {TRACES}: make them with benchmarks/trace_overhead.py", file=sys.stderr)
        return 1
    rows, moves = [], []
    for name in names:
        project = prepare(TRUTHS / f"{name}.json")
        traced, match = apply_trace(project.graph, load_trace(TRACES / f"{name}.json"))
        cells = [name, f"{match.confirmed}/{match.static_calls}", str(match.dynamic)]
        partitions = {}
        for label, count in (("default", None), ("truth", len(set(project.truth.values())))):
            for graph_label, graph in (("static", project.graph), ("traced", traced)):
                ours = run_ours(graph, count)
                partitions[label, graph_label] = ours.partition
                ari, mojo = scores(ours.partition, project.truth)
                cells.append(f"{ari:.3f} / {mojo:.1f}" + (f" ({len(ours.decomposition.services)})" if label == "default" and ours.decomposition else ""))
        rows.append(cells)
        before, after = partitions["truth", "static"], partitions["truth", "traced"]
        moved = _moved(before, after, list(project.truth))
        moves.append(f"{name}: {len(moved)} of {len(project.truth)} truth modules placed differently at the truth's count"
                     + (f" ({', '.join(moved[:8])}{', ...' if len(moved) > 8 else ''})" if moved else ""))
    print("ARI / MoJoFM against each truth; static: the graph alone; traced: with the project's trace merged (analyze --trace)")
    print(table(["project", "static edges seen", "missed", "static @default", "traced @default", "static @truth", "traced @truth"], rows))
    print("\n".join(moves))
    return 0


def _moved(before: dict[str, str], after: dict[str, str], units: list[str]) -> list[str]:
    """The units whose group changed, each group of ``after`` taken for the group of ``before`` most
    of its units were in (a group renamed is no move)."""
    members: dict[str, Counter[str]] = defaultdict(Counter)
    for unit in units:
        members[after.get(unit, "")][before.get(unit, "")] += 1
    was = {group: max(sorted(counts), key=lambda g: counts[g]) for group, counts in members.items()}
    return sorted(u for u in units if before.get(u, "") != was[after.get(u, "")])


if __name__ == "__main__":
    sys.exit(main())
