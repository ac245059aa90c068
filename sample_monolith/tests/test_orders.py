"""Checkout and the order life cycle."""

from __future__ import annotations


def test_checkout_creates_pending_order(shop, customer):
    a = shop.create_product(price_cents=1000)
    b = shop.create_product(price_cents=250)
    order = shop.checkout(customer, [(a, 2), (b, 4)])
    assert order["status"] == "pending_payment"
    assert order["subtotal"]["amount_cents"] == 3000
    assert order["shipping"]["amount_cents"] == 495  # domestic standard
    assert order["total"]["amount_cents"] == 3495
    assert {(line["product_id"], line["quantity"]) for line in order["lines"]} == {(a["id"], 2), (b["id"], 4)}
    assert order["number"].startswith("ORD-")
    assert order["history"][0]["to_status"] == "pending_payment"


def test_checkout_snapshots_address(shop, customer, product):
    order = shop.checkout(customer, [(product, 1)], country="FR")
    assert order["shipping_address"]["country"] == "FR"
    assert order["shipping"]["amount_cents"] == 995  # EU zone


def test_express_and_free_shipping(shop, customer):
    expensive = shop.create_product(price_cents=20000)
    order = shop.checkout(customer, [(expensive, 1)])
    assert order["shipping"]["amount_cents"] == 0  # free standard over 100 EUR
    other = shop.register()
    order = shop.checkout(other, [(expensive, 1)], method="express")
    assert order["shipping"]["amount_cents"] == 1295


def test_checkout_uses_current_catalog_price(client, shop, admin_headers, customer, product):
    shop.add_to_cart(customer, product["id"], 1)
    client.put(f"/api/catalog/products/{product['id']}/price", json={"amount_cents": 777}, headers=admin_headers)
    order = shop.checkout(customer, [])
    assert order["lines"][0]["unit_price"]["amount_cents"] == 777


def test_order_keeps_price_after_later_change(client, shop, admin_headers, customer, product):
    order = shop.checkout(customer, [(product, 1)])
    client.put(f"/api/catalog/products/{product['id']}/price", json={"amount_cents": 5}, headers=admin_headers)
    assert shop.order(customer, order["id"])["lines"][0]["unit_price"]["amount_cents"] == 1250


def test_checkout_empties_cart(client, shop, customer, product):
    shop.checkout(customer, [(product, 1)])
    assert client.get("/api/cart", headers=customer.headers).json()["items"] == []


def test_checkout_with_empty_cart_is_conflict(shop, customer):
    r = shop.checkout_response(customer, [])
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "cart_empty"


def test_checkout_out_of_stock_is_conflict_and_writes_nothing(client, shop, customer):
    product = shop.create_product(stock=5)
    shop.add_to_cart(customer, product["id"], 4)
    # somebody else buys most of the stock in the meantime
    shop.checkout(shop.register(), [(product, 3)])
    r = shop.checkout_response(customer, [])
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "out_of_stock"
    assert r.json()["error"]["shortages"] == [{"product_id": product["id"], "requested": 4, "available": 2}]
    assert client.get("/api/orders", headers=customer.headers).json()["total"] == 0
    assert len(client.get("/api/cart", headers=customer.headers).json()["items"]) == 1
    assert shop.stock(product["id"])["reserved"] == 3


def test_checkout_with_unknown_address_is_404(client, shop, customer, product):
    shop.add_to_cart(customer, product["id"], 1)
    r = client.post("/api/orders/checkout", json={"shipping_address_id": 999999999}, headers=customer.headers)
    assert r.status_code == 404


def test_checkout_with_unknown_shipping_method_is_422(client, shop, customer, product):
    shop.add_to_cart(customer, product["id"], 1)
    address = shop.add_address(customer)
    r = client.post("/api/orders/checkout",
                    json={"shipping_address_id": address["id"], "shipping_method": "teleport"},
                    headers=customer.headers)
    assert r.status_code == 422


def test_checkout_to_unsupported_country_is_422(shop, customer, product):
    r = shop.checkout_response(customer, [(product, 1)], country="KP")
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "country_not_supported"


def test_checkout_requires_login(client):
    assert client.post("/api/orders/checkout", json={"shipping_address_id": 1}).status_code == 401


def test_list_my_orders(client, shop, customer, product):
    first = shop.checkout(customer, [(product, 1)])
    second = shop.checkout(customer, [(product, 2)])
    page = client.get("/api/orders", headers=customer.headers).json()
    assert page["total"] == 2
    assert {o["id"] for o in page["items"]} == {first["id"], second["id"]}
    filtered = client.get("/api/orders", params={"status": "paid"}, headers=customer.headers).json()
    assert filtered["total"] == 0


def test_other_customers_order_is_not_found(client, shop, customer, product):
    order = shop.checkout(customer, [(product, 1)])
    intruder = shop.register()
    assert client.get(f"/api/orders/{order['id']}", headers=intruder.headers).status_code == 404


def test_unknown_order_is_404(client, customer):
    assert client.get("/api/orders/999999999", headers=customer.headers).status_code == 404


def test_cancel_pending_order_releases_stock(client, shop, customer, product):
    order = shop.checkout(customer, [(product, 2)])
    r = client.post(f"/api/orders/{order['id']}/cancel", json={"reason": "changed my mind"}, headers=customer.headers)
    assert r.status_code == 200
    assert r.json()["status"] == "cancelled"
    assert shop.stock(product["id"]) == {**shop.stock(product["id"]), "reserved": 0, "available": 10}
    assert "order_cancelled" in [e["template"] for e in shop.emails(customer)]


def test_cancel_paid_order_is_conflict(client, shop):
    customer, _product, order, _payment = shop.paid_order()
    r = client.post(f"/api/orders/{order['id']}/cancel", headers=customer.headers)
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "invalid_order_status"


def test_order_confirmation_email(shop, customer, product):
    order = shop.checkout(customer, [(product, 1)])
    confirmation = [e for e in shop.emails(customer) if e["template"] == "order_confirmation"]
    assert len(confirmation) == 1
    assert order["number"] in confirmation[0]["subject"]
