"""A god module split at function level (decomposition.yaml's ``symbols``): in each service's copy
of it, the event handlers the service took stay, and the functions another service took are
called through its client, even in the copy of the service that holds the module."""

from __future__ import annotations

from dataclasses import replace

from generators.service.render import ModuleSource, render_services
from migrator.model.dependencies.declared import DeclaredRequirements
from migrator.model.service_plan import Channel, Client
from tests.plans import shop_plan

SERVICES = '''\
def place(order):
    return order


def price_of(product_id):
    return product_id * 100


def on_placed(event):
    return event
'''


MODELS = '''\
from shop.db import db


class Order(db.Model):
    __tablename__ = "orders"
    product_id = db.Column(db.Integer, db.ForeignKey("catalog.id"))
    account_id = db.Column(db.Integer, db.ForeignKey("accounts.id"))


class Product(db.Model):
    __tablename__ = "catalog"
    id = db.Column(db.Integer, primary_key=True)
'''


def _copies(module: str = "services") -> dict[str, str]:
    plan = shop_plan()
    taken = Client("catalog", "shop.orders.services.price_of", "/internal/shop/orders/services/price_of", True)
    services = []
    for spec in plan.services:
        if spec.name == "orders":
            spec = replace(spec, modules=(*spec.modules, "shop.orders.services", "shop.orders.models"), clients=(*spec.clients, taken))
        if spec.name == "catalog":
            spec = replace(spec, symbols=("shop.orders.models.Product", "shop.orders.services.on_placed", "shop.orders.services.price_of"))
        services.append(spec)
    channel = Channel("order.placed", "order.placed", ("orders",), ("catalog",), handlers=(("catalog", "shop.orders.services.on_placed"),))
    plan = replace(plan, services=tuple(services), channels=(channel,), root_package="shop")
    sources = {"shop.orders.services": ModuleSource("shop/orders/services.py", SERVICES, False),
               "shop.orders.models": ModuleSource("shop/orders/models.py", MODELS, False)}
    files = render_services(plan, sources, handlers=("shop.orders.services.on_placed",), requirements=DeclaredRequirements())
    return {path.split("/", 1)[0]: text for path, text in files.items() if path.endswith(f"shop/orders/{module}.py")}


def test_the_taker_of_an_event_handler_keeps_it_and_the_others_drop_it() -> None:
    copies = _copies()
    assert "def on_placed(" in copies["catalog"]
    assert "def on_placed(" not in copies["accounts"]


def test_a_function_taken_from_the_holders_module_is_a_call_to_its_taker_there() -> None:
    held = _copies()["orders"]
    price_of = held[held.index("def price_of("):held.index("def on_placed(")]
    assert "catalog" in price_of and "return product_id * 100" not in price_of
    assert "def place(order):\n    return order" in held


def test_the_foreign_keys_between_the_parts_of_a_split_module_stay_in_every_copy() -> None:
    for service, text in _copies("models").items():
        assert 'db.ForeignKey("catalog.id")' in text, service  # orders and catalog hold its parts: the relationship stays
        assert 'db.ForeignKey("accounts.id")' not in text, service  # accounts holds none
