"""Domain units: layered pieces go with the domain they name, services are named after domains."""

from __future__ import annotations

import random

from migrator.boundaries.domains import domain_key, find_domains
from migrator.boundaries.propose import ProposeSettings, propose
from migrator.model.decomposition import dumps_decomposition
from migrator.model.facts import Edge, EdgeKind, Node, NodeKind
from migrator.model.graph import DependencyGraph

LAYERS = ("api", "models", "crud", "schemas")
DOMAINS = ("users", "orders", "items")


def test_layer_suffixes_and_plurals_give_one_key() -> None:
    assert domain_key("payment_api") == domain_key("payments") == "payment"
    assert domain_key("addresses") == "address" and domain_key("categories") == "category"


def test_graphql_piece_goes_with_the_package_of_its_name() -> None:
    units = ["shop.account", "shop.account.models", "shop.graphql", "shop.graphql.account", "shop.graphql.account.mutations",
             "shop.graphql.core", "shop.apps", "shop.apps.blog", "shop.apps.blog.models"]
    domains = find_domains(units, "shop")
    assert domains["shop.graphql.account.mutations"].key == domains["shop.account.models"].key == "account"
    assert domains["shop.graphql.core"].key == "graphql"
    assert domains["shop.apps.blog.models"].key == "blog" and "shop.apps" not in domains


def layered_graph(order: list[str] | None = None) -> DependencyGraph:
    """A FastAPI app cut by layer: app/<layer>/<domain>.py, a route per domain, a model per
    domain written by its crud, and app/utils used by every crud module."""
    nodes = [Node("app", NodeKind.PACKAGE, "app/__init__.py", 1), Node("app.utils", NodeKind.MODULE, "app/utils.py", 1)]
    edges = []
    for layer in LAYERS:
        nodes.append(Node(f"app.{layer}", NodeKind.PACKAGE, f"app/{layer}/__init__.py", 1))
        for domain in DOMAINS:
            nodes.append(Node(f"app.{layer}.{domain}", NodeKind.MODULE, f"app/{layer}/{domain}.py", 1))
    for domain in DOMAINS:
        model = f"app.models.{domain}.{domain.title()}"
        nodes.append(Node(model, NodeKind.MODEL, f"app/models/{domain}.py", 2, (), {"table": domain}))
        nodes.append(Node(f"route:GET /{domain}", NodeKind.ROUTE, f"app/api/{domain}.py", 3, (), {"path": f"/{domain}"}))
        edges.append(Edge(f"route:GET /{domain}", f"app.api.{domain}", EdgeKind.HANDLES))
        edges.append(Edge(f"app.crud.{domain}", model, EdgeKind.WRITES, 2))
        edges.append(Edge(f"app.crud.{domain}", "app.utils", EdgeKind.IMPORTS))
        for a, b in (("api", "crud"), ("api", "schemas"), ("crud", "models"), ("crud", "schemas")):
            edges.append(Edge(f"app.{a}.{domain}", f"app.{b}.{domain}", EdgeKind.IMPORTS, 2))
    edges.append(Edge("app.api.orders", "app.crud.items", EdgeKind.IMPORTS))
    if order:
        random.Random(order[0]).shuffle(nodes)
        random.Random(order[0]).shuffle(edges)
    graph = DependencyGraph("/app")
    for node in nodes:
        graph.add_node(node)
    for edge in edges:
        graph.add_edge(edge)
    return graph


def test_layered_code_becomes_one_service_per_domain_named_after_it() -> None:
    decomposition = propose(layered_graph(), ProposeSettings())
    assert {s.name: set(s.units) for s in decomposition.services} == {
        domain: {f"app.{layer}.{domain}" for layer in LAYERS} for domain in DOMAINS
    }
    reasons = decomposition.service("orders").reasons["app.models.orders"]
    assert reasons[0] == "domain: layered code: models/orders carries the domain name order"


def test_a_helper_used_by_every_domain_is_shared_not_a_service() -> None:
    decomposition = propose(layered_graph(), ProposeSettings())
    assert decomposition.shared is not None and "app.utils" in decomposition.shared.units


def test_the_count_asked_for_merges_the_most_tied_domains() -> None:
    decomposition = propose(layered_graph(), ProposeSettings(services=2))
    groups = sorted(sorted(s.units) for s in decomposition.services)
    assert len(groups) == 2 and any({"app.api.orders", "app.crud.items"} <= set(g) for g in groups)


def test_the_result_does_not_depend_on_the_order_the_graph_was_built_in() -> None:
    texts = {dumps_decomposition(propose(layered_graph([seed]), ProposeSettings(services=4))) for seed in ("a", "b", "c")}
    assert len(texts) == 1
