"""Benchmark: proposed services against the business domains of real projects, beside the
authors' top-level packages and Louvain on the import graph, at the same counts.

    python benchmarks/propose_corpus.py                       # every project of benchmarks/truths/
    python benchmarks/propose_corpus.py --projects flasky,saleor --json out.json

Each project has a truth in ``benchmarks/truths/<project>.json`` (module -> domain, the reasoning,
the commit or the pinned release). The corpus applications are copied from ``../shared/corpus/``;
the others are pinned PyPI wheels, downloaded once with pip into ``benchmarks/.data/`` (a wheel is
a zip of the project's ``.py`` files) and checked against the sha256 the truth records. See
benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import statistics
import subprocess
import sys
import time
import zipfile
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _util import DATA, REPO, SetupError, last_line, table  # noqa: E402  (the benchmarks folder is not a package)
from propose_django import run_baseline, run_ours  # noqa: E402

sys.path.insert(0, str(REPO))

from analyzers.base import AnalysisOptions  # noqa: E402
from migrator.boundaries.domains import CONTAINER_NAMES, relative_parts  # noqa: E402
from migrator.boundaries.metrics import adjusted_rand_index, mojofm  # noqa: E402
from migrator.boundaries.roles import common_prefix  # noqa: E402
from migrator.model.facts import EdgeKind  # noqa: E402
from migrator.model.graph import DependencyGraph  # noqa: E402
from migrator.model.units import index_units  # noqa: E402
from migrator.pipeline import AnalyzeRequest, analyze  # noqa: E402

TRUTHS = REPO / "benchmarks" / "truths"
CORPUS = REPO.parent / "shared" / "corpus"
WORK = DATA / "corpus"
LAYERED_MARGIN = 0.1
"""On a layered project ours must beat the folder baseline by this much ARI at the truth's count."""


@dataclass
class Project:
    """A project of the benchmark: its truth file read, its source found, its graph analysed."""

    name: str
    truth: dict[str, str]
    layered: bool
    packages_are_domains: bool
    graph: DependencyGraph
    units: list[str]
    seconds: float


# -- getting the projects ----------------------------------------------------------------------


def load_truth(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    missing = {"project", "source", "commit", "layered", "packages_are_domains", "reasoning", "modules"} - set(data)
    if missing:
        raise SetupError(f"{path}: the truth lacks {', '.join(sorted(missing))}")
    return data


def source_tree(spec: Mapping[str, Any], name: str) -> Path:
    """The folder to analyse: a copy of a corpus application, or a pinned wheel's package."""
    if spec["kind"] == "corpus":
        copy = WORK / "trees" / name
        if not copy.is_dir():
            origin = CORPUS / spec["folder"]
            if not origin.is_dir():
                raise SetupError(f"{name}: the corpus application {origin} is missing")
            shutil.copytree(origin, copy, ignore=shutil.ignore_patterns(".git", "node_modules", "__pycache__"))
        return copy / spec.get("analyse", ".")
    if spec["kind"] == "pypi":
        return _unpacked_wheel(spec, name)
    raise SetupError(f"{name}: unknown source kind {spec['kind']!r}")


def _unpacked_wheel(spec: Mapping[str, Any], name: str) -> Path:
    wheel = _ensure_wheel(spec["dist"], spec["version"], spec["sha256"])
    root = WORK / "trees" / wheel.name.removesuffix(".whl")
    package = spec["package"]
    if not (root / package / "__init__.py").is_file():
        with zipfile.ZipFile(wheel) as archive:
            members = [m for m in archive.namelist() if m.startswith(f"{package}/") and ".." not in m.split("/")]
            archive.extractall(root, members)
    return root


def _ensure_wheel(dist: str, version: str, sha256: str) -> Path:
    """The pinned wheel, downloaded once with pip and checked against its recorded sha256."""
    stem = dist.replace("-", "_")
    found = sorted(WORK.glob(f"{stem}-{version}-*.whl")) + sorted(WORK.glob(f"{dist}-{version}-*.whl"))
    if not found:
        WORK.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:", "--ignore-requires-python",
                   f"{dist}=={version}", "-d", str(WORK)]
        print(f"downloading {dist}=={version}", file=sys.stderr)
        completed = subprocess.run(command, capture_output=True, text=True, check=False)
        found = sorted(WORK.glob(f"{stem}-{version}-*.whl")) + sorted(WORK.glob(f"{dist}-{version}-*.whl"))
        if completed.returncode != 0 or not found:
            raise SetupError(f"pip could not download {dist}=={version}: {last_line(completed.stderr) or 'no wheel found'}")
    digest = hashlib.sha256(found[0].read_bytes()).hexdigest()
    if digest != sha256:
        raise SetupError(f"{found[0].name}: sha256 {digest} is not the pinned {sha256}")
    return found[0]


def prepare(path: Path) -> Project:
    data = load_truth(path)
    name = data["project"]
    src = source_tree(data["source"], name)
    started = time.perf_counter()
    graph, _ = analyze(AnalyzeRequest(src=src, options=AnalysisOptions(cache_dir=WORK / "cache" / name)))
    units = list(index_units(graph, "module").units)
    return Project(name, dict(data["modules"]), bool(data["layered"]), bool(data.get("packages_are_domains")), graph, units, time.perf_counter() - started)


# -- the folder baseline ---------------------------------------------------------------------------


def folder_baseline(graph: DependencyGraph, units: Sequence[str], target: int) -> dict[str, str]:
    """One group per top-level package under the project's prefix, the most tied pair (imports per
    pair of modules) merged, or the largest split into its sub-packages, until ``target`` remain.
    Loose modules at the top (``settings.py``, ``urls.py``, ``manage.py``) are no package, nor is
    a container's own ``__init__`` (``apps/``): they make one group, ``(root)``, as the authors
    keep them together beside their packages."""
    prefix = common_prefix(units)
    depth = {u: 1 for u in units}
    packages = {u.rsplit(".", 1)[0] for u in units if "." in u}
    groups = {u: _group(u, prefix, 1) for u in units}
    for unit in units:
        parts = relative_parts(unit, prefix)
        if (unit not in packages and len(parts) == 1) or all(p in CONTAINER_NAMES for p in parts):
            groups[unit] = "(root)"
    imports = [(e.source, e.target) for e in graph.edges(EdgeKind.IMPORTS) if e.source in groups and e.target in groups]
    stuck: set[str] = set()
    while len(set(groups.values())) < target:
        sizes = Counter(g for g in groups.values() if g not in stuck)
        if not sizes:
            break
        largest = max(sorted(sizes), key=lambda g: sizes[g])
        members = [u for u, g in groups.items() if g == largest]
        deeper = {u: _group(u, prefix, depth[u] + 1) for u in members}
        if len(set(deeper.values())) < 2:
            stuck.add(largest)
            continue
        for unit in members:
            depth[unit] += 1
            groups[unit] = deeper[unit]
    while len(set(groups.values())) > target:
        _merge_most_tied(groups, imports)
    return groups


def _group(unit: str, prefix: str, depth: int) -> str:
    """The package at ``depth`` under the prefix, past containers of packages (``apps/``), as
    Django projects keep their apps: an app's own package module (``apps/meetings/__init__``)
    is that app's, not the container's."""
    parts = relative_parts(unit, prefix)
    while len(parts) > 1 and parts[0] in CONTAINER_NAMES:
        parts = parts[1:]
    return ".".join(parts[:depth]) if parts else "(root)"


def _merge_most_tied(groups: dict[str, str], imports: Sequence[tuple[str, str]]) -> None:
    sizes = Counter(groups.values())
    ties: Counter[tuple[str, str]] = Counter()
    for source, target in imports:
        a, b = groups[source], groups[target]
        if a != b:
            ties[(min(a, b), max(a, b))] += 1
    if ties:
        a, b = max(sorted(ties), key=lambda pair: ties[pair] / (sizes[pair[0]] * sizes[pair[1]]))
    else:
        a, b = sorted(sizes, key=lambda g: (sizes[g], g))[:2]
    for unit, group in groups.items():
        if group == b:
            groups[unit] = a


# -- scoring ---------------------------------------------------------------------------------------


def scores(partition: Mapping[str, str], truth: Mapping[str, str]) -> tuple[float, float]:
    """ARI and MoJoFM on the modules the truth covers."""
    common = {u: partition.get(u, "(unplaced)") for u in truth}
    return adjusted_rand_index(common, dict(truth)), mojofm(common, dict(truth))


def measure(project: Project) -> dict[str, Any]:
    """Ours at the default count and at the truth's, each beside both baselines at the same count."""
    truth_count = len(set(project.truth.values()))
    default = run_ours(project.graph, None)
    default_count = len(default.decomposition.services) if default.decomposition else truth_count
    rows: dict[str, Any] = {"project": project.name, "layered": project.layered, "modules": len(project.units),
                            "covered": sum(u in project.truth for u in project.units), "truth_count": truth_count,
                            "default_count": default_count, "seconds": round(project.seconds, 1)}
    for label, count, ours in (("default", default_count, default), ("truth", truth_count, run_ours(project.graph, truth_count))):
        rows[f"ours_{label}"] = scores(ours.partition, project.truth)
        rows[f"folders_{label}"] = scores(folder_baseline(project.graph, project.units, count), project.truth)
        rows[f"louvain_{label}"] = scores(run_baseline(project.graph, project.units, count).partition, project.truth)
        if label == "default" and ours.decomposition:
            rows["services"] = [s.name for s in ours.decomposition.services]
    ours_ari, folders_ari = rows["ours_truth"][0], rows["folders_truth"][0]
    judged = project.layered or project.packages_are_domains
    rows["target_met"] = None if not judged else ours_ari >= folders_ari + (LAYERED_MARGIN if project.layered else 0.0) - 1e-9
    rows["kind"] = "layered" if project.layered else "packages" if project.packages_are_domains else "neither"
    return rows


def print_results(results: Sequence[Mapping[str, Any]]) -> None:
    columns = ["ours_default", "folders_default", "louvain_default", "ours_truth", "folders_truth", "louvain_truth"]
    header = ["project", "structure", "N def/truth", *[c.replace("_", " @") for c in columns], "target"]
    rows = []
    for r in results:
        cells = [f"{r[c][0]:.3f} / {r[c][1]:.1f}" for c in columns]
        verdict = {None: "-", True: "met", False: "NOT met"}[r["target_met"]]
        rows.append([r["project"], r["kind"], f"{r['default_count']}/{r['truth_count']}", *cells, verdict])
    medians = [f"{statistics.median(r[c][0] for r in results):.3f} / {statistics.median(r[c][1] for r in results):.1f}" for c in columns]
    judged = [r for r in results if r["target_met"] is not None]
    rows.append(["median", "", "", *medians, f"{sum(bool(r['target_met']) for r in judged)}/{len(judged)} met"])
    print("ARI / MoJoFM against each truth (modules the truth covers); @default = ours' own count, @truth = the truth's")
    print("folders: one group per top-level package, merged or split to the count; louvain: networkx Louvain on imports")
    print("(Leiden is not in networkx without a backend: Louvain stands in.) target: ours @truth ARI >= folders @truth on")
    print(f"projects whose packages are their domains, and >= folders + {LAYERED_MARGIN} on layered ones")
    print(table(header, rows))
    for r in results:
        print(f"{r['project']}: {r['modules']} modules, {r['covered']} in the truth, analysed in {r['seconds']} s; "
              f"services: {', '.join(r['services'])}")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", help="comma-separated project names (default: every truth)")
    parser.add_argument("--json", type=Path, help="write the results as JSON")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    paths = sorted(TRUTHS.glob("*.json"))
    if args.projects:
        wanted = set(args.projects.split(","))
        paths = [p for p in paths if p.stem in wanted]
    results = []
    try:
        for path in paths:
            results.append(measure(prepare(path)))
    except SetupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if not results:
        print("error: no truth selected", file=sys.stderr)
        return 1
    print_results(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
