"""The whole journey: register -> login -> browse -> cart -> checkout -> pay -> ship -> review -> report."""

from __future__ import annotations

from .helpers import PASSWORD, card, unique


def test_full_customer_journey(client, shop, admin_headers):
    # back office sets up a category with two products
    category = shop.create_category()
    kettle = shop.create_product(price_cents=5990, stock=5, category_id=category["id"], name="Gooseneck Kettle")
    filters = shop.create_product(price_cents=590, stock=100, category_id=category["id"], name="Paper Filters")

    # register and log in
    email = f"{unique('journey')}@example.com"
    assert client.post("/api/accounts/register",
                       json={"email": email, "password": PASSWORD, "full_name": "Jo Journey"}).status_code == 201
    token = client.post("/api/accounts/login", json={"email": email, "password": PASSWORD}).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}

    # browse
    listing = client.get("/api/catalog/products", params={"category_id": category["id"], "sort": "name"}).json()
    assert [p["name"] for p in listing["items"]] == ["Gooseneck Kettle", "Paper Filters"]

    # cart
    client.post("/api/cart/items", json={"product_id": kettle["id"], "quantity": 1}, headers=auth)
    cart = client.post("/api/cart/items", json={"product_id": filters["id"], "quantity": 3}, headers=auth).json()
    assert cart["subtotal"]["amount_cents"] == 5990 + 3 * 590

    # checkout
    address = client.post("/api/accounts/me/addresses",
                          json={"recipient_name": "Jo Journey", "line1": "Main St 5", "city": "Vienna",
                                "postal_code": "1010", "country": "AT"}, headers=auth).json()
    order = client.post("/api/orders/checkout",
                        json={"shipping_address_id": address["id"], "shipping_method": "express"},
                        headers=auth).json()
    assert order["status"] == "pending_payment"
    assert order["total"]["amount_cents"] == 5990 + 3 * 590 + 2495
    assert shop.stock(kettle["id"])["available"] == 4

    # pay (first attempt declined, then success with an idempotency key that is retried)
    declined = client.post("/api/payments", json={"order_id": order["id"], "card": card("4000000000000002")},
                           headers=auth)
    assert declined.status_code == 402
    headers = {**auth, "Idempotency-Key": unique("journey-pay")}
    payment = client.post("/api/payments", json={"order_id": order["id"], "card": card()}, headers=headers)
    retry = client.post("/api/payments", json={"order_id": order["id"], "card": card()}, headers=headers)
    assert payment.status_code == 201 and retry.status_code == 200
    assert retry.json()["id"] == payment.json()["id"]
    assert client.get(f"/api/orders/{order['id']}", headers=auth).json()["status"] == "paid"
    assert shop.stock(kettle["id"])["on_hand"] == 4

    # ship and deliver
    shipment = shop.ship(order["id"])
    tracking = client.get(f"/api/shipping/tracking/{shipment['tracking_number']}").json()
    assert tracking["status"] == "dispatched"
    shop.deliver(shipment["id"])
    final = client.get(f"/api/orders/{order['id']}", headers=auth).json()
    assert final["status"] == "delivered"
    assert [h["to_status"] for h in final["history"]] == ["pending_payment", "paid", "shipped", "delivered"]

    # review
    review = client.post(f"/api/reviews/products/{kettle['id']}", json={"rating": 5, "title": "Pours like a dream"},
                         headers=auth)
    assert review.status_code == 201
    assert client.get(f"/api/reviews/products/{kettle['id']}/summary").json()["average"] == 5.0

    # e-mails the customer received along the way
    templates = [e["template"] for e in client.get("/api/notifications/me", headers=auth).json()]
    assert templates == ["welcome", "order_confirmation", "payment_receipt", "shipment_dispatched"]

    # report
    top = client.get("/api/reports/top-products", params={"category_id": category["id"]}, headers=admin_headers).json()
    assert [(p["product_id"], p["units_sold"]) for p in top] == [(filters["id"], 3), (kettle["id"], 1)]
    sales = client.get(f"/api/reports/products/{kettle['id']}/sales", headers=admin_headers).json()
    assert sales["units_sold"] == 1 and sales["revenue_cents"] == 5990


def test_two_customers_compete_for_last_item(client, shop):
    product = shop.create_product(stock=1)
    alice, bob = shop.register(), shop.register()
    assert shop.add_to_cart(alice, product["id"]).status_code == 201
    assert shop.add_to_cart(bob, product["id"]).status_code == 201
    alice_order = shop.checkout(alice, [])
    assert shop.checkout_response(bob, []).status_code == 409
    assert shop.pay(alice, alice_order["id"]).status_code == 201
    assert shop.stock(product["id"])["on_hand"] == 0
