"""Card payments, idempotency and refunds."""

from __future__ import annotations

from .helpers import DECLINED_CARD, INSUFFICIENT_FUNDS_CARD, card, unique


def test_successful_payment_marks_order_paid(shop, customer, product):
    order = shop.checkout(customer, [(product, 2)])
    r = shop.pay(customer, order["id"])
    assert r.status_code == 201
    payment = r.json()
    assert payment["status"] == "captured"
    assert payment["amount"] == order["total"]
    assert payment["card_last4"] == "4242" and payment["card_brand"] == "visa"
    paid = shop.order(customer, order["id"])
    assert paid["status"] == "paid" and paid["paid_at"] is not None


def test_payment_commits_reserved_stock(shop, customer, product):
    order = shop.checkout(customer, [(product, 3)])
    shop.pay(customer, order["id"])
    assert shop.stock(product["id"]) == {**shop.stock(product["id"]), "on_hand": 7, "reserved": 0, "available": 7}


def test_declined_card_is_402_and_order_stays_unpaid(shop, customer, product):
    order = shop.checkout(customer, [(product, 1)])
    r = shop.pay(customer, order["id"], DECLINED_CARD)
    assert r.status_code == 402
    assert r.json()["error"]["decline_code"] == "card_declined"
    assert shop.order(customer, order["id"])["status"] == "pending_payment"
    # retrying with a good card works
    assert shop.pay(customer, order["id"]).status_code == 201


def test_insufficient_funds_is_402(shop, customer, product):
    order = shop.checkout(customer, [(product, 1)])
    r = shop.pay(customer, order["id"], INSUFFICIENT_FUNDS_CARD)
    assert r.status_code == 402
    assert r.json()["error"]["decline_code"] == "insufficient_funds"


def test_idempotency_key_replay_returns_same_payment(client, shop, customer, product):
    order = shop.checkout(customer, [(product, 1)])
    key = unique("idem")
    first = shop.pay(customer, order["id"], key=key)
    second = shop.pay(customer, order["id"], key=key)
    assert first.status_code == 201
    assert second.status_code == 200
    assert second.headers["Idempotent-Replayed"] == "true"
    assert second.json()["id"] == first.json()["id"]
    assert len(client.get("/api/payments", params={"order_id": order["id"]}, headers=customer.headers).json()) == 1


def test_idempotency_key_replay_of_decline_is_still_402(shop, customer, product):
    order = shop.checkout(customer, [(product, 1)])
    key = unique("idem")
    first = shop.pay(customer, order["id"], DECLINED_CARD, key=key)
    second = shop.pay(customer, order["id"], DECLINED_CARD, key=key)
    assert first.status_code == second.status_code == 402
    assert first.json()["error"]["payment_id"] == second.json()["error"]["payment_id"]


def test_idempotency_key_reuse_with_different_body_is_conflict(shop, customer, product):
    order = shop.checkout(customer, [(product, 1)])
    other_order = shop.checkout(customer, [(product, 1)])
    key = unique("idem")
    assert shop.pay(customer, order["id"], key=key).status_code == 201
    r = shop.pay(customer, other_order["id"], key=key)
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "idempotency_key_reused"


def test_paying_a_paid_order_is_conflict(shop):
    customer, _product, order, _payment = shop.paid_order()
    r = shop.pay(customer, order["id"])
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "order_not_payable"


def test_paying_someone_elses_order_is_404(shop, customer, product):
    order = shop.checkout(customer, [(product, 1)])
    assert shop.pay(shop.register(), order["id"]).status_code == 404


def test_invalid_card_number_is_422(client, shop, customer, product):
    order = shop.checkout(customer, [(product, 1)])
    r = client.post("/api/payments", json={"order_id": order["id"], "card": card("4242424242424241")},
                    headers=customer.headers)
    assert r.status_code == 422


def test_expired_card_data_is_422(client, shop, customer, product):
    order = shop.checkout(customer, [(product, 1)])
    body = {"order_id": order["id"], "card": {**card(), "expiry_year": 2001}}
    assert client.post("/api/payments", json=body, headers=customer.headers).status_code == 422


def test_payment_requires_login(client):
    assert client.post("/api/payments", json={"order_id": 1, "card": card()}).status_code == 401


def test_get_payment(client, shop):
    customer, _product, order, payment = shop.paid_order()
    r = client.get(f"/api/payments/{payment['id']}", headers=customer.headers)
    assert r.status_code == 200 and r.json()["order_id"] == order["id"]
    assert client.get(f"/api/payments/{payment['id']}", headers=shop.register().headers).status_code == 404


def test_partial_then_full_refund(client, shop, admin_headers):
    customer, _product, order, payment = shop.paid_order(quantity=2)
    total = order["total"]["amount_cents"]
    r = client.post(f"/api/payments/{payment['id']}/refunds", json={"amount_cents": 1000, "reason": "damaged"},
                    headers=admin_headers)
    assert r.status_code == 201
    assert r.json()["status"] == "partially_refunded"
    assert shop.order(customer, order["id"])["refunded"]["amount_cents"] == 1000
    r = client.post(f"/api/payments/{payment['id']}/refunds", json={}, headers=admin_headers)
    assert r.status_code == 201
    assert r.json()["status"] == "refunded"
    assert r.json()["refunded"]["amount_cents"] == total
    refunded = shop.order(customer, order["id"])
    assert refunded["status"] == "refunded" and refunded["refunded"]["amount_cents"] == total
    assert "refund_issued" in [e["template"] for e in shop.emails(customer)]


def test_refund_more_than_paid_is_conflict(client, shop, admin_headers):
    _customer, _product, order, payment = shop.paid_order()
    r = client.post(f"/api/payments/{payment['id']}/refunds",
                    json={"amount_cents": order["total"]["amount_cents"] + 1}, headers=admin_headers)
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "refund_exceeds_payment"


def test_refund_requires_admin(client, shop):
    customer, _product, _order, payment = shop.paid_order()
    assert client.post(f"/api/payments/{payment['id']}/refunds", json={}).status_code == 401
    assert client.post(f"/api/payments/{payment['id']}/refunds", json={}, headers=customer.headers).status_code == 401


def test_payment_receipt_email(shop):
    customer, _product, order, _payment = shop.paid_order()
    receipts = [e for e in shop.emails(customer) if e["template"] == "payment_receipt"]
    assert len(receipts) == 1 and order["number"] in receipts[0]["subject"]
