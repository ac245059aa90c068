"""Calls and references resolved to qualified names across modules."""

from pathlib import Path

import pytest

from analyzers.base import AnalysisOptions
from analyzers.symbols import SymbolsAnalyzer
from migrator.engine.run import analyze_tree
from migrator.model.facts import EdgeKind, NodeKind

SHOP = {
    "shop/__init__.py": "",
    "shop/catalog/__init__.py": """
        from .services import get_prices as prices
        from .services import *
    """,
    "shop/catalog/services.py": """
        __all__ = ["get_prices", "PriceBook"]

        def cached(fn):
            return fn

        class Base:
            def helper(self):
                return 1

            @classmethod
            def build(cls):
                return cls()

        class PriceBook(Base):
            def lookup(self, sku):
                return self.helper()

        @cached
        def get_prices(skus):
            book = PriceBook()
            return [book.lookup(s) for s in skus]
    """,
    "shop/orders/__init__.py": "",
    "shop/orders/models.py": """
        class Order:
            def total(self):
                return 0
    """,
    "shop/orders/services.py": """
        import shop.catalog.services as svc
        import shop.catalog
        from shop.catalog import prices as p2
        from . import models
        from .models import Order as O
        from ..catalog import PriceBook

        def place(order: O):
            x = svc.get_prices(["a"])
            p2(["b"])
            order.total()
            models.Order()
            shop.catalog.services.get_prices([])
            PriceBook.build()
            return x

        def notify(order: "O | None" = None) -> None:
            handler = place
            handler(order)
    """,
}


@pytest.fixture
def graph(tree):
    root = tree(SHOP)
    return analyze_tree(root, analyzers=[SymbolsAnalyzer()], options=AnalysisOptions(use_cache=False)).graph


def _calls(graph, source: str) -> set[str]:
    return set(graph.find_successors(source, EdgeKind.CALLS))


def test_classes_functions_and_methods_become_nodes(graph) -> None:
    assert graph.node("shop.catalog.services.PriceBook").kind is NodeKind.CLASS
    method = graph.node("shop.catalog.services.PriceBook.lookup")
    assert (method.kind, method.file, method.line, method.attrs["method"]) == (NodeKind.FUNCTION, "shop/catalog/services.py", 15, True)
    assert graph.node("shop.catalog.services.get_prices").attrs["decorators"] == ["cached"]


def test_calls_through_every_kind_of_import_resolve_to_the_definition(graph) -> None:
    assert _calls(graph, "shop.orders.services.place") == {
        "shop.catalog.services.get_prices",  # import a.b as c; from x import y as z (re-exported by __init__); attribute chain
        "shop.orders.models.Order.total",  # parameter annotated with an aliased class
        "shop.orders.models.Order",  # class instantiation through a module attribute
        "shop.catalog.services.Base.build",  # inherited classmethod, class re-exported by star import
    }


def test_self_and_cls_find_methods_through_the_bases(graph) -> None:
    assert _calls(graph, "shop.catalog.services.PriceBook.lookup") == {"shop.catalog.services.Base.helper"}
    assert _calls(graph, "shop.catalog.services.Base.build") == {"shop.catalog.services.Base"}


def test_local_instances_are_followed(graph) -> None:
    assert _calls(graph, "shop.catalog.services.get_prices") == {
        "shop.catalog.services.PriceBook",
        "shop.catalog.services.PriceBook.lookup",
    }


def test_decorators_are_references(graph) -> None:
    edge = graph.edge("shop.catalog.services.get_prices", "shop.catalog.services.cached", EdgeKind.REFERENCES)
    assert edge is not None and edge.attrs["decorator"] is True


def test_functions_passed_around_are_references(graph) -> None:
    assert graph.edge("shop.orders.services.notify", "shop.orders.services.place", EdgeKind.REFERENCES) is not None
    # a string annotation names the class too
    assert graph.edge("shop.orders.services.notify", "shop.orders.models.Order", EdgeKind.REFERENCES) is not None


def test_inheritance_edges(graph) -> None:
    assert graph.find_successors("shop.catalog.services.PriceBook", EdgeKind.INHERITS) == ["shop.catalog.services.Base"]


def test_call_whose_result_is_ignored_is_marked(graph) -> None:
    used = graph.edge("shop.orders.services.place", "shop.catalog.services.get_prices", EdgeKind.CALLS)
    ignored = graph.edge("shop.orders.services.place", "shop.orders.models.Order.total", EdgeKind.CALLS)
    assert used is not None and used.attrs["result_unused"] is False  # x = svc.get_prices(...)
    assert ignored is not None and ignored.attrs["result_unused"] is True
    assert used.weight == 3 and used.evidence == ("shop/orders/services.py:9", "shop/orders/services.py:10", "shop/orders/services.py:13")


def test_an_awaited_call_uses_its_result(tree) -> None:
    root = tree({
        "shop/__init__.py": "",
        "shop/repo.py": """
            async def create(item):
                return item

            async def log(item):
                return None
        """,
        "shop/api.py": """
            from shop import repo

            async def add(item):
                await repo.create(item)
                repo.log(item)
        """,
    })
    graph = analyze_tree(root, analyzers=[SymbolsAnalyzer()], options=AnalysisOptions(use_cache=False)).graph
    awaited, dropped = (graph.edge("shop.api.add", f"shop.repo.{name}", EdgeKind.CALLS) for name in ("create", "log"))
    assert awaited is not None and awaited.attrs["result_unused"] is False  # the caller waits for it: not fire-and-forget
    assert dropped is not None and dropped.attrs["result_unused"] is True


def test_edges_point_only_at_nodes_of_the_project(graph) -> None:
    for edge in graph.edges():
        assert edge.target in graph and edge.source in graph


def test_real_code_of_an_installed_library(tmp_path: Path) -> None:
    import click

    root = Path(click.__file__).parent
    analysis = analyze_tree(root, analyzers=[SymbolsAnalyzer()], options=AnalysisOptions(use_cache=False, workers=1))
    graph = analysis.graph
    assert analysis.skipped == []
    assert graph.find_successors("click.core.Group", EdgeKind.INHERITS) == ["click.core.Command"]
    # click.core.Context.invoke calls the command's callback through self.* and module functions
    assert "click.core.Command.main" in graph
    assert "click.core.Context" in set(graph.find_successors("click.core.Command.make_context", EdgeKind.CALLS))
