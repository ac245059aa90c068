"""The baseline a proposal is measured against: plain Louvain on the import graph alone,
unweighted, with the same number of services (what a team gets from the obvious tool)."""

from __future__ import annotations

from collections import defaultdict

from migrator.boundaries.clustering import cluster, place_untied
from migrator.model.decomposition import Decomposition, Service
from migrator.model.facts import EdgeKind, NodeKind
from migrator.model.graph import DependencyGraph
from migrator.model.weighted import WeightedGraph


def import_louvain(graph: DependencyGraph, services: int, *, seed: int = 42) -> Decomposition:
    modules = [n.id for n in graph.nodes(NodeKind.MODULE, NodeKind.PACKAGE)]
    view = WeightedGraph()
    for module in modules:
        view.add_unit(module)
    for edge in graph.edges(EdgeKind.IMPORTS):
        if edge.source in view and edge.target in view:
            view.add_tie(edge.source, edge.target, 1.0, "imports")
    labels = cluster(view, modules, target=services, resolution=1.0, seed=seed)
    place_untied(modules, labels)
    members: dict[str, list[str]] = defaultdict(list)
    for module in modules:
        members[labels.get(module, "unplaced")].append(module)
    parts = tuple(Service(f"baseline-{i + 1}", tuple(sorted(units))) for i, (_, units) in enumerate(sorted(members.items(), key=lambda kv: min(kv[1]))))
    return Decomposition(services=parts, settings={"baseline": "louvain on imports, unweighted", "services": services, "seed": seed})
