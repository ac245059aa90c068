import gc

import pytest

from migrator.model.facts import Edge, EdgeKind, Node, NodeKind
from migrator.model.graph import DependencyGraph, uncollected


def _graph() -> DependencyGraph:
    graph = DependencyGraph("/src")
    for node_id, kind in [
        ("shop", NodeKind.PACKAGE),
        ("shop.orders", NodeKind.MODULE),
        ("shop.orders.place", NodeKind.FUNCTION),
        ("shop.orders.Order", NodeKind.CLASS),
        ("shop.catalog", NodeKind.MODULE),
        ("shop.catalog.prices", NodeKind.FUNCTION),
        ("route:POST /orders", NodeKind.ROUTE),
    ]:
        graph.add_node(Node(node_id, kind))
    graph.add_edge(Edge("route:POST /orders", "shop.orders.place", EdgeKind.HANDLES))
    graph.add_edge(Edge("shop.orders.place", "shop.catalog.prices", EdgeKind.CALLS, 1, ("a.py:3",), {"result_unused": True}))
    graph.add_edge(Edge("shop.orders", "shop.catalog", EdgeKind.IMPORTS))
    return graph


def test_repeated_edge_is_merged_weights_add_and_evidence_unites() -> None:
    graph = _graph()
    graph.add_edge(Edge("shop.orders.place", "shop.catalog.prices", EdgeKind.CALLS, 2, ("a.py:9", "a.py:3"), {"result_unused": False}))
    edge = graph.edge("shop.orders.place", "shop.catalog.prices", EdgeKind.CALLS)
    assert edge is not None
    assert edge.weight == 3
    assert edge.evidence == ("a.py:3", "a.py:9")
    # one call site uses the result, so the call as a whole is not fire-and-forget
    assert edge.attrs["result_unused"] is False


def test_evidence_is_capped_but_weight_counts_everything() -> None:
    graph = _graph()
    for line in range(1, 30):
        graph.add_edge(Edge("shop.orders", "shop.catalog", EdgeKind.IMPORTS, 1, (f"x.py:{line}",)))
    edge = graph.edge("shop.orders", "shop.catalog", EdgeKind.IMPORTS)
    assert edge is not None and edge.weight == 30 and len(edge.evidence) == 10
    assert edge.evidence[0] == "x.py:1" and edge.evidence[1] == "x.py:2"  # numeric, not lexical, order


def test_edges_to_unknown_nodes_and_self_loops_are_dropped() -> None:
    graph = _graph()
    graph.add_edge(Edge("shop.orders", "nowhere", EdgeKind.IMPORTS))
    graph.add_edge(Edge("shop.orders", "shop.orders", EdgeKind.IMPORTS))
    assert graph.count_edges_by_kind() == {"calls": 1, "handles": 1, "imports": 1}


def test_same_pair_with_two_kinds_gives_two_edges() -> None:
    graph = _graph()
    graph.add_edge(Edge("shop.orders", "shop.catalog", EdgeKind.CO_CHANGES, 4))
    assert {e.kind for e in graph.edges() if e.source == "shop.orders"} == {EdgeKind.IMPORTS, EdgeKind.CO_CHANGES}
    assert graph.find_successors("shop.orders") == ["shop.catalog"]
    assert graph.find_successors("shop.orders", EdgeKind.CALLS) == []


def test_reachable_follows_only_the_given_kinds() -> None:
    graph = _graph()
    assert graph.find_reachable("route:POST /orders", EdgeKind.HANDLES, EdgeKind.CALLS) == {"shop.orders.place", "shop.catalog.prices"}
    assert graph.find_reachable("route:POST /orders", EdgeKind.HANDLES) == {"shop.orders.place"}


def test_module_of_finds_the_enclosing_module() -> None:
    graph = _graph()
    assert graph.module_of("shop.orders.Order") == "shop.orders"
    assert graph.module_of("shop.orders") == "shop.orders"
    assert graph.module_of("route:POST /orders") is None


def test_node_seen_twice_keeps_the_more_specific_kind_and_merges_facts() -> None:
    graph = _graph()
    graph.add_node(Node("shop.orders.Order", NodeKind.MODEL, "shop/orders.py", 7, ("route:POST /orders",), {"table": "orders"}))
    node = graph.node("shop.orders.Order")
    assert (node.kind, node.file, node.line, node.contexts, node.attrs) == (
        NodeKind.MODEL, "shop/orders.py", 7, ("route:POST /orders",), {"table": "orders"},
    )


def test_counts_are_sorted_by_kind() -> None:
    assert _graph().count_nodes_by_kind() == {"class": 1, "function": 2, "module": 2, "package": 1, "route": 1}


def test_the_lists_of_nodes_and_edges_follow_every_change_and_are_the_callers_own() -> None:
    graph = _graph()
    calls = graph.edges(EdgeKind.CALLS)
    calls.clear()  # the caller's list: the graph's answer is not changed by it
    assert [e.target for e in graph.edges(EdgeKind.CALLS)] == ["shop.catalog.prices"]
    assert graph.edges(EdgeKind.CALLS, EdgeKind.IMPORTS) == graph.edges(EdgeKind.IMPORTS, EdgeKind.CALLS)
    graph.add_node(Node("shop.catalog.discount", NodeKind.FUNCTION))
    graph.add_edge(Edge("shop.orders.place", "shop.catalog.discount", EdgeKind.CALLS))
    assert [e.target for e in graph.edges(EdgeKind.CALLS)] == ["shop.catalog.discount", "shop.catalog.prices"]
    assert "shop.catalog.discount" in [n.id for n in graph.nodes(NodeKind.FUNCTION)]
    graph.set_contexts("shop.orders.place", ["checkout"])
    assert graph.nodes(NodeKind.FUNCTION)[-1].contexts == ("checkout",)


def test_uncollected_turns_the_collector_off_within_and_back_as_it_was() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), uncollected():
        assert not gc.isenabled()
        raise RuntimeError("the collector comes back all the same")
    assert gc.isenabled()
    gc.disable()
    try:
        with uncollected():
            assert not gc.isenabled()
        assert not gc.isenabled()  # off before: stays off
    finally:
        gc.enable()
