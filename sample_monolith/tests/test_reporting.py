"""Sales reports.  The database may be shared, so assert on deltas or on our own products."""

from __future__ import annotations


def _day(order):
    return order["placed_at"][:10]


def test_reports_require_admin(client, customer):
    assert client.get("/api/reports/summary").status_code == 401
    assert client.get("/api/reports/summary", headers=customer.headers).status_code == 401


def test_daily_sales_increase_after_order_and_payment(client, shop, admin_headers, customer, product):
    before_rows = client.get("/api/reports/daily-sales", headers=admin_headers).json()
    order = shop.checkout(customer, [(product, 3)])
    day = _day(order)
    before = next((row for row in before_rows if row["day"] == day),
                  {"orders_placed": 0, "items_sold": 0, "gross_cents": 0, "payments_captured": 0, "captured_cents": 0})
    shop.pay(customer, order["id"])
    rows = client.get("/api/reports/daily-sales", params={"start": day, "end": day}, headers=admin_headers).json()
    assert len(rows) == 1
    after = rows[0]
    total = order["total"]["amount_cents"]
    assert after["orders_placed"] - before["orders_placed"] >= 1
    assert after["items_sold"] - before["items_sold"] >= 3
    assert after["gross_cents"] - before["gross_cents"] >= total
    assert after["payments_captured"] - before["payments_captured"] >= 1
    assert after["captured_cents"] - before["captured_cents"] >= total


def test_daily_sales_are_zero_filled(client, admin_headers):
    rows = client.get("/api/reports/daily-sales", params={"start": "1999-12-30", "end": "2000-01-02"},
                      headers=admin_headers).json()
    assert [r["day"] for r in rows] == ["1999-12-30", "1999-12-31", "2000-01-01", "2000-01-02"]
    assert all(r["orders_placed"] == 0 for r in rows)


def test_invalid_period_is_422(client, admin_headers):
    r = client.get("/api/reports/daily-sales", params={"start": "2024-02-01", "end": "2024-01-01"},
                   headers=admin_headers)
    assert r.status_code == 422
    assert client.get("/api/reports/summary", params={"start": "yesterday"}, headers=admin_headers).status_code == 422


def test_product_sales_counts_paid_orders_only(client, shop, admin_headers):
    product = shop.create_product(price_cents=800, stock=50)
    shop.paid_order(product=product, quantity=2)
    shop.paid_order(product=product, quantity=3)
    shop.checkout(shop.register(), [(product, 4)])  # unpaid: not a sale
    r = client.get(f"/api/reports/products/{product['id']}/sales", headers=admin_headers)
    assert r.status_code == 200
    sales = r.json()
    assert sales["orders"] == 2
    assert sales["units_sold"] == 5
    assert sales["revenue_cents"] == 4000
    assert sales["average_unit_price_cents"] == 800


def test_product_sales_unknown_product_is_404(client, admin_headers):
    assert client.get("/api/reports/products/999999999/sales", headers=admin_headers).status_code == 404


def test_top_products_in_own_category(client, shop, admin_headers):
    category = shop.create_category()
    best = shop.create_product(category_id=category["id"], price_cents=100, stock=50)
    runner_up = shop.create_product(category_id=category["id"], price_cents=5000, stock=50)
    shop.create_product(category_id=category["id"])  # never sold
    shop.paid_order(product=best, quantity=5)
    shop.paid_order(product=runner_up, quantity=2)
    r = client.get("/api/reports/top-products", params={"category_id": category["id"], "limit": 5},
                   headers=admin_headers)
    assert r.status_code == 200
    assert [(p["product_id"], p["units_sold"]) for p in r.json()] == [(best["id"], 5), (runner_up["id"], 2)]
    assert r.json()[1]["revenue_cents"] == 10000


def test_sales_summary_delta(client, shop, admin_headers):
    before = client.get("/api/reports/summary", headers=admin_headers).json()
    _customer, _product, order, _payment = shop.paid_order(quantity=2)
    after = client.get("/api/reports/summary", headers=admin_headers).json()
    assert after["paid_orders"] - before["paid_orders"] >= 1
    assert after["revenue_cents"] - before["revenue_cents"] >= order["total"]["amount_cents"]
    assert after["units_sold"] - before["units_sold"] >= 2
    assert after["orders_by_status"].get("paid", 0) >= 1


def test_refund_shows_up_in_daily_sales(client, shop, admin_headers):
    _customer, _product, order, payment = shop.paid_order()
    day = _day(order)
    before = client.get("/api/reports/daily-sales", params={"start": day, "end": day}, headers=admin_headers).json()[0]
    client.post(f"/api/payments/{payment['id']}/refunds", json={"amount_cents": 300}, headers=admin_headers)
    refund_day = client.get(f"/api/payments/{payment['id']}", headers=_customer.headers).json()["refunds"][0][
        "created_at"][:10]
    after = client.get("/api/reports/daily-sales", params={"start": refund_day, "end": refund_day},
                       headers=admin_headers).json()[0]
    if refund_day == day:
        assert after["refunded_cents"] - before["refunded_cents"] >= 300
    else:  # ran across midnight
        assert after["refunded_cents"] >= 300
