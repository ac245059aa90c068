"""propose on small hand-built graphs: clusters, roles, constraints, determinism, explanations."""

from __future__ import annotations

import pytest

from migrator.boundaries.constraints import Constraints, UnsatisfiableConstraints, loads_constraints
from migrator.boundaries.propose import ProposeSettings, propose
from migrator.model.decomposition import dumps_decomposition, loads_decomposition
from migrator.model.facts import Edge, EdgeKind, Node, NodeKind
from migrator.model.graph import DependencyGraph

DOMAINS = ("billing", "catalog", "orders", "shipping")
LAYERS = ("models", "routes", "services", "schemas")


def shop_graph() -> DependencyGraph:
    """Four domains of four modules, tied densely inside and lightly across, a util module
    every domain uses, settings and an app factory wiring all domains."""
    graph = DependencyGraph("/shop")
    graph.add_node(Node("shop", NodeKind.PACKAGE, "shop/__init__.py", 1))
    for name in ("shop.util", "shop.settings", "shop.app"):
        graph.add_node(Node(name, NodeKind.MODULE, name.replace(".", "/") + ".py", 1))
    for domain in DOMAINS:
        graph.add_node(Node(f"shop.{domain}", NodeKind.PACKAGE, f"shop/{domain}/__init__.py", 1))
        for layer in LAYERS:
            graph.add_node(Node(f"shop.{domain}.{layer}", NodeKind.MODULE, f"shop/{domain}/{layer}.py", 1))
        graph.add_node(Node(f"shop.{domain}.models.Thing", NodeKind.MODEL, f"shop/{domain}/models.py", 3, (), {"table": domain}))
        graph.add_node(Node(f"shop.{domain}.services.work", NodeKind.FUNCTION, f"shop/{domain}/services.py", 3))
        graph.add_node(Node(f"route:GET /{domain}", NodeKind.ROUTE, f"shop/{domain}/routes.py", 5, (), {"handler": f"shop.{domain}.routes"}))
        graph.add_edge(Edge(f"route:GET /{domain}", f"shop.{domain}.routes", EdgeKind.HANDLES))
        graph.add_edge(Edge(f"shop.{domain}.services.work", f"shop.{domain}.models.Thing", EdgeKind.WRITES, 3))
        for a in LAYERS:
            for b in LAYERS:
                if a < b:
                    graph.add_edge(Edge(f"shop.{domain}.{a}", f"shop.{domain}.{b}", EdgeKind.IMPORTS, 3))
                    graph.add_edge(Edge(f"shop.{domain}.{b}", f"shop.{domain}.{a}", EdgeKind.CALLS, 4))
        graph.add_edge(Edge(f"shop.{domain}.services", "shop.util", EdgeKind.CALLS, 2))
        graph.add_edge(Edge("shop.app", f"shop.{domain}.routes", EdgeKind.IMPORTS))
    graph.add_edge(Edge("shop.orders.services", "shop.catalog.services", EdgeKind.CALLS, 1))
    graph.add_edge(Edge("shop.shipping.services", "shop.orders.models", EdgeKind.IMPORTS, 1))
    return graph


def _groups(decomposition) -> dict[str, set[str]]:
    return {s.name: set(s.units) for s in decomposition.services}


def test_each_domain_becomes_a_service_named_after_it() -> None:
    decomposition = propose(shop_graph(), ProposeSettings(services=4))
    assert _groups(decomposition) == {d: {f"shop.{d}", *(f"shop.{d}.{layer}" for layer in LAYERS)} for d in DOMAINS}


def test_infrastructure_and_shared_library_are_set_apart() -> None:
    decomposition = propose(shop_graph(), ProposeSettings(services=4))
    assert decomposition.infrastructure == ("shop", "shop.app", "shop.settings")
    assert decomposition.shared is not None and decomposition.shared.units == ("shop.util",)
    assert decomposition.shared.reasons["shop.util"][0].startswith("shared library: used by 4 of")


def test_without_shared_library_util_joins_a_service() -> None:
    decomposition = propose(shop_graph(), ProposeSettings(services=4, shared=False))
    assert decomposition.shared is None
    assert "shop.util" in {u for s in decomposition.services for u in s.units}


def test_same_seed_gives_the_same_bytes() -> None:
    first = dumps_decomposition(propose(shop_graph(), ProposeSettings(services=4, seed=3)))
    second = dumps_decomposition(propose(shop_graph(), ProposeSettings(services=4, seed=3)))
    assert first == second


def test_target_count_is_met_by_merging_or_splitting() -> None:
    assert len(propose(shop_graph(), ProposeSettings(services=2)).services) == 2
    assert len(propose(shop_graph(), ProposeSettings(services=6)).services) == 6


def test_reasons_compare_own_service_with_the_next_best() -> None:
    decomposition = propose(shop_graph(), ProposeSettings(services=4))
    reasons = decomposition.service("orders").reasons["shop.orders.services"]
    assert reasons[0] == "domain: the authors' package orders"
    assert reasons[1].startswith("ties to orders: ") and " vs catalog: " in reasons[1]
    assert reasons[2].startswith("strongest tie: shop.orders.")


def test_summary_names_models_tables_routes_and_dependencies() -> None:
    decomposition = propose(shop_graph(), ProposeSettings(services=4))
    summary = decomposition.service("orders").summary
    assert summary["models"] == ["shop.orders.models.Thing"]
    assert summary["routes"] == ["GET /orders"]
    assert "catalog" in summary["depends_on"] and "shipping" in summary["used_by"]


def test_pins_together_apart_and_exclude_are_honoured_exactly() -> None:
    constraints = loads_constraints(
        """
        pin:
          shop.catalog.*: products
          shop.util: orders
        together:
          - [shop.shipping.models, shop.billing.models]
        apart:
          - [shop.orders.services, shop.orders.models]
        exclude:
          - shop.settings
        """,
        source="c.yaml",
    )
    decomposition = propose(shop_graph(), ProposeSettings(services=4), constraints)
    where = decomposition.assignment()
    assert all(where[f"shop.catalog.{layer}"] == "products" for layer in LAYERS)
    assert where["shop.util"] == "orders"
    assert where["shop.shipping.models"] == where["shop.billing.models"]
    assert where["shop.orders.services"] != where["shop.orders.models"]
    assert "shop.settings" not in where and decomposition.excluded == ("shop.settings",)
    assert decomposition.service("products").reasons["shop.catalog.models"][0] == "pinned to products by c.yaml"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("pin: {shop.util: a}\ntogether: [[shop.util, shop.app]]\napart: [[shop.util, shop.app]]", "must be apart but are kept together"),
        ("pin: {shop.util: a, shop.app: a}\napart: [[shop.util, shop.app]]", "both pinned to a"),
        ("pin: {shop.util: a, shop.app: b}\ntogether: [[shop.util, shop.app]]", "pinned to a, b"),
        ("pin: {shop.util: a}\nexclude: [shop.util]", "pinned to a but also excluded"),
        ("pin: {shop.nothing: a}", "shop.nothing matches no module"),
    ],
)
def test_unsatisfiable_constraints_are_reported_with_the_conflict(text: str, message: str) -> None:
    with pytest.raises(UnsatisfiableConstraints) as caught:
        propose(shop_graph(), ProposeSettings(services=4), loads_constraints(text, source="c.yaml"))
    assert message in str(caught.value) and str(caught.value).startswith("c.yaml: the constraints cannot all hold")


def test_decomposition_yaml_round_trips_and_edits_are_read_back() -> None:
    decomposition = propose(shop_graph(), ProposeSettings(services=4))
    text = dumps_decomposition(decomposition)
    again = loads_decomposition(text)
    assert again.assignment() == decomposition.assignment()
    edited = text.replace("      shop.orders.services:", "      shop.orders.services_moved:")
    assert "shop.orders.services_moved" in loads_decomposition(edited).assignment()


def test_class_level_units() -> None:
    decomposition = propose(shop_graph(), ProposeSettings(services=4, unit="class"))
    units = {u for s in decomposition.services for u in s.units}
    assert "shop.orders.models.Thing" in units
    assert decomposition.unit == "class"


def test_empty_constraints_object_is_fine() -> None:
    assert propose(shop_graph(), ProposeSettings(services=4), Constraints()).services
