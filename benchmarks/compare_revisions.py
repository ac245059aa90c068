"""Our cold analysis of Django's sdist at two (or more) git revisions, taking turns in one run.

    python benchmarks/compare_revisions.py 88a1cc7 HEAD            # 5 rounds
    python benchmarks/compare_revisions.py 88a1cc7 HEAD --runs 8 --scope package

The shared machine's speed moves from one hour to the next by more than most changes gain, so a
figure from yesterday's run says little about today's code. Here every revision runs once per
round, in turn, each a fresh process with a fresh cache folder, so a slow spell hits them all.
Each revision is checked out once into ``benchmarks/.data/revisions/`` (a detached git worktree)
and imported from there; each run is ``analyze_django.py``'s own child for ``ours cold``. The table
gives the in-process median (analysis plus writing graph.json), min, max, CPU seconds (the process and its workers) and the digest
of graph.json, so that it shows whether the revisions' outputs are the same. A revision runs with
the packages installed now: one that needs others fails with its import error.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from _util import DATA, REPO, RESULT_MARKER, SetupError, Spread, child_env, ensure_django, ratio, run_process, seconds, table
from analyze_django import OURS_CHILD

WHERE_FROM = "import analyzers; print(analyzers.__file__)"


def checkout(revision: str) -> tuple[str, Path]:
    """The commit ``revision`` names, and a worktree of it (made once, reused afterwards)."""
    found = subprocess.run(["git", "rev-parse", "--verify", f"{revision}^{{commit}}"], cwd=REPO, capture_output=True, text=True)
    if found.returncode != 0:
        raise SetupError(f"{revision!r} names no commit of {REPO}: give a hash, a branch or HEAD~N")
    commit = found.stdout.strip()
    folder = DATA / "revisions" / commit[:12]
    if not (folder / "analyzers" / "base.py").is_file():
        folder.parent.mkdir(parents=True, exist_ok=True)
        made = subprocess.run(["git", "worktree", "add", "--force", "--detach", str(folder), commit], cwd=REPO, capture_output=True, text=True)
        if made.returncode != 0:
            raise SetupError(f"git worktree add failed for {revision}: {made.stderr.strip().splitlines()[-1:]}")
    return commit, folder


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("revisions", nargs="+", help="git revisions to compare (two or more), e.g. 88a1cc7 HEAD")
    parser.add_argument("--runs", type=int, default=5, help="rounds; each revision runs once per round")
    parser.add_argument("--scope", choices=("all", "package"), default="all", help="the whole sdist, or django/ only")
    args = parser.parse_args()
    try:
        if len(args.revisions) < 2:
            raise SetupError("give two revisions or more")
        sdist = ensure_django()
        revisions = [checkout(r) for r in args.revisions]
    except SetupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    root = sdist if args.scope == "all" else sdist / "django"
    times: dict[str, list[float]] = {commit: [] for commit, _ in revisions}
    cpus: dict[str, list[float]] = {commit: [] for commit, _ in revisions}
    digests: dict[str, set[str]] = {commit: set() for commit, _ in revisions}
    for (_, folder), name in zip(revisions, args.revisions):
        # run from the worktree: ``python -c`` puts the working folder first on sys.path
        found = run_process([sys.executable, "-c", WHERE_FROM], env=child_env([folder]), cwd=folder)
        where = found.stdout.strip()
        if not found.ok or Path(where).resolve().parents[1] != folder.resolve():
            print(f"error: {name} imports analyzers from {where or found.error}, not from {folder}", file=sys.stderr)
            return 1
    with tempfile.TemporaryDirectory(prefix="migrator-compare-") as scratch:
        for round_ in range(1, args.runs + 1):
            for (commit, folder), name in zip(revisions, args.revisions):
                cache = Path(tempfile.mkdtemp(dir=scratch))
                out = cache / "graph.json"
                # ``analyze_django.py``'s own child: the same measure as its ``ours cold`` rows
                child = {"marker": RESULT_MARKER, "repo": str(folder), "root": str(root), "excludes": [], "exclude": [],
                         "cache": str(cache), "out": str(out), "workers": 0, "sample_memory": False}
                run = run_process([sys.executable, "-c", OURS_CHILD, json.dumps(child)], env=child_env([folder]), cwd=folder)
                if not run.ok:
                    print(f"error: {name} failed: {run.error}", file=sys.stderr)
                    return 1
                times[commit].append(run.payload["inner"])
                cpus[commit].append(run.cpu or 0.0)
                digests[commit].add(hashlib.md5(out.read_bytes()).hexdigest())
                print(f"{name} {round_}/{args.runs}: {run.payload['inner']:.2f} s", file=sys.stderr, flush=True)
    first = Spread.of(times[revisions[0][0]])
    rows = []
    for (commit, _), name in zip(revisions, args.revisions):
        spread, cpu = Spread.of(times[commit]), Spread.of(cpus[commit])
        assert spread is not None and cpu is not None and first is not None
        rows.append([name, commit[:10], seconds(spread.median), seconds(spread.low), seconds(spread.high), seconds(cpu.median),
                     ratio(spread.median, first.median), ", ".join(sorted(digests[commit]))])
    print(f"ours cold on Django {sdist.name} ({args.scope}), {args.runs} rounds taking turns; in-process seconds")
    print(table(["revision", "commit", "median s", "min", "max", "cpu s", f"/ {args.revisions[0]}", "graph.json md5"], rows,
                right=[False, False, True, True, True, True, True, False]))
    same = len({frozenset(d) for d in digests.values()}) == 1 and all(len(d) == 1 for d in digests.values())
    print("graph.json: " + ("the same at every revision" if same else "differs between revisions (or between runs)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
