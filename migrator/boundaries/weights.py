"""The weighted unit views: how much each kind of dependency ties two units together.

Clustering weights were chosen by measurement (``benchmarks/propose_django.py``): on four Django
projects whose apps are their authors' own boundaries (pretix, shuup, weblate, misago), imports
with a quarter weight of calls gave the best MoJoFM against the apps, and every other kind added
to them lowered it (reads, events and references agree least with the apps). So the clustering
sees imports and calls; the data kinds drive the ownership refinement instead (``DATA_WEIGHTS``),
and explanations show every kind (``EXPLAIN_WEIGHTS``). Override the clustering weights in
``[tool.migrator.weights]`` or with ``--weight kind=value``.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping

from migrator.errors import MigratorError
from migrator.boundaries.runtime import tie_use_cases
from migrator.model.facts import Edge, EdgeKind, NodeKind
from migrator.model.graph import DependencyGraph
from migrator.model.units import UnitIndex
from migrator.model.weighted import WeightedGraph

DEFAULT_WEIGHTS: dict[str, float] = {
    "calls": 0.25,
    "references": 0.0,
    "imports": 1.0,
    "inherits": 0.0,
    "reads": 0.0,
    "writes": 0.0,
    "foreign_key": 0.0,
    "shared_data": 0.0,
    "events": 0.0,
    "co_changes": 0.0,
    "use_cases": 1.0,
}
"""Weight per kind of tie for clustering. ``shared_data`` ties units that write the same model;
``events`` ties a publisher to each subscriber of its events (and tasks to their callers);
``co_changes`` needs git history (none in a downloaded package, so it was not measured);
``use_cases`` ties units that run in the same tests, from a merged trace (``boundaries.runtime``;
nothing without one)."""

DATA_WEIGHTS: dict[str, float] = {"writes": 2.0, "shared_data": 1.0, "foreign_key": 1.5}
"""Ties the ownership refinement follows: code is pulled to the service owning what it writes."""

EXPLAIN_WEIGHTS: dict[str, float] = {
    "calls": 1.0, "references": 0.5, "imports": 0.5, "inherits": 1.0, "reads": 1.0, "writes": 2.0,
    "foreign_key": 1.5, "shared_data": 1.0, "events": 0.5, "co_changes": 0.3, "use_cases": 1.0,
}
"""Every kind, for the reasons shown to people: why a unit sits where it does."""

TYPE_CHECKING_FACTOR = 0.2
"""An import only made for type checkers is a weak tie."""


def parse_weight_overrides(items: list[str] | tuple[str, ...]) -> dict[str, float]:
    """``["calls=2", "imports=0.1"]`` from the command line -> ``{"calls": 2.0, ...}``."""
    result: dict[str, float] = {}
    for item in items:
        kind, sep, value = item.partition("=")
        try:
            number = float(value)
        except ValueError:
            number = -1.0
        if not sep or number < 0:
            raise MigratorError(f"--weight {item!r} is not KIND=NUMBER", hint=f"for example --weight calls=2; kinds: {', '.join(DEFAULT_WEIGHTS)}")
        result[kind.strip()] = number
    return check_weights(result, source="--weight")


def check_weights(weights: Mapping[str, object], *, source: str) -> dict[str, float]:
    unknown = sorted(set(weights) - set(DEFAULT_WEIGHTS))
    if unknown:
        close = difflib.get_close_matches(unknown[0], DEFAULT_WEIGHTS, n=1)
        guess = f" (did you mean {close[0]}?)" if close else ""
        raise MigratorError(f"{source}: unknown weight kind {', '.join(unknown)}{guess}", hint=f"kinds: {', '.join(DEFAULT_WEIGHTS)}")
    result = {}
    for kind, value in weights.items():
        if not isinstance(value, (int, float)) or value < 0:
            raise MigratorError(f"{source}: weight of {kind} must be a number >= 0, got {value!r}")
        result[kind] = float(value)
    return result


def build_weighted_graph(graph: DependencyGraph, index: UnitIndex, weights: Mapping[str, float]) -> WeightedGraph:
    """Sum every dependency between two units into one undirected tie, booked by kind."""
    view = WeightedGraph()
    for unit in index.units:
        view.add_unit(unit)
    unit_of = index.unit_of
    for edge in graph.edges():
        kind = edge.kind.value
        if edge.kind in (EdgeKind.PUBLISHES, EdgeKind.SUBSCRIBES, EdgeKind.HANDLES):
            continue  # events are tied publisher-to-subscriber below; handles stay inside a unit
        a, b = unit_of.get(edge.source), unit_of.get(edge.target)
        if a is None or b is None or a == b:
            continue
        view.add_tie(a, b, weights.get(kind, 0.0) * _strength(edge), kind)
    _tie_shared_data(graph, view, unit_of, weights.get("shared_data", 0.0))
    _tie_events(graph, view, unit_of, weights.get("events", 0.0))
    tie_use_cases(graph, view, unit_of, weights.get("use_cases", 0.0))
    return view


def _strength(edge: Edge) -> float:
    """Diminishing returns: the tenth call adds less than the first."""
    base = math.log2(1.0 + edge.weight)
    if edge.kind is EdgeKind.IMPORTS and edge.attrs.get("type_checking"):
        base *= TYPE_CHECKING_FACTOR
    if edge.kind is EdgeKind.CO_CHANGES:
        base *= float(edge.attrs.get("support", 1.0))
    return base


def _tie_shared_data(graph: DependencyGraph, view: WeightedGraph, unit_of: Mapping[str, str], weight: float) -> None:
    if weight <= 0:
        return
    for model in graph.nodes(NodeKind.MODEL, NodeKind.TABLE):
        writers = sorted({unit_of[s] for s in graph.find_predecessors(model.id, EdgeKind.WRITES) if s in unit_of})
        for i, a in enumerate(writers):
            for b in writers[i + 1 :]:
                view.add_tie(a, b, weight / max(1, len(writers) - 1), "shared_data")


def _tie_events(graph: DependencyGraph, view: WeightedGraph, unit_of: Mapping[str, str], weight: float) -> None:
    if weight <= 0:
        return
    for node in graph.nodes(NodeKind.EVENT, NodeKind.TASK):
        publishers = {unit_of[s] for s in graph.find_predecessors(node.id, EdgeKind.PUBLISHES) if s in unit_of}
        receivers = {unit_of[t] for t in graph.find_successors(node.id, EdgeKind.SUBSCRIBES, EdgeKind.HANDLES) if t in unit_of}
        for a in sorted(publishers):
            for b in sorted(receivers):
                view.add_tie(a, b, weight, "events")
