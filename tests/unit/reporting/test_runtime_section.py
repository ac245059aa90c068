"""The report's static-against-run-time section: there with a merged trace, left out without."""

from __future__ import annotations

from migrator.model.facts import Edge, EdgeKind, Node, NodeKind
from migrator.model.graph import DependencyGraph
from migrator.reporting.html import render_report


def _graph(traced: bool) -> DependencyGraph:
    graph = DependencyGraph("/src")
    for node_id in ("shop.a.f", "shop.b.g", "shop.c.h"):
        graph.add_node(Node(node_id, NodeKind.FUNCTION))
    graph.add_edge(Edge("shop.a.f", "shop.b.g", EdgeKind.CALLS, 1, ("shop/a.py:3",), {"runtime_calls": 5} if traced else {}))
    graph.add_edge(Edge("shop.a.f", "shop.c.h", EdgeKind.CALLS, 1, ("shop/a.py:4",), {"runtime_calls": 0} if traced else {}))
    if traced:
        graph.add_edge(Edge("shop.b.g", "shop.c.h", EdgeKind.CALLS, 1, ("trace",), {"dynamic": True, "runtime_calls": 7}))
    return graph


def _render(graph: DependencyGraph) -> str:
    return render_report(graph=graph, decomposition=None, plan=None, evaluation=None, baseline=None, summary=None)


def test_the_section_compares_static_and_run_time() -> None:
    html = _render(_graph(traced=True))
    assert 'id="runtime"' in html and 'href="#runtime"' in html
    assert "1 of 2\n  static call edges ran (50%); 1 call edges ran that static analysis did not find" in html
    assert "<td><code>shop.b.g</code></td><td><code>shop.c.h</code></td><td>7</td>" in html


def test_no_trace_no_section() -> None:
    assert 'id="runtime"' not in _render(_graph(traced=False))
