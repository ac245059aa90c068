"""Ties that only a trace gives (``migrator trace``, merged by ``analyze --trace``): use-case
co-occurrence, Mono2Micro's signal. Two units that run in the same tests belong to the same
business use cases; how much they share is the Jaccard index of their sets of tests. Observed
data access needs no tie of its own: the trace's ``reads``/``writes`` edges to tables join the
static ones the ownership refinement follows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from migrator.model.graph import DependencyGraph
from migrator.model.weighted import WeightedGraph

USE_CASE_PREFIX = "test:"
"""The contexts a merged trace gives the nodes that ran in a test."""


def use_cases_of(graph: DependencyGraph, unit_of: Mapping[str, str]) -> dict[str, set[str]]:
    """Unit -> the tests that ran code of it (empty without a trace)."""
    found: dict[str, set[str]] = defaultdict(set)
    for node in graph.nodes():
        unit = unit_of.get(node.id)
        if unit is not None:
            found[unit].update(c for c in node.contexts if c.startswith(USE_CASE_PREFIX))
    return {unit: cases for unit, cases in found.items() if cases}


def tie_use_cases(graph: DependencyGraph, view: WeightedGraph, unit_of: Mapping[str, str], weight: float) -> None:
    """Tie every two units that run in a common test, by ``weight`` times the Jaccard index of their tests."""
    if weight <= 0:
        return
    cases = use_cases_of(graph, unit_of)
    units_in: dict[str, list[str]] = defaultdict(list)
    for unit in sorted(cases):
        for case in cases[unit]:
            units_in[case].append(unit)
    strength: dict[tuple[str, str], float] = defaultdict(float)
    for units in units_in.values():
        share = 1.0 / (len(units) - 1) if len(units) > 1 else 0.0  # a test that runs everything says little of any two
        for i, a in enumerate(units):
            for b in units[i + 1:]:
                strength[a, b] += share
    for (a, b), amount in sorted(strength.items()):
        view.add_tie(a, b, weight * amount / len(cases[a] | cases[b]), "use_cases")
