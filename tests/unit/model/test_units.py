"""Which unit each node belongs to: modules, classes, and code that no module holds."""

from __future__ import annotations

import pytest

from migrator.model.facts import Edge, EdgeKind, Node, NodeKind
from migrator.model.graph import DependencyGraph
from migrator.model.units import index_units


def _graph(*nodes: str) -> DependencyGraph:
    """_graph("class shop.Order", ...): each node as its kind and id."""
    graph = DependencyGraph("/src")
    for node in nodes:
        kind, node_id = node.split(" ", 1)
        graph.add_node(Node(node_id, NodeKind(kind)))
    return graph


def test_code_goes_with_its_module_or_its_class() -> None:
    graph = _graph(
        "module shop.orders", "class shop.orders.Order", "function shop.orders.Order.total",
        "function shop.orders.place", "route route:POST /orders",
    )
    graph.add_edge(Edge("route:POST /orders", "shop.orders.place", EdgeKind.HANDLES))
    by_module = index_units(graph, "module")
    assert by_module.units == ("shop.orders",) and set(by_module.unit_of.values()) == {"shop.orders"}
    by_class = index_units(graph, "class")
    assert by_class.units == ("shop.orders", "shop.orders.Order")
    assert by_class.unit_of["shop.orders.Order.total"] == "shop.orders.Order"
    assert by_class.unit_of["route:POST /orders"] == "shop.orders"


@pytest.mark.parametrize("unit", ["module", "class"])
def test_a_graph_without_module_nodes_has_its_classes_and_functions_as_units(unit) -> None:
    # what a converter from another tool writes: classes (with methods) and functions only
    graph = _graph("class TradeAction", "function TradeAction.buy", "class Log", "function main", "event event:order.placed")
    index = index_units(graph, unit)
    assert index.units == ("Log", "TradeAction", "main")
    assert index.unit_of["TradeAction.buy"] == "TradeAction"


def test_the_index_is_worked_out_once_per_graph_yet_each_caller_gets_a_map_of_its_own() -> None:
    graph = _graph("module shop.orders", "function shop.orders.place")
    first = index_units(graph)
    first.unit_of["shop.orders.place"] = "elsewhere"
    assert index_units(graph).unit_of["shop.orders.place"] == "shop.orders"
    graph.add_node(Node("shop.catalog", NodeKind.MODULE))
    assert index_units(graph).units == ("shop.catalog", "shop.orders")  # a changed graph is indexed again
