"""Layered code and god modules on real trees: the domains come from the models and routers, each
cross-layer piece goes to the domain it names, and a module serving several services is split at
class and function level, through propose, decomposition.yaml and the plan."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from migrator.boundaries.propose import ProposeSettings, propose
from migrator.model.decomposition import InvalidDecomposition, dumps_decomposition, loads_decomposition
from migrator.model.graph import DependencyGraph
from migrator.pipeline import AnalyzeRequest, analyze
from migrator.planning.plan import build_plan
from migrator.planning.service_plan import build_service_plan

SHOP = Path(__file__).resolve().parents[1] / "assets" / "layered_shop"


def _graph(src: Path, tmp_path: Path) -> DependencyGraph:
    from analyzers.base import AnalysisOptions

    graph, _ = analyze(AnalyzeRequest(src=src, options=AnalysisOptions(cache_dir=tmp_path / "cache")))
    return graph


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> DependencyGraph:
    return _graph(SHOP, tmp_path_factory.mktemp("shop"))


def test_layered_app_gets_one_service_per_data_domain(shop: DependencyGraph) -> None:
    decomposition = propose(shop, ProposeSettings())
    services = {s.name: s for s in decomposition.services}
    assert set(services) == {"orders", "products", "users"}
    assert "app.api.routes.orders" in services["orders"].units
    assert "app.api.routes.products" in services["products"].units
    # the login router names no model: its code works on users, so it is a piece of that domain
    assert {"app.api.routes.login", "app.api.routes.users", "app.crud", "app.models"} <= set(services["users"].units)
    reasons = services["users"].reasons["app.api.routes.login"]
    assert reasons[0] == "domain: layered code: api/routes/login names no domain of the models; its code serves user (user 2)"


def test_god_modules_are_split_at_class_and_function_level(shop: DependencyGraph) -> None:
    services = {s.name: s for s in propose(shop, ProposeSettings()).services}
    assert services["products"].symbols == ("app.crud.create_product", "app.models.Product", "app.models.ProductBase", "app.models.ProductCreate")
    assert services["orders"].symbols == ("app.crud.place_order", "app.models.Order", "app.models.OrderCreate")
    assert services["users"].symbols == ()
    assert services["products"].reasons["app.models.Product"] == (
        "split from the module app.models, which serves several services: its name Product carries the domain product",
    )
    assert services["orders"].summary["tables"] == ["order"] and services["users"].summary["tables"] == ["user"]


def test_the_split_survives_the_yaml_and_an_unknown_symbol_is_refused(shop: DependencyGraph) -> None:
    decomposition = propose(shop, ProposeSettings())
    text = dumps_decomposition(decomposition)
    again = loads_decomposition(text, graph=shop)
    assert again.symbol_owners() == decomposition.symbol_owners()
    assert again.symbol_owners()["app.models.Order"] == "orders"
    with pytest.raises(InvalidDecomposition, match="app.models.Basket is not a class or function"):
        loads_decomposition(text.replace("app.models.OrderCreate:", "app.models.Basket:"), graph=shop)
    twice = text.replace("    symbols:\n      app.crud.place_order:", "    symbols:\n      app.crud.create_product:", 1)
    with pytest.raises(InvalidDecomposition, match="listed in both"):
        loads_decomposition(twice, graph=shop)


def test_the_plan_gives_each_service_the_models_tables_and_routes_of_its_symbols(shop: DependencyGraph) -> None:
    decomposition = propose(shop, ProposeSettings())
    plan = build_plan(shop, decomposition)
    scopes = {s.name: s for s in plan.services}
    assert scopes["orders"].models == ("app.models.Order",) and scopes["orders"].tables == ("order",)
    assert scopes["products"].models == ("app.models.Product",) and scopes["products"].tables == ("product",)
    assert scopes["users"].models == ("app.models.User",) and scopes["users"].tables == ("user",)
    service_plan = build_service_plan(shop, decomposition, plan)
    gateway = {route.prefix: route.service for route in service_plan.gateway}
    assert {gateway[p] for p in gateway if "/orders" in p} == {"orders"}
    # an order's foreign keys to the other services' tables are checked in code
    crossing_fks = {(d.table, d.owner) for d in plan.data if d.treatment == "foreign_key_in_code"}
    assert crossing_fks == {("product", "products"), ("user", "users")}


GOD_VIEWS = {
    "shop/__init__.py": """
        from flask import Flask

        def create_app():
            app = Flask(__name__)
            from shop.main import main
            app.register_blueprint(main)
            return app
    """,
    "shop/models.py": """
        from flask_sqlalchemy import SQLAlchemy

        db = SQLAlchemy()

        class Customer(db.Model):
            id = db.Column(db.Integer, primary_key=True)

        class Invoice(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            customer_id = db.Column(db.Integer, db.ForeignKey("customer.id"))
    """,
    "shop/main/__init__.py": """
        from flask import Blueprint

        main = Blueprint("main", __name__)

        from shop.main import views
    """,
    "shop/main/views.py": """
        from shop.main import main
        from shop.models import Customer, Invoice, db

        @main.route("/customers/<int:id>")
        def customer(id):
            return str(Customer.query.get(id).id)

        @main.route("/customers", methods=["POST"])
        def new_customer():
            db.session.add(Customer())
            db.session.commit()
            return "ok"

        @main.route("/invoices/<int:id>")
        def invoice(id):
            return str(Invoice.query.get(id).id)

        @main.route("/invoices", methods=["POST"])
        def new_invoice():
            db.session.add(Invoice())
            db.session.commit()
            return "ok"
    """,
    "shop/api/__init__.py": """
        from flask import Blueprint

        api = Blueprint("api", __name__)

        from shop.api import customers, invoices
    """,
    "shop/api/customers.py": """
        from shop.api import api
        from shop.models import Customer

        @api.route("/api/customers/")
        def list_customers():
            return str(len(Customer.query.all()))
    """,
    "shop/api/invoices.py": """
        from shop.api import api
        from shop.models import Invoice

        @api.route("/api/invoices/")
        def list_invoices():
            return str(len(Invoice.query.all()))
    """,
}


def test_a_generic_views_module_serving_two_domains_is_split_and_its_rest_joins_one(tree, tmp_path: Path) -> None:
    graph = _graph(tree(GOD_VIEWS), tmp_path)
    decomposition = propose(graph, ProposeSettings())
    services = {s.name: s for s in decomposition.services}
    assert set(services) == {"customers", "invoices"}
    assert {"shop.main.views.invoice", "shop.main.views.new_invoice", "shop.models.Invoice"} <= set(services["invoices"].symbols)
    assert "shop.main.views" in services["customers"].units and "shop.main.views.customer" not in services["customers"].symbols
    routes = {s.name: set(s.summary["routes"]) for s in decomposition.services}
    assert routes["invoices"] == {"GET /invoices/<int:id>", "POST /invoices", "GET /api/invoices/"}
    plan = build_plan(graph, decomposition)
    assert {s.name: s.tables for s in plan.services} == {"customers": ("customer",), "invoices": ("invoice",)}
    assert {s.name: set(s.routes) for s in plan.services}["invoices"] == routes["invoices"]
    gateway = {route.prefix: route.service for route in build_service_plan(graph, decomposition, plan).gateway}
    assert gateway["/invoices"] == "invoices" and gateway["/customers"] == "customers"


@pytest.mark.parametrize("src", [SHOP])
def test_no_service_is_named_after_a_helper_a_layer_or_with_a_number(src: Path, tmp_path: Path) -> None:
    names = [s.name for s in propose(_graph(src, tmp_path), ProposeSettings()).services]
    assert not [n for n in names if re.search(r"-\d+$", n) or n in ("api", "models", "crud", "utils", "core")]


GOD_ROUTER = {
    "shop/__init__.py": "",
    "shop/models.py": """
        from sqlmodel import Field, SQLModel

        class Customer(SQLModel, table=True):
            id: int | None = Field(default=None, primary_key=True)

        class Invoice(SQLModel, table=True):
            id: int | None = Field(default=None, primary_key=True)
            customer_id: int = Field(foreign_key="customer.id")
    """,
    "shop/crud/__init__.py": "",
    "shop/crud/customers.py": """
        from sqlmodel import Session

        from shop.db import engine
        from shop.models import Customer

        def get_customer(customer_id: int) -> Customer | None:
            with Session(engine) as session:
                return session.get(Customer, customer_id)

        def add_customer(customer: Customer) -> Customer:
            with Session(engine) as session:
                session.add(customer)
                session.commit()
                return customer
    """,
    "shop/crud/invoices.py": """
        from sqlmodel import Session

        from shop.db import engine
        from shop.models import Invoice

        def get_invoice(invoice_id: int) -> Invoice | None:
            with Session(engine) as session:
                return session.get(Invoice, invoice_id)

        def add_invoice(invoice: Invoice) -> Invoice:
            with Session(engine) as session:
                session.add(invoice)
                session.commit()
                return invoice
    """,
    "shop/api/__init__.py": "",
    "shop/api/routes.py": """
        from fastapi import APIRouter

        from shop.crud import customers, invoices
        from shop.models import Customer, Invoice

        router = APIRouter()

        @router.get("/customers/{customer_id}")
        def read_customer(customer_id: int) -> Customer | None:
            return customers.get_customer(customer_id)

        @router.post("/customers")
        def create_customer(customer: Customer) -> Customer:
            return customers.add_customer(customer)

        @router.get("/invoices/{invoice_id}")
        def read_invoice(invoice_id: int) -> Invoice | None:
            return invoices.get_invoice(invoice_id)

        @router.post("/invoices")
        def create_invoice(invoice: Invoice) -> Invoice:
            return invoices.add_invoice(invoice)
    """,
    "shop/db.py": """
        from sqlmodel import create_engine

        engine = create_engine("sqlite://")
    """,
    "shop/main.py": """
        from fastapi import FastAPI

        from shop.api.routes import router

        app = FastAPI()
        app.include_router(router)
    """,
}


def test_a_split_router_is_carried_through_generate(tree, tmp_path: Path) -> None:
    from tests.cli import run

    src = tree(GOD_ROUTER)
    decomposition = tmp_path / "decomposition.yaml"
    code, printed, _ = run("propose", str(src), "-o", str(decomposition))
    assert code == 0 and "Split at class and function level: 2 modules (shop.api.routes: " in printed
    proposed = loads_decomposition(decomposition.read_text(encoding="utf-8"))
    holder = next(s for s in proposed.services if "shop.api.routes" in s.units)
    taker = next(s for s in proposed.services if s.symbols)
    assert {holder.name, taker.name} == {"customers", "invoices"}
    out = tmp_path / "system"
    code, _, err = run("generate", str(src), "--decomposition", str(decomposition), "-o", str(out))
    assert code == 0, err
    gateway = "\n".join(p.read_text(encoding="utf-8") for p in (out / "gateway").glob("*.conf"))
    assert re.search(rf"\^/{taker.name}[^\n]*svc_{taker.name}", gateway) and re.search(rf"\^/{holder.name}[^\n]*svc_{holder.name}", gateway)
    # every copy keeps the router's views (URL reversal names them); each service's runtime
    # answers only the paths its manifest gives it, by the owner of each view
    for service in (taker, holder):
        manifest = (out / service.name / f"{service.name}_service" / "manifest.py").read_text(encoding="utf-8")
        assert f"('^/{taker.name}(/|$)', '{taker.name}', '/{taker.name}')" in manifest
        assert f"('^/{holder.name}(/|$)', '{holder.name}', '/{holder.name}')" in manifest
