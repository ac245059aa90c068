"""HTTP test driver and constants shared by the test modules."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from typing import Any

import httpx

ADMIN_TOKEN = os.environ.get("MONOLITH_ADMIN_TOKEN", "dev-admin-token")

GOOD_CARD = "4242424242424242"
DECLINED_CARD = "4000000000000002"
INSUFFICIENT_FUNDS_CARD = "4000000000009995"
PASSWORD = "correct-horse-battery"


def unique(prefix: str = "t") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def card(number: str = GOOD_CARD) -> dict[str, Any]:
    return {"number": number, "expiry_month": 12, "expiry_year": 2099, "cvc": "123", "holder_name": "Test Buyer"}


@dataclass
class Customer:
    id: int
    email: str
    password: str
    full_name: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


class Shop:
    """Test driver for multi-step flows, built only on the public HTTP API."""

    def __init__(self, client: httpx.Client, admin_headers: dict[str, str]) -> None:
        self.client = client
        self.admin = admin_headers

    # -- accounts ---------------------------------------------------------------
    def register(self, full_name: str = "Test Buyer", password: str = PASSWORD) -> Customer:
        email = f"{unique('buyer')}@example.com"
        r = self.client.post(
            "/api/accounts/register", json={"email": email, "password": password, "full_name": full_name}
        )
        assert r.status_code == 201, r.text
        return Customer(r.json()["id"], email, password, full_name, self.login(email, password))

    def login(self, email: str, password: str) -> str:
        r = self.client.post("/api/accounts/login", json={"email": email, "password": password})
        assert r.status_code == 200, r.text
        return r.json()["access_token"]

    def add_address(self, customer: Customer, country: str = "DE", **extra: Any) -> dict[str, Any]:
        body = {"recipient_name": customer.full_name, "line1": "Teststraße 1", "city": "Berlin",
                "postal_code": "10115", "country": country, **extra}
        r = self.client.post("/api/accounts/me/addresses", json=body, headers=customer.headers)
        assert r.status_code == 201, r.text
        return r.json()

    # -- catalog / inventory ----------------------------------------------------
    def create_category(self, name: str | None = None) -> dict[str, Any]:
        name = name or unique("Category")
        r = self.client.post("/api/catalog/categories", json={"name": name}, headers=self.admin)
        assert r.status_code == 201, r.text
        return r.json()

    def create_product(
        self, price_cents: int = 1000, stock: int | None = 10, category_id: int | None = None, **extra: Any
    ) -> dict[str, Any]:
        sku = unique("SKU").upper()
        body = {"sku": sku, "name": f"Product {sku}", "price_cents": price_cents, "category_id": category_id, **extra}
        r = self.client.post("/api/catalog/products", json=body, headers=self.admin)
        assert r.status_code == 201, r.text
        if stock is not None:
            self.set_stock(r.json()["id"], stock)
        return r.json()

    def set_stock(self, product_id: int, on_hand: int) -> dict[str, Any]:
        r = self.client.put(f"/api/inventory/stock/{product_id}", json={"on_hand": on_hand}, headers=self.admin)
        assert r.status_code == 200, r.text
        return r.json()

    def stock(self, product_id: int) -> dict[str, Any]:
        r = self.client.get(f"/api/inventory/stock/{product_id}")
        assert r.status_code == 200, r.text
        return r.json()

    # -- cart / orders / payments -----------------------------------------------
    def add_to_cart(self, customer: Customer, product_id: int, quantity: int = 1) -> httpx.Response:
        return self.client.post(
            "/api/cart/items", json={"product_id": product_id, "quantity": quantity}, headers=customer.headers
        )

    def checkout_response(
        self, customer: Customer, items: list[tuple[dict[str, Any], int]], *, method: str = "standard",
        country: str = "DE",
    ) -> httpx.Response:
        for product, quantity in items:
            r = self.add_to_cart(customer, product["id"], quantity)
            assert r.status_code == 201, r.text
        address = self.add_address(customer, country=country)
        return self.client.post(
            "/api/orders/checkout",
            json={"shipping_address_id": address["id"], "shipping_method": method},
            headers=customer.headers,
        )

    def checkout(self, customer: Customer, items: list[tuple[dict[str, Any], int]], **kwargs: Any) -> dict[str, Any]:
        r = self.checkout_response(customer, items, **kwargs)
        assert r.status_code == 201, r.text
        return r.json()

    def pay(self, customer: Customer, order_id: int, number: str = GOOD_CARD, key: str | None = None) -> httpx.Response:
        headers = dict(customer.headers)
        if key is not None:
            headers["Idempotency-Key"] = key
        return self.client.post("/api/payments", json={"order_id": order_id, "card": card(number)}, headers=headers)

    def order(self, customer: Customer, order_id: int) -> dict[str, Any]:
        r = self.client.get(f"/api/orders/{order_id}", headers=customer.headers)
        assert r.status_code == 200, r.text
        return r.json()

    def paid_order(
        self, customer: Customer | None = None, product: dict[str, Any] | None = None, quantity: int = 1
    ) -> tuple[Customer, dict[str, Any], dict[str, Any], dict[str, Any]]:
        """Register (if needed), buy ``quantity`` of a (new) product and pay for it."""
        customer = customer or self.register()
        product = product or self.create_product()
        order = self.checkout(customer, [(product, quantity)])
        r = self.pay(customer, order["id"])
        assert r.status_code == 201, r.text
        return customer, product, self.order(customer, order["id"]), r.json()

    # -- shipping -----------------------------------------------------------------
    def ship(self, order_id: int, carrier: str = "dhl") -> dict[str, Any]:
        r = self.client.post("/api/shipping/shipments", json={"order_id": order_id, "carrier": carrier},
                             headers=self.admin)
        assert r.status_code == 201, r.text
        r = self.client.post(f"/api/shipping/shipments/{r.json()['id']}/dispatch", headers=self.admin)
        assert r.status_code == 200, r.text
        return r.json()

    def deliver(self, shipment_id: int) -> dict[str, Any]:
        r = self.client.post(f"/api/shipping/shipments/{shipment_id}/events", json={"status": "delivered"},
                             headers=self.admin)
        assert r.status_code == 201, r.text
        return r.json()

    def emails(self, customer: Customer) -> list[dict[str, Any]]:
        r = self.client.get("/api/notifications/me", headers=customer.headers)
        assert r.status_code == 200, r.text
        return r.json()
