"""Benchmark: ``propose`` on a synthetic graph of 5,000 modules, beside plain networkx Louvain.

    python benchmarks/propose_scale.py                  # medians of 3, one table
    python benchmarks/propose_scale.py --runs 5 --domains 100
    python benchmarks/propose_scale.py --profile        # where propose spends its time

The graph is generated (seeded) as a monolith of domains: power-law fan-out inside each domain,
some cross-domain calls, a few hub utility modules used everywhere, models written by their
domain's services (and now and then by another domain), events across domains. It is written
as graph.json and read back, and propose runs on what was read. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _util import DATA, REPO, table  # noqa: E402  (the benchmarks folder is not a package)

sys.path.insert(0, str(REPO))

import networkx as nx  # noqa: E402

from migrator.boundaries.metrics import mojofm  # noqa: E402
from migrator.boundaries.propose import ProposeSettings, propose  # noqa: E402
from migrator.boundaries.weights import DEFAULT_WEIGHTS, build_weighted_graph  # noqa: E402
from migrator.model.decomposition import Decomposition  # noqa: E402
from migrator.model.facts import Edge, EdgeKind, Node, NodeKind  # noqa: E402
from migrator.model.graph import DependencyGraph  # noqa: E402
from migrator.model.graph_json import dumps_json  # noqa: E402
from migrator.model.serialization import loads_json  # noqa: E402
from migrator.model.units import index_units  # noqa: E402

TARGET_SECONDS = 10.0
ROOT = "mono"
HUB_PACKAGE = f"{ROOT}.common"
STAGES = (
    ("index_units", "migrator/model/units.py"),
    ("build_weighted_graph", "migrator/boundaries/weights.py"),
    ("find_infrastructure", "migrator/boundaries/roles.py"),
    ("owns_data_or_routes", "migrator/boundaries/roles.py"),
    ("find_shared", "migrator/boundaries/roles.py"),
    ("cluster", "migrator/boundaries/clustering.py"),
    ("_search_resolution", "migrator/boundaries/clustering.py"),
    ("_merge_to", "migrator/boundaries/clustering.py"),
    ("_split_to", "migrator/boundaries/clustering.py"),
    ("place_untied", "migrator/boundaries/clustering.py"),
    ("find_domains", "migrator/boundaries/domains.py"),
    ("assemble", "migrator/boundaries/assemble.py"),
    ("enforce_constraints", "migrator/boundaries/clustering.py"),
    ("service_names", "migrator/boundaries/naming.py"),
    ("placement_reasons", "migrator/boundaries/explain.py"),
    ("summarize_services", "migrator/boundaries/explain.py"),
    ("louvain_communities", "networkx/algorithms/community/louvain.py"),
)
"""The steps of propose, by function, for the profile's breakdown (cumulative time, calls nested)."""


# -- the synthetic monolith -----------------------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    """How the synthetic monolith is built; the defaults make 50 x 100 = 5,000 domain modules."""

    domains: int = 50
    modules: int = 100
    """Modules per domain, its package included."""
    functions: int = 4
    model_modules: int = 5
    models_per_module: int = 2
    hubs: int = 10
    mean_fan_out: float = 4.0
    cross_domain: float = 0.08
    """Share of a module's imports that go to another domain."""
    hub_use: float = 0.3
    """Chance that a module imports each of a few hubs."""
    cross_writes: float = 0.02
    events: int = 120
    routes: int = 10
    seed: int = 7


@dataclass
class Builder:
    nodes: list[Node] = field(default_factory=list)
    edges: dict[tuple[str, str, str], Edge] = field(default_factory=dict)

    def node(self, node_id: str, kind: NodeKind, file: str | None = None, **attrs: Any) -> None:
        self.nodes.append(Node(node_id, kind, file, 1 if file else None, (), attrs))

    def edge(self, source: str, target: str, kind: EdgeKind, weight: float = 1.0) -> None:
        key = (source, target, kind.value)
        if source == target:
            return
        old = self.edges.get(key)
        self.edges[key] = Edge(source, target, kind, (old.weight if old else 0.0) + weight)

    def graph(self) -> DependencyGraph:
        graph = DependencyGraph(root="/synthetic")
        graph.add_all(self.nodes, self.edges.values())
        return graph


def build_monolith(shape: Shape) -> tuple[DependencyGraph, dict[str, str]]:
    """The synthetic graph and its planted truth (module -> domain; hubs are ``common``)."""
    rng = random.Random(shape.seed)
    b = Builder()
    b.node(ROOT, NodeKind.PACKAGE, f"{ROOT}/__init__.py")
    truth: dict[str, str] = {}
    hubs = _add_hubs(b, shape)
    truth.update({h: "common" for h in hubs})
    domains = [_add_domain(b, shape, d, truth) for d in range(shape.domains)]
    for d, modules in enumerate(domains):
        _add_imports_and_calls(b, shape, rng, d, domains, hubs)
        _add_data(b, shape, rng, d, domains)
        _add_routes(b, shape, d, modules)
    _add_events(b, shape, rng, domains)
    return b.graph(), truth


def _module_name(d: int, m: int) -> str:
    return f"{ROOT}.d{d:02d}" if m == 0 else f"{ROOT}.d{d:02d}.m{m:03d}"


def _functions(module: str, shape: Shape) -> list[str]:
    return [f"{module}.f{i}" for i in range(shape.functions)]


def _add_hubs(b: Builder, shape: Shape) -> list[str]:
    b.node(HUB_PACKAGE, NodeKind.PACKAGE, f"{ROOT}/common/__init__.py")
    hubs = []
    for h in range(shape.hubs):
        module = f"{HUB_PACKAGE}.util{h}"
        b.node(module, NodeKind.MODULE, f"{ROOT}/common/util{h}.py")
        for function in _functions(module, shape):
            b.node(function, NodeKind.FUNCTION, f"{ROOT}/common/util{h}.py")
        hubs.append(module)
    b.node(f"{HUB_PACKAGE}.util0.BaseModel", NodeKind.CLASS, f"{ROOT}/common/util0.py")
    return hubs


def _add_domain(b: Builder, shape: Shape, d: int, truth: dict[str, str]) -> list[str]:
    modules = []
    for m in range(shape.modules):
        module = _module_name(d, m)
        path = f"{ROOT}/d{d:02d}/__init__.py" if m == 0 else f"{ROOT}/d{d:02d}/m{m:03d}.py"
        b.node(module, NodeKind.PACKAGE if m == 0 else NodeKind.MODULE, path)
        for function in _functions(module, shape):
            b.node(function, NodeKind.FUNCTION, path)
        truth[module] = f"d{d:02d}"
        modules.append(module)
    for m in range(1, shape.model_modules + 1):
        for k in range(shape.models_per_module):
            model, table_name = f"{_module_name(d, m)}.Model{k}", f"d{d:02d}_m{m}_{k}"
            b.node(model, NodeKind.MODEL, f"{ROOT}/d{d:02d}/m{m:03d}.py", table=table_name, framework="django", app=f"d{d:02d}", abstract=False, fields=["id"])
            b.node(f"table:{table_name}", NodeKind.TABLE, models=[model])
            b.edge(model, f"table:{table_name}", EdgeKind.REFERENCES)
            b.edge(model, f"{HUB_PACKAGE}.util0.BaseModel", EdgeKind.INHERITS)
    return modules


def _models(shape: Shape, d: int) -> list[str]:
    return [f"{_module_name(d, m)}.Model{k}" for m in range(1, shape.model_modules + 1) for k in range(shape.models_per_module)]


def _fan_out(rng: random.Random, mean: float) -> int:
    """Power-law out-degree (Pareto, alpha 2): most modules import a few, some import dozens."""
    return max(1, min(60, int(rng.paretovariate(2.0) * mean / 2.0)))


def _add_imports_and_calls(b: Builder, shape: Shape, rng: random.Random, d: int, domains: list[list[str]], hubs: list[str]) -> None:
    own = domains[d]
    # popularity inside a domain falls with rank (Zipf): a few core modules are imported by most
    popularity = [1.0 / (rank + 1) ** 1.1 for rank in range(len(own))]
    for module in own:
        for _ in range(_fan_out(rng, shape.mean_fan_out)):
            if rng.random() < shape.cross_domain:
                other = domains[rng.choice([x for x in range(len(domains)) if x != d])]
                target = rng.choices(other, weights=popularity)[0]
            else:
                target = rng.choices(own, weights=popularity)[0]
            _depend(b, shape, rng, module, target)
        for hub in hubs:
            if rng.random() < shape.hub_use / 3:
                _depend(b, shape, rng, module, hub)


def _depend(b: Builder, shape: Shape, rng: random.Random, source: str, target: str) -> None:
    """An import with the calls (and sometimes references) that come with it."""
    if source == target:
        return
    b.edge(source, target, EdgeKind.IMPORTS)
    callers, callees = _functions(source, shape), _functions(target, shape)
    for _ in range(rng.randint(1, 3)):
        b.edge(rng.choice(callers), rng.choice(callees), EdgeKind.CALLS, rng.randint(1, 4))
    if rng.random() < 0.3:
        b.edge(rng.choice(callers), rng.choice(callees), EdgeKind.REFERENCES)


def _add_data(b: Builder, shape: Shape, rng: random.Random, d: int, domains: list[list[str]]) -> None:
    models = _models(shape, d)
    for i, model in enumerate(models):
        if rng.random() < 0.6:
            b.edge(model, rng.choice(models[:i] or models[1:]), EdgeKind.FOREIGN_KEY)
        if rng.random() < 0.05:
            b.edge(model, rng.choice(_models(shape, rng.randrange(len(domains)))), EdgeKind.FOREIGN_KEY)
    services = domains[d][shape.model_modules + 1 : shape.model_modules + 26]
    for module in services:
        for function in _functions(module, shape):
            if rng.random() < 0.3:
                b.edge(function, rng.choice(models), EdgeKind.WRITES, rng.randint(1, 3))
            if rng.random() < 0.3:
                b.edge(function, rng.choice(models), EdgeKind.READS)
            if rng.random() < shape.cross_writes:
                b.edge(function, rng.choice(_models(shape, rng.randrange(len(domains)))), EdgeKind.WRITES)


def _add_routes(b: Builder, shape: Shape, d: int, modules: list[str]) -> None:
    views = modules[-shape.routes :]
    for r, module in enumerate(views):
        route = f"route:GET /d{d:02d}/r{r}"
        b.node(route, NodeKind.ROUTE, module.replace(".", "/") + ".py", method="GET", path=f"/d{d:02d}/r{r}", handler=f"{module}.f0", framework="fastapi", name=None)
        b.edge(route, f"{module}.f0", EdgeKind.HANDLES)


def _add_events(b: Builder, shape: Shape, rng: random.Random, domains: list[list[str]]) -> None:
    for e in range(shape.events):
        event = f"event:e{e}"
        b.node(event, NodeKind.EVENT, framework="django-signal")
        publisher = rng.randrange(len(domains))
        b.edge(rng.choice(_functions(rng.choice(domains[publisher]), shape)), event, EdgeKind.PUBLISHES)
        for _ in range(rng.randint(1, 3)):
            subscriber = rng.randrange(len(domains))
            b.edge(event, rng.choice(_functions(rng.choice(domains[subscriber]), shape)), EdgeKind.SUBSCRIBES)


# -- measuring ----------------------------------------------------------------------------------------


def timed(action: Callable[[], Any], runs: int) -> tuple[list[float], Any]:
    """Seconds of each of ``runs`` calls, and the last result."""
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return times, result


def module_graph(graph: DependencyGraph) -> nx.Graph:
    """The module-level graph Louvain is given: every structural edge lifted to modules, weighted."""
    index = index_units(graph, "module")
    lifted = nx.Graph()
    lifted.add_nodes_from(index.units)
    for edge in graph.edges(EdgeKind.IMPORTS, EdgeKind.CALLS, EdgeKind.REFERENCES, EdgeKind.INHERITS, EdgeKind.READS, EdgeKind.WRITES, EdgeKind.FOREIGN_KEY):
        a, b = index.unit_of.get(edge.source), index.unit_of.get(edge.target)
        if a is None or b is None or a == b:
            continue
        weight = lifted[a][b]["weight"] + edge.weight if lifted.has_edge(a, b) else edge.weight
        lifted.add_edge(a, b, weight=weight)
    return lifted


def louvain_bisected(graph: nx.Graph, target: int, seed: int) -> list[set[str]]:
    """Louvain with the resolution bisected for ``target`` communities (what the Django benchmark's baseline does)."""
    low, high = 1e-4, 64.0
    found: list[set[str]] = []
    for _ in range(40):
        middle = (low * high) ** 0.5
        found = nx.community.louvain_communities(graph, weight="weight", resolution=middle, seed=seed)
        if len(found) == target:
            break
        low, high = (middle, high) if len(found) < target else (low, middle)
    return found


def whole_partition(decomposition: Decomposition) -> dict[str, str]:
    partition = decomposition.assignment()
    partition.update({u: "infrastructure" for u in decomposition.infrastructure})
    return partition


def profile_propose(graph: DependencyGraph, settings: ProposeSettings, top: int = 15) -> None:
    """One propose under cProfile: the steps' shares, then the top functions."""
    profiler = cProfile.Profile()
    profiler.enable()
    propose(graph, settings)
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = max(stats.total_tt, 1e-9)
    rows = []
    for name, path in STAGES:
        cumulative = sum(v[3] for (file, _, func), v in stats.stats.items() if func == name and file.endswith(path))
        calls = sum(v[1] for (file, _, func), v in stats.stats.items() if func == name and file.endswith(path))
        if calls:
            rows.append([name, str(calls), f"{cumulative:.2f}", f"{100 * cumulative / total:.0f}%"])
    print(f"\nprofile of one propose (cProfile, {total:.2f} s in total; nested steps overlap, e.g. cluster holds _search_resolution):")
    print(table(["step", "calls", "cumulative s", "share"], rows))
    for key in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(key).print_stats(top)
        text = out.getvalue()
        print(f"\ntop {top} by {key}:")
        print(text[text.find("   ncalls"):].rstrip())


# -- the command -----------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each (default 3; the median is reported)")
    parser.add_argument("--domains", type=int, default=Shape.domains)
    parser.add_argument("--modules", type=int, default=Shape.modules, help="modules per domain")
    parser.add_argument("--seed", type=int, default=42, help="the seed of propose and Louvain")
    parser.add_argument("--profile", action="store_true", help="also profile one propose (printed anyway when over the target)")
    parser.add_argument("--output", type=Path, default=DATA / "scale" / "graph.json", help="where graph.json is written")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    shape = Shape(domains=args.domains, modules=args.modules)
    started = time.perf_counter()
    built, truth = build_monolith(shape)
    build_seconds = time.perf_counter() - started
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(dumps_json(built), encoding="utf-8")
    started = time.perf_counter()
    graph = loads_json(args.output.read_text(encoding="utf-8"), source=str(args.output))
    load_seconds = time.perf_counter() - started
    units = index_units(graph, "module").units
    print(f"synthetic monolith: {len(units):,} modules ({shape.domains} domains x {shape.modules}, {shape.hubs} hubs), "
          f"{len(graph):,} nodes, {sum(graph.count_edges_by_kind().values()):,} edges "
          f"({', '.join(f'{k} {v:,}' for k, v in graph.count_edges_by_kind().items())})")
    print(f"built in {build_seconds:.2f} s, graph.json {args.output.stat().st_size / 1e6:.1f} MB read back in {load_seconds:.2f} s: {args.output}")

    settings = ProposeSettings(services=shape.domains, seed=args.seed)
    propose_times, decomposition = timed(lambda: propose(graph, settings), args.runs)
    # with the planted count Louvain often hits it at resolution 1; another count forces the search
    searched = ProposeSettings(services=max(2, int(shape.domains * 0.7)), seed=args.seed)
    search_times, searched_decomposition = timed(lambda: propose(graph, searched), args.runs)
    view_times, _ = timed(lambda: build_weighted_graph(graph, index_units(graph, "module"), DEFAULT_WEIGHTS), args.runs)
    lifted = module_graph(graph)
    once_times, _ = timed(lambda: nx.community.louvain_communities(lifted, weight="weight", resolution=1.0, seed=args.seed), args.runs)
    bisect_times, communities = timed(lambda: louvain_bisected(lifted, shape.domains, args.seed), args.runs)

    base = statistics.median(once_times)
    rows = [
        ["propose (services = domains)", *_spread(propose_times), f"{statistics.median(propose_times) / base:.1f}x"],
        [f"propose (services = {searched.services}: resolution searched)", *_spread(search_times), f"{statistics.median(search_times) / base:.1f}x"],
        ["  weighted view alone (part of each propose)", *_spread(view_times), f"{statistics.median(view_times) / base:.1f}x"],
        ["networkx Louvain, resolution 1", *_spread(once_times), "1.0x"],
        ["networkx Louvain, resolution bisected", *_spread(bisect_times), f"{statistics.median(bisect_times) / base:.1f}x"],
    ]
    print(f"\nseconds, {args.runs} runs each, in this process (Louvain on the module graph: all structural edges lifted, weighted)")
    print(table(["what", "median", "min", "max", "vs Louvain once"], rows))
    partition = whole_partition(decomposition)
    common = {u: partition[u] for u in truth if u in partition}
    louvain = {u: str(i) for i, c in enumerate(communities) for u in c}
    print(f"\nsanity: propose found {len(decomposition.services)} services, shared {len(decomposition.shared.units) if decomposition.shared else 0}, "
          f"infrastructure {len(decomposition.infrastructure)}; MoJoFM vs the planted domains {mojofm(common, {u: truth[u] for u in common}):.1f} "
          f"(Louvain bisected: {len(communities)} communities, {mojofm(louvain, {u: truth[u] for u in louvain if u in truth}):.1f})")
    print(f"with services = {searched.services}: {len(searched_decomposition.services)} services")
    median = max(statistics.median(propose_times), statistics.median(search_times))
    verdict = "met" if median < TARGET_SECONDS else "NOT met"
    print(f"target: propose < {TARGET_SECONDS:.0f} s on {len(units):,} modules: slower median {median:.2f} s, {verdict}; "
          f"{median / base:.1f}x one Louvain call, {median / statistics.median(bisect_times):.1f}x a bisected Louvain")
    if args.profile or median >= TARGET_SECONDS:
        profile_propose(graph, searched)
    return 0


def _spread(times: list[float]) -> list[str]:
    return [f"{statistics.median(times):.2f}", f"{min(times):.2f}", f"{max(times):.2f}"]


if __name__ == "__main__":
    sys.exit(main())
