"""Scoring a decomposition against its graph (and a truth): the data behind ``evaluate``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from migrator.boundaries.metrics import Dependency, Scores, a2a, adjusted_rand_index, evaluate_partition, mojofm
from migrator.model.units import index_units
from migrator.model.decomposition import Decomposition
from migrator.model.facts import EdgeKind
from migrator.model.graph import DependencyGraph

INFRASTRUCTURE = "infrastructure"
SCORED_KINDS = (
    EdgeKind.CALLS, EdgeKind.REFERENCES, EdgeKind.IMPORTS, EdgeKind.INHERITS,
    EdgeKind.READS, EdgeKind.WRITES, EdgeKind.FOREIGN_KEY,
)
"""Dependencies the structural scores see; co-change and events are not code dependencies."""


@dataclass(frozen=True)
class Evaluation:
    scores: Scores
    units: int
    in_services: int
    shared: int
    infrastructure: int
    excluded: int
    unknown_units: tuple[str, ...] = ()
    """Units the decomposition names that the graph does not have (renamed or deleted code)."""
    truth_units: int | None = None
    """Units scored against the truth (those both sides know)."""
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "services": self.scores.services,
            "units": self.units,
            "in_services": self.in_services,
            "shared": self.shared,
            "infrastructure": self.infrastructure,
            "excluded": self.excluded,
            "assigned_share": round(self.scores.assigned_share, 4),
            "unknown_units": list(self.unknown_units),
            "truth_units": self.truth_units,
            "scores": self.scores.to_dict(),
        }


def unit_dependencies(graph: DependencyGraph, unit_of: Mapping[str, str]) -> list[Dependency]:
    """Graph edges lifted to units, summed per (source, target, kind)."""
    totals: dict[tuple[str, str, str], float] = defaultdict(float)
    for edge in graph.edges(*SCORED_KINDS):
        a, b = unit_of.get(edge.source), unit_of.get(edge.target)
        if a is not None and b is not None and a != b:
            totals[(a, b, edge.kind.value)] += edge.weight
    return [Dependency(a, b, weight, kind) for (a, b, kind), weight in sorted(totals.items())]


def evaluate(graph: DependencyGraph, decomposition: Decomposition, truth: Mapping[str, str] | None = None) -> Evaluation:
    """Every score of the decomposition's services; against ``truth`` with shared and
    infrastructure as groups of their own."""
    index = index_units(graph, decomposition.unit)
    known = set(index.units) - set(decomposition.excluded)
    services = {u: s for u, s in decomposition.assignment(include_shared=False).items() if u in known}
    unknown = tuple(sorted(u for u in decomposition.assignment() if u not in index.units))
    edges = unit_dependencies(graph, index.unit_of)
    contexts: dict[str, set[str]] = defaultdict(set)
    for node in graph.nodes():
        unit = index.unit_of.get(node.id)
        if unit is not None and node.contexts:
            contexts[unit].update(node.contexts)
    writes: dict[str, set[str]] = defaultdict(set)
    for edge in graph.edges(EdgeKind.WRITES):
        unit = index.unit_of.get(edge.source)
        if unit is not None:
            writes[edge.target.removeprefix("table:")].add(unit)
    scores = evaluate_partition(
        services,
        [e for e in edges if e.source in services and e.target in services],
        contexts={u: frozenset(c) for u, c in contexts.items() if u in services},
        writes=writes,
        units=known,
    )
    truth_units = None
    if truth is not None:
        # against a truth, the shared library and infrastructure are groups like any other
        whole = {u: s for u, s in decomposition.assignment().items() if u in known}
        whole.update({u: INFRASTRUCTURE for u in decomposition.infrastructure if u in known})
        common = {u: whole[u] for u in whole if u in truth}
        reference = {u: truth[u] for u in common}
        truth_units = len(common)
        scores = replace(scores, mojofm=mojofm(common, reference), a2a=a2a(common, reference), ari=adjusted_rand_index(common, reference))
    shared = decomposition.shared.units if decomposition.shared else ()
    return Evaluation(
        scores=scores,
        units=len(known),
        in_services=len(services),
        shared=sum(1 for u in shared if u in known),
        infrastructure=sum(1 for u in decomposition.infrastructure if u in known),
        excluded=len(decomposition.excluded),
        unknown_units=unknown,
        truth_units=truth_units,
    )
