"""Use-case co-occurrence: units that run in the same tests are tied, a test that runs everything
less than one that runs two units; nothing without a trace."""

from __future__ import annotations

from migrator.boundaries.runtime import tie_use_cases
from migrator.model.facts import Node, NodeKind
from migrator.model.graph import DependencyGraph
from migrator.model.weighted import WeightedGraph


def _view(contexts: dict[str, tuple[str, ...]]) -> WeightedGraph:
    graph = DependencyGraph()
    for node_id, found in contexts.items():
        graph.add_node(Node(node_id, NodeKind.FUNCTION, contexts=found))
    view = WeightedGraph()
    tie_use_cases(graph, view, {n: n.rsplit(".", 1)[0] for n in contexts}, 1.0)
    return view


def test_units_of_the_same_tests_are_tied_most() -> None:
    view = _view({"a.f": ("test:1", "test:2"), "b.f": ("test:1", "test:2"), "c.f": ("test:3", "test:2"), "d.f": ("route:GET /",)})
    assert view.tie_kinds("a", "b")["use_cases"] > view.tie_kinds("a", "c")["use_cases"] > 0
    assert "use_cases" not in view.tie_kinds("a", "d")


def test_no_trace_no_tie() -> None:
    assert not _view({"a.f": ("route:GET /",), "b.f": ("route:GET /",)}).tie_kinds("a", "b")
