"""An undirected, weighted view of the graph at the level of units (modules or classes).

Clustering works on this view: each tie between two units sums the weighted dependencies of
both directions, and remembers how much each edge kind contributed, to explain placements.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

import networkx as nx


class WeightedGraph:
    """Units and the weighted ties between them."""

    def __init__(self) -> None:
        self._g = nx.Graph()

    def add_unit(self, unit: str) -> None:
        if unit not in self._g:
            self._g.add_node(unit)

    def add_tie(self, a: str, b: str, weight: float, kind: str) -> None:
        """Strengthen the tie between ``a`` and ``b`` by ``weight``, booked under ``kind``."""
        if a == b or weight <= 0:
            return
        self.add_unit(a)
        self.add_unit(b)
        if self._g.has_edge(a, b):
            data = self._g.edges[a, b]
            data["weight"] += weight
            data["kinds"][kind] = data["kinds"].get(kind, 0.0) + weight
        else:
            self._g.add_edge(a, b, weight=weight, kinds={kind: weight})

    def __contains__(self, unit: object) -> bool:
        return unit in self._g

    def __len__(self) -> int:
        return self._g.number_of_nodes()

    @property
    def units(self) -> list[str]:
        return sorted(self._g.nodes)

    def total_weight(self) -> float:
        return float(self._g.size(weight="weight"))

    def ties(self, unit: str) -> dict[str, float]:
        """Neighbour -> weight of the tie."""
        return {other: data["weight"] for other, data in self._g[unit].items()}

    def tie_kinds(self, a: str, b: str) -> dict[str, float]:
        """How much each edge kind contributes to the tie between ``a`` and ``b``."""
        return dict(self._g.edges[a, b]["kinds"]) if self._g.has_edge(a, b) else {}

    def strength(self, unit: str) -> float:
        return float(self._g.degree(unit, weight="weight"))

    def ties_to_groups(self, unit: str, labels: Mapping[str, str]) -> dict[str, float]:
        """Weight of ``unit``'s ties to each group of ``labels`` (its own group included)."""
        totals: dict[str, float] = defaultdict(float)
        for other, weight in self.ties(unit).items():
            if other in labels:
                totals[labels[other]] += weight
        return dict(totals)

    def restricted(self, units: Iterable[str]) -> WeightedGraph:
        """A copy holding only ``units`` and the ties among them (faster to cluster repeatedly)."""
        copy = WeightedGraph()
        copy._g = self._g.subgraph(units).copy()
        return copy

    def find_communities(self, *, resolution: float, seed: int, units: Iterable[str] | None = None) -> list[set[str]]:
        """Louvain communities (deterministic for a seed), sorted by their smallest unit."""
        graph = self._g if units is None else self._g.subgraph(units)
        communities = nx.community.louvain_communities(graph, weight="weight", resolution=resolution, seed=seed)
        return sorted((set(c) for c in communities), key=lambda c: min(c))

    def group_ties(self, labels: Mapping[str, str]) -> dict[tuple[str, str], float]:
        """Total weight between each pair of groups (keys sorted, a < b)."""
        totals: dict[tuple[str, str], float] = defaultdict(float)
        for a, b, weight in self._g.edges(data="weight"):
            la, lb = labels.get(a), labels.get(b)
            if la is not None and lb is not None and la != lb:
                totals[(min(la, lb), max(la, lb))] += weight
        return dict(totals)
