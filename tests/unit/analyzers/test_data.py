"""ORM models, tables, foreign keys, reads and writes, found in small Django and SQLAlchemy trees."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from analyzers.base import AnalysisOptions
from analyzers.data import DataAnalyzer
from analyzers.symbols import SymbolsAnalyzer
from migrator.engine.discovery import DEFAULT_EXCLUDES, MIGRATION_EXCLUDES
from migrator.engine.run import Analysis, analyze_tree
from migrator.model.facts import EdgeKind, NodeKind
from migrator.model.graph import DependencyGraph

ASSETS = Path(__file__).parents[2] / "assets" / "data"
SAMPLE_MONOLITH = Path(__file__).parents[3] / "sample_monolith"


@cache
def _analysis(case: str) -> Analysis:
    # reads and writes start at the functions that the symbols analyzer puts in the graph
    analyzers = [SymbolsAnalyzer(), DataAnalyzer()]
    return analyze_tree(ASSETS / case, analyzers=analyzers, options=AnalysisOptions(use_cache=False, workers=1))


def _graph(case: str) -> DependencyGraph:
    return _analysis(case).graph


def _models(graph: DependencyGraph) -> dict[str, dict]:
    return {node.id: node.attrs for node in graph.nodes(NodeKind.MODEL)}


def _foreign_keys(graph: DependencyGraph) -> dict[tuple[str, str], dict]:
    return {(e.source, e.target): e.attrs for e in graph.edges(EdgeKind.FOREIGN_KEY)}


def _accesses(graph: DependencyGraph, prefix: str = "") -> set[tuple[str, str, str]]:
    return {
        (e.source.removeprefix(prefix), e.kind.value, e.target.removeprefix(prefix))
        for e in graph.edges(EdgeKind.READS, EdgeKind.WRITES)
    }


# -- Django ------------------------------------------------------------------------------------------


def test_django_models_with_their_tables_and_apps() -> None:
    models = _models(_graph("django_shop"))
    assert set(models) == {
        "accounts.models.Profile",
        "accounts.models.User",
        "shop.catalog.models.ActiveProduct",
        "shop.catalog.models.Category",
        "shop.catalog.models.Product",
        "shop.catalog.models.Tag",
        "shop.common.models.TimeStamped",
        "shop.orders.models.GiftOrder",
        "shop.orders.models.Note",
        "shop.orders.models.Order",
        "shop.orders.models.OrderLine",
    }
    # the app label is the package of the models module, or the AppConfig's label
    assert models["shop.catalog.models.Category"] == {
        "table": "catalog_category",
        "framework": "django",
        "app": "catalog",
        "abstract": False,
        "fields": ["created_at", "created_by", "name", "parent"],  # an abstract base's fields come first
    }
    assert (models["shop.orders.models.Order"]["app"], models["shop.orders.models.Order"]["table"]) == ("sales", "sales_order")
    assert models["shop.catalog.models.Tag"]["table"] == "catalog_labels"  # Meta.db_table
    assert models["shop.orders.models.Note"]["fields"] == ["content_type", "object_id", "author"]  # no GenericForeignKey


def test_abstract_proxy_and_multi_table_models() -> None:
    graph = _graph("django_shop")
    models = _models(graph)
    assert models["shop.common.models.TimeStamped"] == {
        "table": None, "framework": "django", "app": "common", "abstract": True, "fields": ["created_at", "created_by"],
    }
    assert "table:common_timestamped" not in graph
    # a proxy shares the table and the fields of its concrete model
    proxy = models["shop.catalog.models.ActiveProduct"]
    assert (proxy["table"], proxy["proxy"], proxy["fields"]) == ("catalog_product", True, models["shop.catalog.models.Product"]["fields"])
    assert graph.node("table:catalog_product").attrs == {"models": ["shop.catalog.models.ActiveProduct", "shop.catalog.models.Product"]}
    # a child of a concrete model has a table of its own with its own fields only
    assert models["shop.orders.models.GiftOrder"]["fields"] == ["message"]


def test_models_map_to_their_tables() -> None:
    graph = _graph("django_shop")
    maps = {(e.source, e.target): e for e in graph.edges(EdgeKind.REFERENCES) if e.attrs.get("maps_to")}
    assert len(maps) == 10  # every model but the abstract one
    edge = maps[("shop.orders.models.Order", "table:sales_order")]
    assert (edge.attrs, edge.evidence) == ({"maps_to": True}, ("shop/orders/models.py:13",))
    table = graph.node("table:sales_order")
    assert (table.kind, table.file, table.line) == (NodeKind.TABLE, "shop/orders/models.py", 13)


def test_django_foreign_keys_by_class_string_app_label_and_user_model() -> None:
    keys = _foreign_keys(_graph("django_shop"))
    user = "accounts.models.User"
    assert {(s, t): a["field"] for (s, t), a in keys.items()} == {
        ("accounts.models.Profile", user): "user",  # settings.AUTH_USER_MODEL = "accounts.User"
        ("shop.common.models.TimeStamped", user): "created_by",  # declared by the abstract base...
        ("shop.catalog.models.Category", user): "created_by",  # ...and held by each concrete child
        ("shop.catalog.models.Product", user): "created_by",
        ("shop.orders.models.Order", user): "created_by",
        ("shop.catalog.models.Product", "shop.catalog.models.Category"): "category",  # a class
        ("shop.catalog.models.Product", "shop.catalog.models.Tag"): "tags",  # "Model" of the same app
        ("shop.orders.models.OrderLine", "shop.orders.models.Order"): "order",  # "label.Model" with an AppConfig label
        ("shop.orders.models.OrderLine", "shop.catalog.models.Product"): "product",  # "app.Model"
        ("shop.orders.models.GiftOrder", "shop.orders.models.Order"): "order_ptr",  # multi-table inheritance
    }
    assert keys[("accounts.models.Profile", user)] == {
        "field": "user", "relation": "OneToOneField", "column": "user_id", "references": "accounts_user.id",
    }
    assert keys[("shop.orders.models.OrderLine", "shop.catalog.models.Product")] == {
        "field": "product", "relation": "ForeignKey", "column": "product_sku", "references": "catalog_product.sku",
    }
    assert keys[("shop.catalog.models.Product", "shop.catalog.models.Tag")] == {"field": "tags", "relation": "ManyToManyField"}
    assert keys[("shop.catalog.models.Category", user)]["inherited_from"] == "shop.common.models.TimeStamped"
    assert keys[("shop.orders.models.GiftOrder", "shop.orders.models.Order")]["parent_link"] is True


def test_two_keys_between_the_same_models_make_one_edge() -> None:
    # customer = ForeignKey("accounts.User") and the created_by inherited from TimeStamped
    edge = _graph("django_shop").edge("shop.orders.models.Order", "accounts.models.User", EdgeKind.FOREIGN_KEY)
    assert edge is not None
    assert (edge.weight, edge.evidence) == (2, ("shop/common/models.py:7", "shop/orders/models.py:14"))


def test_unknown_and_outside_targets_are_reported_not_guessed() -> None:
    analysis = _analysis("django_shop")
    # "self" resolves to the model itself: no report, and no edge (the graph keeps no self loops)
    assert [(s.relpath, s.line, s.reason) for s in analysis.skipped] == [
        ("shop/orders/models.py", 34, "foreign key target 'accounts.Ghost' is not a model found in the code"),
    ]
    assert analysis.notes == [
        "1 foreign keys point at models outside the analysed code, left out of the graph: "
        "django.contrib.contenttypes.models.ContentType (1)"
    ]


def test_user_model_of_django_contrib_auth_is_a_note(tmp_path: Path) -> None:
    root = tmp_path / "blog"
    (root / "posts").mkdir(parents=True)
    (root / "posts" / "__init__.py").write_text("")
    (root / "posts" / "models.py").write_text(
        "from django.conf import settings\nfrom django.db import models\n\n"
        "class Post(models.Model):\n    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)\n"
    )
    analysis = analyze_tree(root, analyzers=[DataAnalyzer()], options=AnalysisOptions(use_cache=False))
    assert _foreign_keys(analysis.graph) == {}
    assert analysis.notes == [
        "1 foreign keys point at models outside the analysed code, left out of the graph: "
        "settings.AUTH_USER_MODEL (django.contrib.auth.models.User) (1)"
    ]


def test_django_reads_and_writes() -> None:
    assert _accesses(_graph("django_shop"), "shop.orders.") == {
        ("services.list_open_orders", "reads", "models.Order"),  # Model.objects.filter(...).select_related(...)
        ("services.place_order", "reads", "shop.catalog.models.Product"),  # get_object_or_404(Model, ...)
        ("services.place_order", "writes", "models.Order"),  # order = Order(...); order.save()
        ("services.place_order", "writes", "models.OrderLine"),  # Model.objects.create(...)
        ("services.close_all", "writes", "models.Order"),  # .filter(...).update(...)
        ("services.forget", "writes", "models.OrderLine"),  # a parameter annotated with the model
        ("services.reopen", "reads", "models.Order"),  # through a module alias: models.Order.objects.get
        ("services.reopen", "writes", "models.Order"),
        ("services.find_customer", "reads", "accounts.models.User"),  # get_user_model().objects
        ("services.OrderService.archive", "writes", "models.Order"),
        ("services.sales_report", "reads", "table:sales_order"),  # raw SQL: FROM and JOIN
        ("services.sales_report", "reads", "table:sales_orderline"),
        ("services.purge_lines", "writes", "table:sales_orderline"),  # the constant parts of an f-string
        ("views.OrderDetail", "reads", "models.Order"),  # generic views name their model
        ("views.OrderEdit", "reads", "models.Order"),
        ("views.OrderEdit", "writes", "models.Order"),
    }


def test_accesses_carry_their_places() -> None:
    graph = _graph("django_shop")
    edge = graph.edge("shop.orders.services.reopen", "shop.orders.models.Order", EdgeKind.WRITES)
    assert edge is not None and (edge.weight, edge.evidence) == (1, ("shop/orders/services.py:33",))


# -- SQLAlchemy 2 --------------------------------------------------------------------------------


def test_declarative_base_subclasses_are_models() -> None:
    graph = _graph("sqlalchemy2")
    models = _models(graph)
    assert set(models) == {f"store.models.{name}" for name in ("Audited", "Customer", "Order", "OrderLine", "Product", "Supplier", "Tag")}
    assert models["store.models.Customer"] == {
        "table": "customers",
        "framework": "sqlalchemy",
        "app": None,
        "abstract": False,
        "fields": ["created_at", "id", "email"],  # a mixin's columns; relationships are not fields
    }
    assert models["store.models.Audited"] == {
        "table": None, "framework": "sqlalchemy", "app": None, "abstract": True, "fields": ["updated_by"],
    }
    assert models["store.models.Product"]["fields"] == ["id", "sku"]  # a bare Mapped[str] annotation is a column
    assert {n.id: n.attrs["models"] for n in graph.nodes(NodeKind.TABLE)} == {
        "table:customers": ["store.models.Customer"],
        "table:order_lines": ["store.models.OrderLine"],
        "table:order_tags": [],  # a Table(...) of its own
        "table:orders": ["store.models.Order"],
        "table:products": ["store.models.Product"],
        "table:suppliers": ["store.models.Supplier"],
        "table:tags": ["store.models.Tag"],
    }


def test_sqlalchemy_foreign_keys_between_models_and_between_tables() -> None:
    analysis = _analysis("sqlalchemy2")
    keys = _foreign_keys(analysis.graph)
    assert set(keys) == {
        ("store.models.Audited", "store.models.Customer"),
        ("store.models.Order", "store.models.Customer"),  # inherited updated_by and customer_id
        ("store.models.OrderLine", "store.models.Order"),  # ForeignKey(Order.id)
        ("store.models.OrderLine", "store.models.Product"),
        ("store.models.Order", "store.models.Tag"),  # relationship through a secondary table
        ("store.models.Product", "store.models.Supplier"),  # relationship without a foreign key
        ("table:orders", "table:customers"),
        ("table:order_lines", "table:orders"),
        ("table:order_lines", "table:products"),
        ("table:order_tags", "table:orders"),
        ("table:order_tags", "table:tags"),
    }
    assert keys[("store.models.OrderLine", "store.models.Order")] == {
        "field": "order_id", "relation": "ForeignKey", "column": "order_ref", "references": "orders.id",
    }
    assert keys[("table:order_lines", "table:products")] == {"column": "product_id", "references": "products.id"}
    assert keys[("store.models.Order", "store.models.Tag")] == {"field": "tags", "relation": "relationship", "secondary": "order_tags"}
    assert keys[("store.models.Product", "store.models.Supplier")] == {"field": "supplier", "relation": "relationship"}
    assert analysis.graph.edge("store.models.Order", "store.models.Customer", EdgeKind.FOREIGN_KEY).weight == 2
    assert [(s.relpath, s.line, s.reason) for s in analysis.skipped] == [
        ("store/models.py", 71, "foreign key to 'warehouse.items.id': no table of that name in the code"),
    ]


def test_sqlalchemy_reads_and_writes() -> None:
    assert _accesses(_graph("sqlalchemy2"), "store.") == {
        ("services.get_customer", "reads", "models.Customer"),  # session.get(M, id)
        ("services.list_orders", "reads", "models.Order"),  # select(M) kept in a variable, then session.scalars
        ("services.list_orders", "reads", "models.Customer"),  # .join(M) and .where(M.col == ...)
        ("services.skus", "reads", "models.Product"),  # select(M.col)
        ("services.place_order", "writes", "models.Order"),  # x = M(...); session.add(x)
        ("services.place_order", "writes", "models.OrderLine"),  # x.children.append(M(...))
        ("services.rename", "writes", "models.Customer"),  # an attribute set on what get_customer returns
        ("services.forget", "reads", "models.Order"),
        ("services.forget", "writes", "models.Order"),  # session.delete(x)
        ("services.bulk", "writes", "models.Product"),  # insert(M)
        ("services.bulk", "writes", "models.Customer"),  # update(M)
        ("services.bulk", "writes", "models.OrderLine"),  # delete(M).where(M.col == 0): a write only
        ("services.bulk", "writes", "table:order_tags"),  # table.delete()
        ("services.legacy_query", "reads", "models.Order"),  # session.query(M).filter(...).count()
        ("services.purge_old", "writes", "models.OrderLine"),  # session.query(M).filter(...).delete()
        ("services.raw", "writes", "table:customers"),  # text("UPDATE customers ... (SELECT ... FROM orders)")
        ("services.raw", "reads", "table:orders"),
        ("services.raw", "writes", "table:order_lines"),  # lower-case SQL; unknown tables are left out
        ("services", "reads", "table:orders"),  # module-level SQL, with a CTE and a quoted name
        ("services", "reads", "table:products"),
    }


def test_legacy_declarative_base_table_objects_and_single_table_inheritance() -> None:
    graph = _graph("legacy_sqlalchemy")
    models = _models(graph)
    assert {m: (a["table"], a["fields"]) for m, a in models.items()} == {
        "blog.models.Address": ("addresses", ["id", "user_id", "email"]),
        "blog.models.Admin": ("users", ["level"]),  # no table of its own: its parent's
        "blog.models.Post": ("posts", ["id", "author_id"]),  # __table__ = Table(...)
        "blog.models.User": ("users", ["id", "name"]),
    }
    assert {(s, t): a.get("field") for (s, t), a in _foreign_keys(graph).items()} == {
        ("blog.models.Address", "blog.models.User"): "user_id",
        ("blog.models.Post", "blog.models.User"): "author_id",  # covers relationship(User)
        ("blog.models.Post", "blog.models.Admin"): "reviewer",  # relationship(lambda: Admin)
        ("table:addresses", "table:users"): None,
        ("table:posts", "table:users"): None,
    }
    assert _foreign_keys(graph)[("blog.models.Address", "blog.models.User")]["column"] == "user_id"
    assert _accesses(graph, "blog.") == {
        ("queries.emails_of", "reads", "models.Address"),  # with SessionLocal() as s: s.query(M).join(N)
        ("queries.emails_of", "reads", "models.User"),
        ("queries.add_user", "writes", "models.User"),  # s.add_all([M(...), N()])
        ("queries.add_user", "writes", "models.Post"),
        ("queries.posts_table_rows", "reads", "table:posts"),  # M.__table__.select()
    }


def test_flask_sqlalchemy_models_and_their_default_table_names() -> None:
    graph = _graph("flask_sqlalchemy")
    assert {m: a["table"] for m, a in _models(graph).items()} == {"app.models.Invoice": "invoice", "app.models.OrderLine": "order_line"}
    assert set(_foreign_keys(graph)) == {("app.models.OrderLine", "app.models.Invoice"), ("table:order_line", "table:invoice")}
    assert _accesses(graph, "app.") == {
        ("views.show", "reads", "models.Invoice"),  # db.get_or_404(M, id)
        ("views.show", "reads", "models.OrderLine"),  # M.query.filter_by(...)
        ("views.create", "writes", "models.Invoice"),  # db.session.add(x)
        ("views.create", "reads", "models.OrderLine"),  # db.select(M)
    }


# -- models through aliases, tables outside the models ---------------------------------------------


def _tables(graph: DependencyGraph) -> dict[str, str]:
    """Every table node and where it is defined (file:line)."""
    return {node.id: f"{node.file}:{node.line}" for node in graph.nodes(NodeKind.TABLE)}


def test_model_bases_through_aliases_across_modules() -> None:
    graph = _graph("aliased_bases")
    assert {m: a["table"] for m, a in _models(graph).items()} == {
        "flaskapp.models.Customer": "customers",  # BaseModel = Model (base.py), Model = db.Model (db.py)
        "flaskapp.models.OrderLine": "order_line",  # Flask-SQLAlchemy's name through the same chain
        "legacy.models.Invoice": "invoices",  # Model = Base, Base = declarative_base()
        "modern.models.Shipment": "shipments",  # base.Entity, Entity = Base, Base(DeclarativeBase)
        "notes.models.Note": "notes_note",  # BaseModel = models.Model
        "sqlmodel_app.models.Item": "item",  # table=True on a subclass of Schema = SQLModel
        "sqlmodel_app.models.User": "user",
    }
    assert ("flaskapp.views.show", "reads", "flaskapp.models.Customer") in _accesses(graph)


def test_sqlmodel_tables_their_columns_and_foreign_keys() -> None:
    graph = _graph("aliased_bases")
    models = _models(graph)
    # a base's annotated attributes are columns; a relationship or a ClassVar is not
    assert models["sqlmodel_app.models.Item"]["fields"] == ["title", "description", "id", "owner_id"]
    assert models["sqlmodel_app.models.User"]["fields"] == ["id", "name"]
    assert "sqlmodel_app.models.ItemPublic" not in models  # no table=True: a schema, not a model
    keys = _foreign_keys(graph)
    assert keys[("sqlmodel_app.models.Item", "sqlmodel_app.models.User")] == {
        "field": "owner_id", "relation": "ForeignKey", "column": "owner_id", "references": "user.id",
    }


def test_flask_sqlalchemy_table_without_metadata() -> None:
    graph = _graph("aliased_bases")
    assert _tables(graph)["table:order_line_tags"] == "flaskapp/models.py:15"  # db.Table("order_line_tags", db.Column(...))
    assert ("table:order_line_tags", "table:order_line") in _foreign_keys(graph)


def test_tables_of_alembic_migrations_replayed_in_revision_order() -> None:
    analysis = _analysis("alembic_app")
    graph = analysis.graph
    assert _tables(graph) == {
        "table:customers": "migrations/versions/c_initial.py:10",  # in upgrade()
        "table:orders": "migrations/versions/c_initial.py:16",  # in a function upgrade() calls
        "table:payments": "migrations/versions/b_items.py:24",  # sa.Table("payments", sa.MetaData(), ...)
        "table:audit": "migrations/versions/b_items.py:18",  # op.execute("CREATE TABLE audit ...")
        "table:order_lines": "migrations/versions/a_rename_lines.py:9",  # order_items, renamed
    }  # legacy_things is dropped by a later revision; downgrade() creates and drops nothing
    keys = _foreign_keys(graph)
    assert keys[("table:orders", "table:customers")] == {"column": "customer_id", "references": "customers.id"}
    edge = graph.edge("table:order_lines", "table:orders", EdgeKind.FOREIGN_KEY)  # a ForeignKeyConstraint
    assert edge is not None and edge.evidence == ("migrations/versions/b_items.py:14",)
    assert _accesses(graph) == {
        ("shop.reports.unpaid", "reads", "table:orders"),
        ("shop.reports.unpaid", "reads", "table:order_lines"),
        ("shop.reports.archive", "writes", "table:audit"),
    }
    # the migrations are read for the schema, not analysed as code
    assert [n.id for n in graph.nodes() if (n.file or "").startswith("migrations/") and n.kind is not NodeKind.TABLE] == []
    assert (analysis.skipped, analysis.notes) == ([], [])


def test_migrations_analysed_as_code_give_the_same_tables() -> None:
    excludes = tuple(g for g in DEFAULT_EXCLUDES if g not in MIGRATION_EXCLUDES)
    analysis = analyze_tree(ASSETS / "alembic_app", analyzers=[SymbolsAnalyzer(), DataAnalyzer()], excludes=excludes,
                            options=AnalysisOptions(use_cache=False, workers=1))
    assert _tables(analysis.graph) == _tables(_graph("alembic_app"))
    assert "c_initial.create_orders" in analysis.graph  # migrations/versions/ is no package


def test_aiosql_queries_read_and_write_the_tables_of_their_sql_files() -> None:
    graph = _graph("aiosql_app")
    assert _tables(graph) == {"table:users": "blog/db/schema.sql:1", "table:posts": "blog/db/schema.sql:6"}
    assert _accesses(graph, "blog.") == {
        ("repositories.UsersRepository.get", "reads", "table:users"),  # await queries.get_user_by_id(self.connection)
        ("repositories.UsersRepository.add", "writes", "table:users"),  # -- name: create-user<!
        ("repositories.feed", "reads", "table:posts"),  # a subfolder is a namespace: queries.posts.get_feed
        ("repositories.feed", "reads", "table:users"),
        ("repositories.publish", "writes", "table:posts"),
        ("admin.rename", "reads", "table:users"),  # from_path(os.path.join("blog", ...)) from the tree's folder
        ("admin.rename", "reads", "table:posts"),  # through the loader's module: loaded.queries.posts.get_feed
    }
    edge = graph.edge("blog.repositories.UsersRepository.add", "table:users", EdgeKind.WRITES)
    assert edge is not None and edge.evidence == ("blog/repositories.py:13",)  # where the query is called


def test_create_table_in_sql_files() -> None:
    analysis = _analysis("raw_sql")
    graph = analysis.graph
    # not the tables of comments, of CREATE TEMPORARY TABLE, or of a test's .sql file
    assert _tables(graph) == {"table:user": "flaskr/schema.sql:5", "table:post": "flaskr/schema.sql:11"}
    assert _accesses(graph, "flaskr.") == {
        ("blog.index", "reads", "table:post"),  # SQL strings in the code read and write them
        ("blog.index", "reads", "table:user"),
        ("blog.create", "writes", "table:post"),
    }


# -- what is not ORM code -------------------------------------------------------------------------


def test_look_alikes_are_not_models_and_give_no_edges() -> None:
    analysis = _analysis("plain_python")
    graph = analysis.graph
    assert graph.nodes(NodeKind.MODEL, NodeKind.TABLE) == []
    assert graph.edges(EdgeKind.READS, EdgeKind.WRITES, EdgeKind.FOREIGN_KEY) == []
    assert (analysis.skipped, analysis.notes) == ([], [])


def test_cached_scan_gives_the_same_graph(tmp_path: Path) -> None:
    options = AnalysisOptions(cache_dir=tmp_path / "cache", workers=1)
    first = analyze_tree(ASSETS / "sqlalchemy2", analyzers=[DataAnalyzer()], options=options)
    second = analyze_tree(ASSETS / "sqlalchemy2", analyzers=[DataAnalyzer()], options=options)
    assert second.reused == second.files
    assert [(n.id, n.attrs) for n in second.graph.nodes()] == [(n.id, n.attrs) for n in first.graph.nodes()]
    assert [(e.key, e.attrs) for e in second.graph.edges()] == [(e.key, e.attrs) for e in first.graph.edges()]


# -- the sample monolith --------------------------------------------------------------------------


def test_sample_monolith_models_tables_and_accesses() -> None:
    analyzers = [SymbolsAnalyzer(), DataAnalyzer()]
    analysis = analyze_tree(SAMPLE_MONOLITH, analyzers=analyzers, options=AnalysisOptions(use_cache=False))
    graph = analysis.graph
    models = _models(graph)
    assert len(models) >= 10
    assert all(a["framework"] == "sqlalchemy" and a["table"] for a in models.values())
    assert all(f"table:{a['table']}" in graph for a in models.values())
    order, line = "sample_monolith.orders.models.Order", "sample_monolith.orders.models.OrderLine"
    assert models[order]["table"] == "orders"
    assert graph.edge(line, order, EdgeKind.FOREIGN_KEY).attrs["references"] == "orders.id"
    assert graph.edge("table:order_lines", "table:orders", EdgeKind.FOREIGN_KEY) is not None
    assert order in graph.find_successors("sample_monolith.orders.services.get_order", EdgeKind.READS)
    assert [s for s in analysis.skipped if "foreign key" in s.reason] == []


def test_a_one_to_one_to_a_model_outside_the_code_is_said_on_the_model() -> None:
    # Django's own User gets a reverse accessor (user.profile) no edge shows: the plan reads the
    # profile's table wherever a user is; a plain foreign key gives no such accessor of one row
    models = _models(_graph("django_user_profile"))
    assert models["profiles.models.Profile"]["one_to_one_outside"] == ["user"]
    assert "one_to_one_outside" not in models["profiles.models.Badge"]


def test_the_fields_pointing_at_djangos_own_user_are_said_on_the_model() -> None:
    # the User class, "auth.User" and settings.AUTH_USER_MODEL alike: the plan counts them to give auth_user an owner
    models = _models(_graph("django_user_profile"))
    assert models["profiles.models.Profile"]["user_references"] == ["user"]
    assert models["profiles.models.Badge"]["user_references"] == ["owner", "given_by", "watchers"]


def test_djangos_own_users_table_is_a_table_of_the_graph_with_its_readers_and_writers() -> None:
    # no model of the code maps auth_user: its node says which models point at it (the plan's owner
    # when no code writes users) and the code creating users (a UserCreationForm, create_user) writes it
    graph = _graph("django_user_profile")
    table = graph.node("table:auth_user")
    assert table.kind is NodeKind.TABLE and table.attrs["framework_user"] is True
    assert sorted(table.attrs["referenced_by"]) == ["profiles.models.Badge"] * 3 + ["profiles.models.Profile"]
    assert _accesses(graph, "profiles.") >= {
        ("forms.SignUpForm", "writes", "table:auth_user"), ("views.invite", "writes", "table:auth_user"),
        ("views.members", "reads", "table:auth_user")}
