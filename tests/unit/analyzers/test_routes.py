"""HTTP routes found in Django, DRF, Flask and FastAPI trees, with their full paths and handlers."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest

from analyzers.base import AnalysisOptions, ParsedModule, SourceFile
from analyzers.routes import RoutesAnalyzer
from analyzers.symbols import SymbolsAnalyzer
from migrator.engine.run import Analysis, analyze_tree
from migrator.model.facts import EdgeKind, NodeKind
from tests.conftest import ASSETS

ROUTES = ASSETS / "routes"
SAMPLE = Path(__file__).parents[3] / "sample_monolith"


def _analyze(root: Path) -> Analysis:
    # the symbols analyzer makes the function and class nodes that HANDLES edges point to
    return analyze_tree(root, analyzers=[SymbolsAnalyzer(), RoutesAnalyzer()], options=AnalysisOptions(use_cache=False, workers=1))


def _routes(analysis: Analysis) -> dict[str, str]:
    """route id -> handler, with " (unmounted)" for a route no root reaches."""
    return {
        n.id: n.attrs["handler"] + ("" if n.attrs["mounted"] else " (unmounted)")
        for n in analysis.graph.nodes(NodeKind.ROUTE)
    }


def _handles(analysis: Analysis, route: str) -> set[str]:
    return {e.target for e in analysis.graph.edges(EdgeKind.HANDLES) if e.source == route}


@pytest.fixture(scope="module")
def django() -> Analysis:
    return _analyze(ROUTES / "django_project")


@pytest.fixture(scope="module")
def flask() -> Analysis:
    return _analyze(ROUTES / "flask_app")


@pytest.fixture(scope="module")
def fastapi() -> Analysis:
    return _analyze(ROUTES / "fastapi_app")


# -- Django -------------------------------------------------------------------------------------


def test_django_nested_includes_class_views_and_drf_router_give_full_paths(django: Analysis) -> None:
    assert _routes(django) == {
        "route:ANY /": "shop.views.home",
        "route:ANY /legacy/(?P<slug>[-\\w]+)/": "shop.views.legacy",
        # include(order_patterns) inside include("shop.urls"): prefixes concatenate
        "route:GET /shop/orders/": "shop.views.OrderListView",
        "route:POST /shop/orders/": "shop.views.OrderListView",
        "route:GET /shop/orders/<int:pk>/": "shop.views.OrderDetailView",
        "route:DELETE /shop/orders/<int:pk>/": "shop.views.OrderDetailView",
        "route:POST /shop/orders/<int:pk>/pay/": "shop.views.pay",
        "route:GET /shop/products/<slug:slug>/": "shop.views.product_detail",
        "route:POST /shop/products/<slug:slug>/": "shop.views.product_detail",
        "route:GET /shop/about/": "shop.views.AboutView",
        "route:ANY /shop/cart/": "shop.views.PlainView",
        # DefaultRouter included under api/ + v1/: viewset methods of ours, else the viewset
        "route:GET /api/v1/orders/": "api.views.OrderViewSet.list",
        "route:POST /api/v1/orders/": "api.views.OrderViewSet",
        "route:GET /api/v1/orders/<pk>/": "api.views.OrderViewSet",
        "route:PUT /api/v1/orders/<pk>/": "api.views.OrderViewSet",
        "route:PATCH /api/v1/orders/<pk>/": "api.views.OrderViewSet",
        "route:DELETE /api/v1/orders/<pk>/": "api.views.OrderViewSet",
        "route:POST /api/v1/orders/<pk>/cancel/": "api.views.OrderViewSet.cancel",
        "route:GET /api/v1/orders/recent_orders/": "api.views.OrderViewSet.recent_orders",
        "route:GET /api/v1/products/": "api.views.ProductViewSet",
        "route:GET /api/v1/products/<sku>/": "api.views.ProductViewSet",
        "route:GET /api/ping/": "api.views.ping",
        # ViewSet.as_view({"get": "list", "post": "create"})
        "route:GET /api/orders-alt/": "api.views.OrderViewSet.list",
        "route:POST /api/orders-alt/": "api.views.OrderViewSet",
        # a URLconf and a router that ROOT_URLCONF never reaches keep their local paths
        "route:ANY /old/": "shop.views.home (unmounted)",
        "route:GET /tags": "api.views.TagViewSet (unmounted)",
        "route:GET /tags/<pk>": "api.views.TagViewSet (unmounted)",
    }


def test_class_based_view_route_also_reaches_the_method_that_serves_it(django: Analysis) -> None:
    assert _handles(django, "route:GET /shop/orders/") == {"shop.views.OrderListView", "shop.views.BaseOrderView.get"}
    assert _handles(django, "route:POST /shop/orders/") == {"shop.views.OrderListView", "shop.views.OrderListView.post"}
    assert _handles(django, "route:GET /api/v1/orders/") == {"api.views.OrderViewSet.list"}


def test_route_node_records_method_path_name_and_the_place_of_registration(django: Analysis) -> None:
    pay = django.graph.node("route:POST /shop/orders/<int:pk>/pay/")
    assert (pay.file, pay.line) == ("shop/urls.py", 10)
    assert pay.attrs == {
        "method": "POST", "path": "/shop/orders/<int:pk>/pay/", "handler": "shop.views.pay",
        "framework": "django", "name": "order-pay", "mounted": True,
    }
    cancel = django.graph.node("route:POST /api/v1/orders/<pk>/cancel/")
    assert (cancel.file, cancel.line, cancel.attrs["name"]) == ("api/urls.py", 7, "order-cancel")
    edge = django.graph.edge("route:POST /api/v1/orders/<pk>/cancel/", "api.views.OrderViewSet.cancel", EdgeKind.HANDLES)
    assert edge is not None and edge.evidence == ("api/urls.py:7",)


def test_handler_reached_by_a_route_gets_the_route_as_context(django: Analysis) -> None:
    assert "route:POST /shop/orders/<int:pk>/pay/" in django.graph.node("shop.views.pay").contexts


# -- Flask --------------------------------------------------------------------------------------


def test_flask_blueprint_prefixes_method_views_and_url_rules(flask: Analysis) -> None:
    assert _routes(flask) == {
        "route:GET /shop/": "app.shop.views.home",
        "route:GET /shop/items/<int:item_id>": "app.shop.views.item",
        # register_blueprint(url_prefix="/backoffice") replaces the blueprint's own "/admin"
        "route:GET /backoffice/users": "app.admin.users",
        "route:POST /backoffice/users": "app.admin.users",
        "route:GET /backoffice/stats": "app.admin.stats",
        "route:GET /api/items": "app.api.ItemAPI",
        "route:POST /api/items": "app.api.ItemAPI",
        # methods=["GET"] given to add_url_rule wins over the view's own get and delete
        "route:GET /api/items/<int:id>": "app.api.ItemDetail",
        # a blueprint registered on a blueprint: both prefixes
        "route:GET /api/v2/ping": "app.api.ping",
        # a view nested in the app factory is handled by the factory, the nearest function we know
        "route:GET /": "app.create_app",
        "route:GET /health": "app.health",
        "route:GET /orphan/x": "app.orphan.x (unmounted)",
        # a class given straight to add_url_rule (Indico's way), with its methods
        "route:GET /shop/legacy/<int:item_id>": "app.shop.views.LegacyHandler",
        "route:POST /shop/legacy/<int:item_id>": "app.shop.views.LegacyHandler",
        # Indico's "!/" rule skips the blueprint prefix; a lambda is served by its module
        "route:GET /s/<int:item_id>": "app.shop.views",
    }
    assert _handles(flask, "route:POST /api/items") == {"app.api.ItemAPI", "app.api.ItemAPI.post"}
    assert flask.graph.node("route:GET /shop/items/<int:item_id>").attrs["name"] == "item"


def test_django_app_configs_serve_their_get_urls_under_the_label_the_urlconf_includes() -> None:
    analysis = _analyze(ROUTES / "django_app_configs")
    assert _routes(analysis) == {
        # include(apps.get_app_config("shop").urls[0]) -> Shop.get_urls -> self.catalogue_app.urls
        "route:ANY /catalogue/": "shop.catalogue.views.index",
        # self.detail_view = views.ProductDetailView on the class: a generic view's GET
        "route:GET /catalogue/<int:pk>/": "shop.catalogue.views.ProductDetailView",
        # the config's label is the last part of its name; views loaded by get_class("customer.views", ...)
        "route:GET /accounts/login/": "shop.customer.views.LoginView",
        "route:POST /accounts/login/": "shop.customer.views.LoginView",
        "route:GET /accounts/profile/": "shop.customer.views.ProfileView",
    }
    assert _handles(analysis, "route:POST /accounts/login/") == {"shop.customer.views.LoginView", "shop.customer.views.LoginView.post"}
    assert analysis.graph.node("route:GET /accounts/login/").attrs["name"] == "login"


def test_views_registered_through_a_helper_function_give_a_route_per_path_of_each_call() -> None:
    analysis = _analyze(ROUTES / "flask_helper")
    routes = _routes(analysis)
    # register_view(forum, routes=[...], view_func=...): a rule per path, under the blueprint's mount
    assert routes["route:GET /forum/"] == routes["route:GET /forum/index"] == "forum.views.index"
    assert routes["route:GET /forum/topic/<int:topic_id>-<slug>"] == "forum.views.topic"
    # methods=(...) given to the helper reach the rule through its parameter; its default elsewhere
    assert routes["route:POST /forum/topic/<int:topic_id>/edit"] == "forum.views.topic"
    assert "route:POST /forum/topic/<int:topic_id>" not in routes
    assert len(routes) == 14 + 2  # every path of every call (14), and POST on the two that ask for it
    assert not any("{?}" in route for route in routes)  # the rule inside the helper is no route
    assert analysis.graph.node("route:GET /forum/user/<username>").file == "forum/views.py"


def test_flask_restful_and_restx_resources_namespaces_and_config_prefixes() -> None:
    analysis = _analyze(ROUTES / "flask_restful_app")
    assert _routes(analysis) == {
        # Api(blueprint, prefix="/v1"): the blueprint's prefix, the Api's, the resource's paths
        "route:GET /api/v1/orders": "shop.api.orders.OrderList",
        "route:POST /api/v1/orders": "shop.api.orders.OrderList",
        "route:GET /api/v1/orders/": "shop.api.orders.OrderList",
        "route:POST /api/v1/orders/": "shop.api.orders.OrderList",
        "route:GET /api/v1/orders/<int:order_id>": "shop.api.orders.Order",
        "route:DELETE /api/v1/orders/<int:order_id>": "shop.api.orders.Order",
        # Api(prefix=...) mounted by catalogue_api.init_app(app)
        "route:GET /catalogue/products": "shop.api.catalogue.Products",
        # RESTX: @ns.route on a Resource; add_namespace(path=...) replaces the namespace's own /carts
        "route:GET /baskets/<int:cart_id>": "shop.api.restx.Cart",
        "route:PUT /baskets/<int:cart_id>": "shop.api.restx.Cart",
        "route:GET /inventory/": "shop.api.restx.StockLevels",
        # url_prefix=app.config["ACCOUNT_URL_PREFIX"], read from the config class; a View's methods
        "route:GET /account/profile": "shop.views.Profile",
        "route:POST /account/profile": "shop.views.Profile",
    }
    assert _handles(analysis, "route:DELETE /api/v1/orders/<int:order_id>") == {"shop.api.orders.Order", "shop.api.orders.Order.delete"}
    assert _handles(analysis, "route:POST /account/profile") == {"shop.views.Profile", "shop.views.Profile.dispatch_request"}
    assert analysis.graph.node("route:GET /api/v1/orders/<int:order_id>").attrs["name"] == "order"
    assert analysis.skipped == [] and analysis.notes == []


# -- FastAPI ------------------------------------------------------------------------------------


def test_fastapi_routers_across_modules_concatenate_include_and_router_prefixes(fastapi: Analysis) -> None:
    assert _routes(fastapi) == {
        # include_router(prefix=API_PREFIX), a constant imported from shop.settings
        "route:GET /api/v1/orders": "shop.orders.routes.list_orders",
        "route:POST /api/v1/orders/{order_id}/cancel": "shop.orders.routes.cancel",
        "route:GET /api/v1/orders/{order_id}": "shop.orders.routes.order",
        "route:PUT /api/v1/orders/{order_id}": "shop.orders.routes.order",
        # a router included in a router: app prefix + orders prefix + include prefix + items prefix
        "route:DELETE /api/v1/orders/{order_id}/items/{item_id}": "shop.orders.items.remove_item",
        "route:GET /api/v1/catalog/products": "shop.catalog.routes.products",
        # for each in ROUTERS: app.include_router(each)
        "route:GET /users/me": "shop.users.me",
        "route:GET /health": "shop.health.health",
        "route:HEAD /health": "shop.health.health",
        "route:GET /": "shop.main.root",
        "route:GET /unused/x": "shop.unused.x (unmounted)",
    }
    node = fastapi.graph.node("route:DELETE /api/v1/orders/{order_id}/items/{item_id}")
    assert (node.file, node.line, node.attrs["framework"]) == ("shop/orders/items.py", 6, "fastapi")


# -- what cannot be told ------------------------------------------------------------------------


def test_non_literal_path_keeps_the_route_with_a_placeholder_and_says_where() -> None:
    analysis = _analyze(ROUTES / "nonliteral")
    assert _routes(analysis) == {
        "route:ANY /v2/reports/": "site.views.reports",  # f-string of a module constant
        "route:ANY /sections/<int:pk>/": "site.views.section",  # an imported constant + literal
        "route:ANY /{?}/": "site.views.other",
        "route:ANY /{?}/z/": "site.views.other",
    }
    assert [(s.relpath, s.line) for s in analysis.skipped] == [("site/urls.py", 16), ("site/urls.py", 17)]
    assert "dynamic()" in analysis.skipped[0].reason and "views.PREFIX" in analysis.skipped[1].reason
    assert any("ROOT_URLCONF" in note for note in analysis.notes)


def test_include_cycles_end() -> None:
    analysis = _analyze(ROUTES / "cycles")
    assert _routes(analysis) == {
        "route:ANY /home/": "loop.views.home",
        "route:ANY /a/leaf/": "loop.views.leaf",
        # two routers that include each other and nothing else: reachable from no app
        "route:GET /b/a/x": "loop.routers.ax (unmounted)",
    }


# -- the scan -----------------------------------------------------------------------------------


def _parsed(source: str, module: str = "pkg.mod") -> ParsedModule:
    import ast

    file = SourceFile(Path("/x.py"), "x.py", module, False, ".")
    return ParsedModule(file, source, ast.parse(source))


def test_scan_of_a_file_without_routes_keeps_only_its_string_constants() -> None:
    analyzer = RoutesAnalyzer()
    assert analyzer.scan(_parsed("def f(x):\n    return x.get(1)\n")) is None
    facts = analyzer.scan(_parsed('BASE = "/api"\nV1 = BASE + "/v1"\nN = 3\n'))
    assert facts is not None and facts.constants == {"BASE": "/api", "V1": "/api/v1"}


def test_scan_facts_pickle() -> None:
    source = (ROUTES / "django_project" / "shop" / "urls.py").read_text()
    facts = RoutesAnalyzer().scan(_parsed(source, "shop.urls"))
    assert pickle.loads(pickle.dumps(facts)) == facts
    assert set(facts.patterns) == {"order_patterns", "urlpatterns"}


# -- the sample monolith ------------------------------------------------------------------------


def test_sample_monolith_routes_match_its_readme_inventory() -> None:
    readme = SAMPLE / "README.md"
    listed = set(re.findall(r"^\s+- ([A-Z]+ /\S*)$", readme.read_text(), re.MULTILINE))
    assert listed, "sample_monolith/README.md lists no route"
    found = {f"{n.attrs['method']} {n.attrs['path']}" for n in _analyze(SAMPLE).graph.nodes(NodeKind.ROUTE)}
    assert found == listed
