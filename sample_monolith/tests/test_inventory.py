"""Stock levels, adjustments and reservations."""

from __future__ import annotations


def test_new_product_has_no_stock(shop):
    product = shop.create_product(stock=None)
    assert shop.stock(product["id"]) == {
        "product_id": product["id"], "on_hand": 0, "reserved": 0, "available": 0, "low_stock_threshold": 5,
    }


def test_set_stock(shop):
    product = shop.create_product(stock=None)
    level = shop.set_stock(product["id"], 42)
    assert level["on_hand"] == 42 and level["available"] == 42


def test_set_stock_requires_admin(client, product):
    assert client.put(f"/api/inventory/stock/{product['id']}", json={"on_hand": 1}).status_code == 401


def test_stock_of_unknown_product_is_404(client):
    assert client.get("/api/inventory/stock/999999999").status_code == 404


def test_negative_stock_is_rejected(client, admin_headers, product):
    assert client.put(f"/api/inventory/stock/{product['id']}", json={"on_hand": -1},
                      headers=admin_headers).status_code == 422


def test_adjust_stock_and_audit_trail(client, admin_headers, product):
    r = client.post(f"/api/inventory/stock/{product['id']}/adjustments",
                    json={"delta": 5, "reason": "delivery"}, headers=admin_headers)
    assert r.status_code == 201
    assert r.json()["on_hand"] == 15
    r = client.post(f"/api/inventory/stock/{product['id']}/adjustments",
                    json={"delta": -3, "reason": "breakage"}, headers=admin_headers)
    assert r.json()["on_hand"] == 12
    trail = client.get(f"/api/inventory/stock/{product['id']}/adjustments", headers=admin_headers).json()
    assert [(a["delta"], a["reason"]) for a in trail][-2:] == [(5, "delivery"), (-3, "breakage")]


def test_adjust_below_zero_is_conflict(client, admin_headers, product):
    r = client.post(f"/api/inventory/stock/{product['id']}/adjustments",
                    json={"delta": -11, "reason": "oops"}, headers=admin_headers)
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "insufficient_stock"


def test_low_stock_report_contains_product(client, shop, admin_headers):
    product = shop.create_product(stock=2)
    low = client.get("/api/inventory/low-stock", headers=admin_headers).json()
    assert product["id"] in [level["product_id"] for level in low]


def test_checkout_reserves_stock(client, shop, admin_headers, customer, product):
    order = shop.checkout(customer, [(product, 3)])
    assert shop.stock(product["id"])["reserved"] == 3
    assert shop.stock(product["id"])["available"] == 7
    reservations = client.get("/api/inventory/reservations", params={"order_id": order["id"]},
                              headers=admin_headers).json()
    assert [(r["product_id"], r["quantity"], r["status"]) for r in reservations] == [(product["id"], 3, "active")]


def test_cannot_set_stock_below_reserved(client, shop, admin_headers, customer, product):
    shop.checkout(customer, [(product, 4)])
    r = client.put(f"/api/inventory/stock/{product['id']}", json={"on_hand": 3}, headers=admin_headers)
    assert r.status_code == 409


def test_update_unknown_reservation_is_404(client, admin_headers):
    r = client.patch("/api/inventory/reservations/999999999", json={"expires_at": "2030-01-01T00:00:00"},
                     headers=admin_headers)
    assert r.status_code == 404
