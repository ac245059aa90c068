"""Benchmark: ``propose`` on real Django projects, scored against their own apps, beside Louvain.

    python benchmarks/propose_django.py                    # ours vs baseline per project, layered case
    python benchmarks/propose_django.py --study-weights    # plus MoJoFM over a grid of weights
    python benchmarks/propose_django.py --projects pretix,shuup --details

The projects are downloaded from PyPI as wheels into benchmarks/.data/ (a wheel is a zip of the
same .py files; some sdists do not build metadata without their JS toolchain) and the project
package alone is unpacked. The truth is the projects' Django apps, as their authors cut them.
See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import statistics
import subprocess
import sys
import time
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _util import DATA, REPO, SetupError, last_line, table  # noqa: E402  (the benchmarks folder is not a package)

sys.path.insert(0, str(REPO))

import networkx as nx  # noqa: E402

import migrator.boundaries.propose as propose_module  # noqa: E402

from analyzers.base import AnalysisOptions  # noqa: E402
from migrator.boundaries.domains import Domain  # noqa: E402
from migrator.boundaries.evaluation import INFRASTRUCTURE, evaluate, unit_dependencies  # noqa: E402
from migrator.boundaries.metrics import Dependency, a2a, adjusted_rand_index, evaluate_partition, mojofm  # noqa: E402
from migrator.boundaries.propose import ProposeSettings, propose  # noqa: E402
from migrator.boundaries.roles import common_prefix  # noqa: E402
from migrator.boundaries.weights import build_weighted_graph  # noqa: E402
from migrator.boundaries.weights import DEFAULT_WEIGHTS  # noqa: E402
from migrator.model.decomposition import Decomposition  # noqa: E402
from migrator.model.facts import EdgeKind  # noqa: E402
from migrator.model.graph import DependencyGraph  # noqa: E402
from migrator.model.units import index_units  # noqa: E402
from migrator.pipeline import AnalyzeRequest, analyze  # noqa: E402

SEED = 42
ROBUSTNESS_SEEDS = (42, 1, 2, 3, 4)
"""Louvain depends on its seed: medians over these say whether a difference is more than luck."""
PROJECTS = ("pretix", "shuup", "weblate", "misago")
"""PyPI distributions whose package of the same name is a Django project cut into apps."""
LAYERED = "lnbits"
"""A FastAPI application whose core is cut by layer (views/, services/, crud/, models/)."""
LAYERED_CORE = "lnbits.core"
LAYERS = ("views", "services", "crud", "models")
WORK = DATA / "propose"
NO_IMPORTS = "(no imports)"
"""The baseline's group for modules without any import tie: Louvain cannot place them."""
STUDY_SCALES = (0.0, 0.5, 2.0)
HIGHER_IS_BETTER = {"MoJoFM": True, "a2a": True, "ARI": True, "ICP": False, "SM": True, "MQ": True, "modularity": True}


# -- getting the projects ------------------------------------------------------------------------


def ensure_wheel(dist: str, data: Path = DATA) -> Path:
    """The newest wheel of ``dist`` under ``data``, downloaded once with pip."""
    found = _wheels(dist, data)
    if found:
        return found[-1]
    data.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:", dist, "-d", str(data)]
    print(f"downloading {dist}: {' '.join(command[2:])}", file=sys.stderr)
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    found = _wheels(dist, data)
    if completed.returncode != 0 or not found:
        raise SetupError(f"pip could not download {dist}: {last_line(completed.stderr) or 'no wheel found'}")
    return found[-1]


def _wheels(dist: str, data: Path) -> list[Path]:
    def version(path: Path) -> tuple[int, ...]:
        match = re.match(rf"{re.escape(dist)}-([\d.]+)", path.name, re.IGNORECASE)
        return tuple(int(p) for p in match.group(1).strip(".").split(".")) if match else ()

    return sorted(data.glob(f"{dist}-*.whl"), key=version)


def unpack_package(wheel: Path, package: str) -> Path:
    """A folder holding only ``package/`` from the wheel (not its other top-level folders)."""
    root = WORK / wheel.name.removesuffix(".whl") / "src"
    if (root / package / "__init__.py").is_file():
        return root
    with zipfile.ZipFile(wheel) as archive:
        members = [m for m in archive.namelist() if m.startswith(f"{package}/") and ".." not in m.split("/")]
        archive.extractall(root, members)
    return root


# -- the truth: the project's Django apps ------------------------------------------------------------


def find_apps(src: Path, package: str) -> dict[str, str]:
    """App package -> the rule that found it.

    An app is (1) the ``name`` of an ``AppConfig`` subclass defined in the project (Django's own
    definition: the full Python path of the application; ``name = __name__`` is the defining
    package), or (2) a package that holds ``models.py`` or a ``models/`` package (an app that
    relies on Django's default AppConfig). The project package itself, tests and test
    projects (a package whose name starts with ``test``) are not apps.
    """
    apps: dict[str, str] = {}
    for path in sorted((src / package).rglob("*.py")):
        relative = path.relative_to(src)
        if _is_test_or_migration(relative.parts):
            continue
        module = ".".join(relative.with_suffix("").parts).removesuffix(".__init__")
        package_of = module if path.name == "__init__.py" else module.rpartition(".")[0]
        if path.name == "models.py" or (path.name == "__init__.py" and relative.parent.name == "models"):
            owner = package_of if path.name == "models.py" else package_of.rpartition(".")[0]
            apps.setdefault(owner, "holds models")
        for name in _app_config_names(path, package_of):
            apps[name] = "AppConfig.name"
    apps.pop(package, None)
    return {app: rule for app, rule in sorted(apps.items()) if app == package or app.startswith(package + ".")}


def _is_test_or_migration(parts: Sequence[str]) -> bool:
    """Tests, test projects (``misago.core.testproject``), test utilities and migrations."""
    return any(p.startswith("test") or p == "migrations" for p in parts)


def _app_config_names(path: Path, package_of: str) -> list[str]:
    try:
        tree = ast.parse(path.read_bytes())
    except (SyntaxError, ValueError):
        return []
    names = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef) or not any(_dotted(b).endswith("AppConfig") for b in node.bases):
            continue
        for statement in node.body:
            if isinstance(statement, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "name" for t in statement.targets):
                value = statement.value
                if isinstance(value, ast.Constant) and isinstance(value.value, str) and "." in value.value:
                    names.append(value.value)
                elif isinstance(value, ast.Name) and value.id == "__name__":
                    names.append(package_of)
    return names


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return node.id if isinstance(node, ast.Name) else ""


def truth_of(units: Iterable[str], apps: Iterable[str]) -> dict[str, str]:
    """Module -> the innermost app package holding it; modules outside every app, and test code
    (a package whose name starts with ``test``), are left out."""
    ordered = sorted(apps, key=len, reverse=True)
    truth = {}
    for unit in units:
        if any(part.startswith("test") for part in unit.split(".")):
            continue
        for app in ordered:
            if unit == app or unit.startswith(app + "."):
                truth[unit] = app
                break
    return truth


# -- the two proposals -----------------------------------------------------------------------------


@dataclass
class Proposal:
    """A partition of every module, the seconds it took, and how it was reached."""

    partition: dict[str, str]
    seconds: float
    notes: list[str] = field(default_factory=list)
    decomposition: Decomposition | None = None


def run_ours(
    graph: DependencyGraph, services: int | None, weights: Mapping[str, float] | None = None, *, seed: int = SEED, shared: bool = True
) -> Proposal:
    """``propose`` with default weights (unless given), seed 42; shared and infrastructure as groups."""
    settings = ProposeSettings(services=services, seed=seed, weights=dict(weights or DEFAULT_WEIGHTS), shared=shared)
    started = time.perf_counter()
    decomposition = propose(graph, settings)
    elapsed = time.perf_counter() - started
    partition = whole_partition(decomposition)
    parts = len(decomposition.shared.units) if decomposition.shared else 0
    notes = [f"{len(decomposition.services)} services + shared ({parts}) + infrastructure ({len(decomposition.infrastructure)})"]
    return Proposal(partition, elapsed, notes, decomposition)


def whole_partition(decomposition: Decomposition) -> dict[str, str]:
    """Every unit of the decomposition, shared library and infrastructure as groups of their own."""
    partition = decomposition.assignment()
    partition.update({u: INFRASTRUCTURE for u in decomposition.infrastructure})
    return partition


def run_baseline(graph: DependencyGraph, units: Sequence[str], target: int, *, seed: int = SEED) -> Proposal:
    """Plain Louvain on the import graph: module -> module imports, unweighted, undirected.

    The resolution is bisected for ``target`` communities; the smallest are merged if the
    closest count found overshoots. Modules without any import tie go to one group of their own.
    """
    started = time.perf_counter()
    unit_set = set(units)
    imports = nx.Graph()
    for edge in graph.edges(EdgeKind.IMPORTS):
        if edge.source in unit_set and edge.target in unit_set and edge.source != edge.target:
            imports.add_edge(edge.source, edge.target)
    communities, resolution = _bisect_resolution(imports, target, seed)
    merged = 0
    while len(communities) > target:
        communities.sort(key=lambda c: (len(c), min(c)))
        communities[0] |= communities.pop(1)
        merged += 1
    partition = {u: f"louvain-{i}" for i, c in enumerate(sorted(communities, key=min)) for u in c}
    isolated = [u for u in units if u not in partition]
    partition.update({u: NO_IMPORTS for u in isolated})
    notes = [f"{len(communities)} communities at resolution {resolution:.4g}" + (f" ({merged} smallest merged)" if merged else "")
             + f" + {NO_IMPORTS} ({len(isolated)})"]
    return Proposal(partition, time.perf_counter() - started, notes)


def _bisect_resolution(graph: nx.Graph, target: int, seed: int, steps: int = 40) -> tuple[list[set[str]], float]:
    """Communities at the resolution giving ``target`` (else the closest count above it)."""

    def at(resolution: float) -> list[set[str]]:
        return [set(c) for c in nx.community.louvain_communities(graph, resolution=resolution, seed=seed)]

    low, high = 1e-4, 64.0
    best: tuple[list[set[str]], float] | None = None
    for _ in range(steps):
        middle = (low * high) ** 0.5
        found = at(middle)
        if len(found) >= target and (best is None or len(found) < len(best[0])):
            best = (found, middle)
        if len(found) == target:
            return found, middle
        if len(found) < target:
            low = middle
        else:
            high = middle
    return best if best is not None else (at(high), high)


# -- scoring --------------------------------------------------------------------------------------


def mojofm_against(partition: Mapping[str, str], truth: Mapping[str, str]) -> float:
    """MoJoFM on the units both know."""
    common = {u: partition[u] for u in truth if u in partition}
    return mojofm(common, {u: truth[u] for u in common})


def score(partition: Mapping[str, str], truth: Mapping[str, str], edges: Sequence[Dependency]) -> dict[str, float]:
    """External scores on the units the truth covers; internal ones on the whole partition."""
    common = {u: partition[u] for u in truth if u in partition}
    reference = {u: truth[u] for u in common}
    internal = evaluate_partition(partition, [e for e in edges if e.source in partition and e.target in partition])
    return {
        "MoJoFM": mojofm(common, reference),
        "a2a": a2a(common, reference),
        "ARI": adjusted_rand_index(common, reference),
        "ICP": internal.icp,
        "SM": internal.sm,
        "MQ": internal.mq,
        "modularity": internal.modularity,
    }


def winner(metric: str, ours: float, baseline: float) -> str:
    if abs(ours - baseline) < 1e-9:
        return "tie"
    return "ours" if (ours > baseline) == HIGHER_IS_BETTER[metric] else "baseline"


def render_value(metric: str, value: float) -> str:
    return f"{value:.1f}" if metric in ("MoJoFM", "a2a") else f"{value:.3f}"


# -- one project ----------------------------------------------------------------------------------


@dataclass
class Subject:
    """A project analysed: its graph, units, truth and how long analysis took."""

    name: str
    version: str
    graph: DependencyGraph
    units: list[str]
    truth: dict[str, str]
    apps: dict[str, str]
    analyze_seconds: float
    cache: str
    edges: list[Dependency]


def prepare(dist: str) -> Subject:
    """Download, unpack, find the apps and analyse one project."""
    wheel = ensure_wheel(dist)
    src = unpack_package(wheel, dist)
    cache_dir = WORK / "cache" / wheel.name.removesuffix(".whl")
    cache = "warm cache" if cache_dir.is_dir() and any(cache_dir.iterdir()) else "cold cache"
    started = time.perf_counter()
    graph, _ = analyze(AnalyzeRequest(src=src, options=AnalysisOptions(cache_dir=cache_dir)))
    elapsed = time.perf_counter() - started
    index = index_units(graph, "module")
    units = list(index.units)
    apps = find_apps(src, dist)
    truth = truth_of(units, apps)
    version = wheel.name.split("-")[1]
    edges = unit_dependencies(graph, index.unit_of)
    return Subject(dist, version, graph, units, truth, apps, elapsed, cache, edges)


def compare(subject: Subject, details: bool, seeds: Sequence[int]) -> dict[str, Any]:
    """Ours and the baseline at the truth's number of apps, scored and printed."""
    target = len(set(subject.truth.values()))
    ours = run_ours(subject.graph, target)
    baseline = run_baseline(subject.graph, subject.units, target)
    ours_scores = score(ours.partition, subject.truth, subject.edges)
    baseline_scores = score(baseline.partition, subject.truth, subject.edges)
    check = evaluate(subject.graph, ours.decomposition, subject.truth).scores.mojofm
    rules = Counter(subject.apps.values())
    print(f"\n== {subject.name} {subject.version}: {len(subject.units)} modules, {target} apps "
          f"({rules['AppConfig.name']} by AppConfig.name, {rules['holds models']} by models only); "
          f"truth covers {len(subject.truth)} modules ({100 * len(subject.truth) / len(subject.units):.0f}%)")
    rows = [[m, render_value(m, ours_scores[m]), render_value(m, baseline_scores[m]), winner(m, ours_scores[m], baseline_scores[m])]
            for m in HIGHER_IS_BETTER]
    print(table(["metric", "ours", "baseline", "wins"], rows, right=[False, True, True, False]))
    print(f"ours:     {ours.notes[0]}; `evaluate` MoJoFM {check:.1f}")
    print(f"baseline: {baseline.notes[0]}")
    print(f"seconds:  analyze {subject.analyze_seconds:.2f} ({subject.cache}), propose {ours.seconds:.2f}, baseline {baseline.seconds:.2f}")
    robustness = seed_robustness(subject, target, seeds) if len(seeds) > 1 else {}
    if robustness:
        print(f"MoJoFM over seeds {', '.join(map(str, seeds))}: " + "; ".join(
            f"{who} median {statistics.median(v):.1f} (min {min(v):.1f}, max {max(v):.1f})" for who, v in robustness.items()))
    lost = ours_scores["MoJoFM"] <= baseline_scores["MoJoFM"]
    if details or lost:
        print_where_apps_went(subject, ours)
    return {
        "project": subject.name, "version": subject.version, "modules": len(subject.units), "apps": target,
        "truth_modules": len(subject.truth), "ours": ours_scores, "baseline": baseline_scores,
        "seconds": {"analyze": subject.analyze_seconds, "propose": ours.seconds, "baseline": baseline.seconds},
        "cache": subject.cache, "ours_notes": ours.notes, "baseline_notes": baseline.notes,
        "mojofm_by_seed": {who: dict(zip(map(str, seeds), v)) for who, v in robustness.items()},
        "shared": list(ours.decomposition.shared.units) if ours.decomposition.shared else [],
        "infrastructure": list(ours.decomposition.infrastructure),
    }


def seed_robustness(subject: Subject, target: int, seeds: Sequence[int]) -> dict[str, list[float]]:
    """MoJoFM of ours and of the baseline for each seed."""
    return {
        "ours": [mojofm_against(run_ours(subject.graph, target, seed=seed).partition, subject.truth) for seed in seeds],
        "baseline": [mojofm_against(run_baseline(subject.graph, subject.units, target, seed=seed).partition, subject.truth) for seed in seeds],
    }


def print_where_apps_went(subject: Subject, ours: Proposal) -> None:
    """For each app: where its modules landed (merges, splits, shared, infrastructure)."""
    by_app: dict[str, Counter[str]] = defaultdict(Counter)
    for unit, app in subject.truth.items():
        by_app[app][ours.partition.get(unit, "?")] += 1
    holders: dict[str, set[str]] = defaultdict(set)
    for app, spread in by_app.items():
        holders[spread.most_common(1)[0][0]].add(app)
    rows = []
    for app in sorted(by_app, key=lambda a: -sum(by_app[a].values())):
        spread = by_app[app]
        main, count = spread.most_common(1)[0]
        others = ", ".join(f"{g} {n}" for g, n in spread.most_common()[1:4])
        together = len(holders[main]) - 1
        rows.append([app, str(sum(spread.values())), f"{main} {count}", str(together), others])
    print("where each app went (ours): its modules, the group holding most of them, how many other apps that group is also the main group of, the rest")
    print(table(["app", "modules", "main group", "+apps", "elsewhere"], rows, right=[False, True, False, True, False]))
    by_group: dict[str, Counter[str]] = defaultdict(Counter)
    for unit, group in ours.partition.items():
        by_group[group][subject.truth.get(unit, "(no app)")] += 1
    largest = sorted(by_group, key=lambda g: -sum(by_group[g].values()))[:10]
    rows = [[g, str(sum(by_group[g].values())), ", ".join(f"{_short(a, subject.name)} {n}" for a, n in by_group[g].most_common(6))] for g in largest]
    print("our ten largest groups and the apps they hold")
    print(table(["group", "modules", "apps (top 6)"], rows, right=[False, True, False]))


def _short(app: str, package: str) -> str:
    return app.removeprefix(package + ".") or app


# -- the weights study -----------------------------------------------------------------------------


def weight_settings() -> list[tuple[str, dict[str, float]]]:
    """Defaults, each kind scaled x0, x0.5 and x2 alone, and imports only."""
    settings = [("defaults", dict(DEFAULT_WEIGHTS))]
    for kind in DEFAULT_WEIGHTS:
        for scale in STUDY_SCALES:
            settings.append((f"{kind} x{scale:g}", {**DEFAULT_WEIGHTS, kind: DEFAULT_WEIGHTS[kind] * scale}))
    settings.append(("imports only", {k: (1.0 if k == "imports" else 0.0) for k in DEFAULT_WEIGHTS}))
    return settings


def study_weights(subjects: Sequence[Subject], seeds: Sequence[int]) -> list[dict[str, Any]]:
    """Median MoJoFM over ``seeds`` per project for every weight setting, with the mean and the change from defaults."""
    print_kind_agreement(subjects)
    results = []
    for label, weights in weight_settings():
        row: dict[str, Any] = {"setting": label, "weights": weights, "mojofm": {}}
        for subject in subjects:
            target = len(set(subject.truth.values()))
            row["mojofm"][subject.name] = statistics.median(
                mojofm_against(run_ours(subject.graph, target, weights, seed=seed).partition, subject.truth) for seed in seeds
            )
        row["mean"] = statistics.mean(row["mojofm"].values())
        results.append(row)
    base = results[0]["mean"]
    rows = [[r["setting"], *(f"{r['mojofm'][s.name]:.1f}" for s in subjects), f"{r['mean']:.1f}", f"{r['mean'] - base:+.1f}"]
            for r in results]
    print(f"\n== weights study: median MoJoFM over seeds {', '.join(map(str, seeds))} against the apps "
          "(one kind scaled at a time; services = apps)")
    print(table(["setting", *(s.name for s in subjects), "mean", "vs defaults"], rows))
    present = {kind for s in subjects for kind in s.graph.count_edges_by_kind()}
    absent = [k for k in DEFAULT_WEIGHTS if k not in present and k not in ("shared_data", "events")]
    if absent:
        print(f"no edges of kind {', '.join(absent)} in these graphs (a wheel has no git history), so scaling them changes nothing")
    best = max(results, key=lambda r: r["mean"])
    print(f"best mean: {best['setting']} {best['mean']:.1f} (defaults {base:.1f})")
    return results


def print_kind_agreement(subjects: Sequence[Subject]) -> None:
    """Per kind of tie (all weighted 1): the share of its weight that stays inside one app."""
    ones = {kind: 1.0 for kind in DEFAULT_WEIGHTS}
    shares: dict[str, dict[str, str]] = defaultdict(dict)
    for subject in subjects:
        view = build_weighted_graph(subject.graph, index_units(subject.graph, "module"), ones)
        inside: Counter[str] = Counter()
        total: Counter[str] = Counter()
        for a, b in view_pairs(view):
            if a in subject.truth and b in subject.truth:
                for kind, weight in view.tie_kinds(a, b).items():
                    total[kind] += weight
                    if subject.truth[a] == subject.truth[b]:
                        inside[kind] += weight
        for kind in DEFAULT_WEIGHTS:
            shares[kind][subject.name] = f"{100 * inside[kind] / total[kind]:.0f}% of {total[kind]:,.0f}" if total[kind] else "-"
    print("\n== how well each kind of tie agrees with the apps: the share of its weight (every kind weighted 1) inside one app")
    print(table(["kind", *(s.name for s in subjects)], [[k, *(shares[k][s.name] for s in subjects)] for k in DEFAULT_WEIGHTS]))


def view_pairs(view: Any) -> list[tuple[str, str]]:
    """Each tied pair of units once."""
    return [(a, b) for a in view.units for b in view.ties(a) if a < b]


# -- ablation: one step of propose changed at a time -------------------------------------------------


@contextmanager
def replaced(name: str, value: Any) -> Iterator[None]:
    """Swap one name that ``migrator.boundaries.propose`` looks up, for the duration (diagnostics only)."""
    old = getattr(propose_module, name)
    setattr(propose_module, name, value)
    try:
        yield
    finally:
        setattr(propose_module, name, old)


def _no_domains(units: Sequence[str], prefix: str, routed: Iterable[str] = ()) -> dict[str, Domain]:
    """Every unit a domain of its own: the proposal without the authors' structure."""
    return {u: Domain(u, u.rsplit(".", 1)[-1], "ablation: its own domain") for u in units if u != prefix}


def _main_package_prefix(units: Iterable[str]) -> str:
    """The common prefix of the units under the top-level package that holds 90% of them."""
    units = list(units)
    tops = Counter(u.split(".")[0] for u in units)
    top, count = tops.most_common(1)[0] if tops else ("", 0)
    if count >= 0.9 * len(units):
        return common_prefix([u for u in units if u == top or u.startswith(top + ".")])
    return common_prefix(units)


IMPORTS_ONLY = {kind: (1.0 if kind == "imports" else 0.0) for kind in DEFAULT_WEIGHTS}
IMPORTS_AND_CALLS = {**IMPORTS_ONLY, "calls": 0.25}
IMPORTS_AND_DATA = {**IMPORTS_ONLY, "writes": 2.0, "foreign_key": 1.5, "reads": 1.0, "shared_data": 1.0}
ABLATIONS: tuple[tuple[str, dict[str, float] | None, bool, tuple[tuple[str, Any], ...]], ...] = (
    ("defaults", None, True, ()),
    ("no shared library (shared=False)", None, False, ()),
    ("prefix of the main package (stray top-level modules ignored)", None, True, (("common_prefix", _main_package_prefix),)),
    ("no domain units (every unit a domain of its own)", None, True, (("find_domains", _no_domains),)),
    ("imports-only weights", IMPORTS_ONLY, True, ()),
)


def ablate(subjects: Sequence[Subject], seeds: Sequence[int], baselines: Mapping[str, float]) -> list[dict[str, Any]]:
    """Median MoJoFM over ``seeds`` with one step of propose changed at a time; the baseline's median beside."""
    results = []
    for label, weights, shared, patches in ABLATIONS:
        row: dict[str, Any] = {"variant": label, "mojofm": {}}
        with ExitStack() as stack:
            for name, value in patches:
                stack.enter_context(replaced(name, value))
            for subject in subjects:
                target = len(set(subject.truth.values()))
                row["mojofm"][subject.name] = statistics.median(
                    mojofm_against(run_ours(subject.graph, target, weights, seed=seed, shared=shared).partition, subject.truth)
                    for seed in seeds
                )
        row["mean"] = statistics.mean(row["mojofm"].values())
        results.append(row)
    rows = [[r["variant"], *(f"{r['mojofm'][s.name]:.1f}" for s in subjects), f"{r['mean']:.1f}"] for r in results]
    rows.append(["baseline (plain Louvain on imports)", *(f"{baselines[s.name]:.1f}" for s in subjects),
                 f"{statistics.mean(baselines[s.name] for s in subjects):.1f}"])
    print(f"\n== ablation: median MoJoFM over seeds {', '.join(map(str, seeds))}, one step of propose changed at a time")
    print(table(["variant", *(s.name for s in subjects), "mean"], rows))
    return results


# -- a project cut by layers ------------------------------------------------------------------------


def layered_study() -> dict[str, Any]:
    """``propose`` on lnbits, whose core is cut by layer: which cut does the proposal recover?

    Two truths over ``lnbits.core.{views,services,crud,models}``: the layer (the package), and
    the domain (the file's stem, ``payment_api.py`` -> ``payment``), counting domains present
    in at least two layers.
    """
    wheel = ensure_wheel(LAYERED)
    src = unpack_package(wheel, LAYERED)
    cache_dir = WORK / "cache" / wheel.name.removesuffix(".whl")
    started = time.perf_counter()
    graph, _ = analyze(AnalyzeRequest(src=src, options=AnalysisOptions(cache_dir=cache_dir)))
    analyze_seconds = time.perf_counter() - started
    units = list(index_units(graph, "module").units)
    layer_truth, domain_truth = layered_truths(units)
    print(f"\n== layered: {LAYERED} {wheel.name.split('-')[1]}: {len(units)} modules; {LAYERED_CORE} has "
          f"{len(layer_truth)} modules in {len(set(layer_truth.values()))} layers, {len(domain_truth)} of them in "
          f"{len(set(domain_truth.values()))} domains found in two layers or more")
    result: dict[str, Any] = {"project": LAYERED, "modules": len(units), "analyze_seconds": analyze_seconds, "runs": {}}
    domains = len(set(domain_truth.values()))
    for label, services in (("services chosen by the resolution (no --services)", None), (f"services = {domains} (the domains)", domains)):
        ours = run_ours(graph, services)
        decomposition = ours.decomposition
        scores = {name: mojofm_against(ours.partition, truth) for name, truth in (("layers", layer_truth), ("domains", domain_truth))}
        whole = kept_whole(ours.partition, domain_truth)
        one_layer = sum(1 for s in decomposition.services if len({layer_truth[u] for u in s.units if u in layer_truth}) == 1)
        print(f"\n-- {label}: {ours.notes[0]}; propose {ours.seconds:.2f} s; MoJoFM vs layers {scores['layers']:.1f}, "
              f"vs domains {scores['domains']:.1f}; domains kept whole {whole} of {domains}; services holding core code of one layer only: {one_layer}")
        print(summarize_services(decomposition, layer_truth, domain_truth))
        result["runs"][label] = {"scores": scores, "notes": ours.notes, "kept_whole": whole,
                                 "services": {s.name: list(s.units) for s in decomposition.services}}
        if services is not None:
            baseline = run_baseline(graph, units, services)
            base_scores = {name: mojofm_against(baseline.partition, truth) for name, truth in (("layers", layer_truth), ("domains", domain_truth))}
            print(f"baseline at {services} communities ({baseline.notes[0]}): MoJoFM vs layers {base_scores['layers']:.1f}, "
                  f"vs domains {base_scores['domains']:.1f}; domains kept whole {kept_whole(baseline.partition, domain_truth)} of {domains}")
            result["runs"][label]["baseline"] = base_scores
    return result


def kept_whole(partition: Mapping[str, str], truth: Mapping[str, str]) -> int:
    """How many groups of ``truth`` sit entirely in one group of ``partition``."""
    groups: dict[str, set[str]] = defaultdict(set)
    for unit, group in truth.items():
        groups[group].add(partition.get(unit, "?"))
    return sum(1 for placed in groups.values() if len(placed) == 1)


def layered_truths(units: Iterable[str]) -> tuple[dict[str, str], dict[str, str]]:
    layer, stem = {}, {}
    for unit in units:
        parts = unit.split(".")
        depth = len(LAYERED_CORE.split("."))
        if unit.startswith(LAYERED_CORE + ".") and len(parts) == depth + 2 and parts[depth] in LAYERS:
            layer[unit] = parts[depth]
            stem[unit] = _domain_stem(parts[-1])
    layers_per_domain: dict[str, set[str]] = defaultdict(set)
    for unit, domain in stem.items():
        layers_per_domain[domain].add(layer[unit])
    domain = {u: d for u, d in stem.items() if len(layers_per_domain[d]) >= 2 and d != "__init__"}
    return layer, domain


def _domain_stem(name: str) -> str:
    name = name.removesuffix("_api")
    return name[:-1] if name.endswith("s") and not name.endswith("ss") else name


def summarize_services(decomposition: Decomposition, layer_truth: Mapping[str, str], domain_truth: Mapping[str, str]) -> str:
    """One row per service: size, the core layers and domains it holds, a few modules."""
    parts = [(s.name, s.units) for s in decomposition.services]
    if decomposition.shared is not None:
        parts.append((decomposition.shared.name, decomposition.shared.units))
    parts.append((INFRASTRUCTURE, decomposition.infrastructure))
    rows = []
    for name, members in parts:
        layers = Counter(layer_truth[u] for u in members if u in layer_truth)
        domains = Counter(domain_truth[u] for u in members if u in domain_truth)
        outside = Counter(_package_of(u) for u in members if u not in layer_truth)
        rows.append([
            name, str(len(members)),
            " ".join(f"{k}:{v}" for k, v in layers.most_common()) or "-",
            " ".join(f"{k}:{v}" for k, v in domains.most_common(5)) or "-",
            " ".join(f"{k}:{v}" for k, v in outside.most_common(3)) or "-",
        ])
    return table(["service", "modules", "core layers", "core domains (top 5)", "other packages (top 3)"], rows,
                 right=[False, True, False, False, False])


def _package_of(unit: str) -> str:
    parts = unit.split(".")
    depth = 3 if unit.startswith(LAYERED_CORE + ".") else 2
    return ".".join(parts[:depth]) if len(parts) > depth else unit


# -- the command --------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", default=",".join(PROJECTS), help=f"comma-separated PyPI names (default {','.join(PROJECTS)})")
    parser.add_argument("--study-weights", action="store_true", help="also run the grid of weights")
    parser.add_argument("--no-layered", action="store_true", help=f"leave out the layered project ({LAYERED})")
    parser.add_argument("--details", action="store_true", help="print where each app went even when ours wins")
    parser.add_argument("--seeds", type=int, default=len(ROBUSTNESS_SEEDS), choices=range(1, len(ROBUSTNESS_SEEDS) + 1),
                        help=f"seeds for the medians (of {', '.join(map(str, ROBUSTNESS_SEEDS))}; default all; 1 = seed 42 only)")
    parser.add_argument("--ablate", action="store_true", help="also run ours with one step of propose changed at a time (diagnostic)")
    parser.add_argument("--study-seeds", type=int, default=3, help="seeds per setting in the weights study (default 3: 42, 1, 2)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    results: dict[str, Any] = {"projects": [], "failed": {}}
    subjects = []
    for dist in [p.strip() for p in args.projects.split(",") if p.strip()]:
        try:
            subjects.append(prepare(dist))
        except SetupError as error:
            print(f"{dist}: left out: {error}", file=sys.stderr)
            results["failed"][dist] = str(error)
    if len(subjects) < 2:
        print(f"only {len(subjects)} project(s) could be prepared; at least two are needed", file=sys.stderr)
        if not subjects:
            return 1
    for subject in subjects:
        results["projects"].append(compare(subject, args.details, ROBUSTNESS_SEEDS[: args.seeds]))
    summary = [[r["project"], f"{r['ours']['MoJoFM']:.1f}", f"{r['baseline']['MoJoFM']:.1f}",
                winner("MoJoFM", r["ours"]["MoJoFM"], r["baseline"]["MoJoFM"])] for r in results["projects"]]
    print("\n== MoJoFM against the apps, all projects")
    print(table(["project", "ours", "baseline", "wins"], summary, right=[False, True, True, False]))
    seeds = ROBUSTNESS_SEEDS[: args.seeds]
    if args.ablate:
        baselines = {r["project"]: statistics.median(r["mojofm_by_seed"]["baseline"].values()) if r["mojofm_by_seed"] else r["baseline"]["MoJoFM"]
                     for r in results["projects"]}
        results["ablation"] = ablate(subjects, seeds, baselines)
    if args.study_weights:
        results["weights_study"] = study_weights(subjects, seeds[: args.study_seeds])
    if not args.no_layered:
        try:
            results["layered"] = layered_study()
        except SetupError as error:
            print(f"{LAYERED}: left out: {error}", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, sort_keys=True, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
