"""Rates, shipments and tracking."""

from __future__ import annotations

from .helpers import unique


def test_domestic_rates(client):
    rates = {r["method"]: r for r in client.get("/api/shipping/rates", params={"country": "DE"}).json()}
    assert rates["standard"]["price"]["amount_cents"] == 495
    assert rates["express"]["price"]["amount_cents"] == 1295
    assert rates["standard"]["zone"] == "domestic"


def test_free_standard_shipping_over_threshold(client):
    rates = {r["method"]: r for r in
             client.get("/api/shipping/rates", params={"country": "NL", "subtotal_cents": 15000}).json()}
    assert rates["standard"]["price"]["amount_cents"] == 0
    assert rates["standard"]["free_shipping_applied"] is True
    assert rates["express"]["price"]["amount_cents"] == 2495


def test_rates_validation(client):
    assert client.get("/api/shipping/rates", params={"country": "Germany"}).status_code == 422
    assert client.get("/api/shipping/rates", params={"country": "KP"}).status_code == 422


def test_cannot_ship_unpaid_order(client, shop, admin_headers, customer, product):
    order = shop.checkout(customer, [(product, 1)])
    r = client.post("/api/shipping/shipments", json={"order_id": order["id"]}, headers=admin_headers)
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "order_not_shippable"


def test_ship_unknown_order_is_404(client, admin_headers):
    assert client.post("/api/shipping/shipments", json={"order_id": 999999999},
                       headers=admin_headers).status_code == 404


def test_dispatch_marks_order_shipped_and_emails_customer(client, shop):
    customer, _product, order, _payment = shop.paid_order()
    shipment = shop.ship(order["id"], carrier="ups")
    assert shipment["status"] == "dispatched"
    assert shipment["tracking_number"].startswith("UPS-")
    shipped = shop.order(customer, order["id"])
    assert shipped["status"] == "shipped" and shipped["shipped_at"] is not None
    mails = [e for e in shop.emails(customer) if e["template"] == "shipment_dispatched"]
    assert len(mails) == 1 and shipment["tracking_number"] in mails[0]["body"]


def test_second_shipment_for_order_is_conflict(client, shop, admin_headers):
    _customer, _product, order, _payment = shop.paid_order()
    shop.ship(order["id"])
    r = client.post("/api/shipping/shipments", json={"order_id": order["id"]}, headers=admin_headers)
    assert r.status_code == 409


def test_double_dispatch_is_conflict(client, shop, admin_headers):
    _customer, _product, order, _payment = shop.paid_order()
    shipment = shop.ship(order["id"])
    assert client.post(f"/api/shipping/shipments/{shipment['id']}/dispatch",
                       headers=admin_headers).status_code == 409


def test_tracking_events_and_delivery(client, shop, admin_headers):
    customer, _product, order, _payment = shop.paid_order()
    shipment = shop.ship(order["id"])
    r = client.post(f"/api/shipping/shipments/{shipment['id']}/events",
                    json={"status": "in_transit", "location": "Leipzig hub"}, headers=admin_headers)
    assert r.status_code == 201 and r.json()["status"] == "in_transit"
    assert shop.order(customer, order["id"])["status"] == "shipped"
    shop.deliver(shipment["id"])
    delivered = shop.order(customer, order["id"])
    assert delivered["status"] == "delivered" and delivered["delivered_at"] is not None
    tracking = client.get(f"/api/shipping/tracking/{shipment['tracking_number']}").json()
    assert [e["status"] for e in tracking["events"]] == ["label_created", "dispatched", "in_transit", "delivered"]
    assert "order_id" not in tracking


def test_events_after_delivery_are_conflict(client, shop, admin_headers):
    _customer, _product, order, _payment = shop.paid_order()
    shipment = shop.ship(order["id"])
    shop.deliver(shipment["id"])
    r = client.post(f"/api/shipping/shipments/{shipment['id']}/events", json={"status": "in_transit"},
                    headers=admin_headers)
    assert r.status_code == 409


def test_invalid_tracking_status_is_422(client, shop, admin_headers):
    _customer, _product, order, _payment = shop.paid_order()
    shipment = shop.ship(order["id"])
    r = client.post(f"/api/shipping/shipments/{shipment['id']}/events", json={"status": "teleported"},
                    headers=admin_headers)
    assert r.status_code == 422


def test_unknown_tracking_number_is_404(client):
    assert client.get(f"/api/shipping/tracking/{unique('NOPE')}").status_code == 404


def test_customer_sees_own_shipment_only(client, shop, admin_headers):
    customer, _product, order, _payment = shop.paid_order()
    shipment = shop.ship(order["id"])
    r = client.get(f"/api/shipping/orders/{order['id']}/shipment", headers=customer.headers)
    assert r.status_code == 200 and r.json()["id"] == shipment["id"]
    assert client.get(f"/api/shipping/orders/{order['id']}/shipment",
                      headers=shop.register().headers).status_code == 404
    assert client.get(f"/api/shipping/shipments/{shipment['id']}", headers=admin_headers).status_code == 200
