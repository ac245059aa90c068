"""The domain a class or function of a god module carries (boundaries/symbols.py)."""

from __future__ import annotations

from migrator.boundaries.symbols import SymbolReader
from migrator.model.facts import Edge, EdgeKind, Node, NodeKind
from migrator.model.graph import DependencyGraph


def models_graph(models: tuple[str, ...], keys: tuple[tuple[str, str], ...]) -> DependencyGraph:
    """One ``shop.models`` module defining ``models``, with foreign keys ``(from, to)``."""
    graph = DependencyGraph("/shop")
    graph.add_node(Node("shop", NodeKind.PACKAGE, "shop/__init__.py", 1))
    graph.add_node(Node("shop.models", NodeKind.MODULE, "shop/models.py", 1))
    for line, name in enumerate(models, start=2):
        graph.add_node(Node(f"shop.models.{name}", NodeKind.MODEL, "shop/models.py", line, (), {"table": name.lower()}))
    for source, target in keys:
        graph.add_edge(Edge(f"shop.models.{source}", f"shop.models.{target}", EdgeKind.FOREIGN_KEY))
    return graph


def test_a_lookup_table_only_one_domains_models_point_to_is_that_domains() -> None:
    graph = models_graph(("User", "Role", "Post"), (("User", "Role"), ("Post", "User")))
    found = SymbolReader(graph, {"user", "post"}).domain("shop.models.Role")
    assert found is not None and found.direct
    assert (found.key, found.evidence) == ("user", "only models of user point to it by foreign key (User): a table of that aggregate")


def test_a_model_pointed_to_by_two_domains_or_by_a_model_of_no_domain_says_nothing() -> None:
    graph = models_graph(("User", "Post", "Tag"), (("User", "Tag"), ("Post", "Tag")))
    assert SymbolReader(graph, {"user", "post"}).domain("shop.models.Tag") is None
    # App's own token names no domain (app is none): App may be the root of an aggregate of its own
    graph = models_graph(("App", "AppToken", "Webhook"), (("AppToken", "App"), ("Webhook", "App")))
    assert SymbolReader(graph, {"webhook"}).domain("shop.models.App") is None
