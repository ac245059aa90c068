"""Background jobs (triggered through the admin API) and the e-mail outbox."""

from __future__ import annotations


def _expire_reservations(client, admin_headers, order_id):
    reservations = client.get("/api/inventory/reservations", params={"order_id": order_id},
                              headers=admin_headers).json()
    assert reservations
    for reservation in reservations:
        r = client.patch(f"/api/inventory/reservations/{reservation['id']}",
                         json={"expires_at": "2000-01-01T00:00:00Z"}, headers=admin_headers)
        assert r.status_code == 200, r.text
    return reservations


def test_release_expired_reservations_job(client, shop, admin_headers, customer, product):
    order = shop.checkout(customer, [(product, 4)])
    assert shop.stock(product["id"])["available"] == 6
    _expire_reservations(client, admin_headers, order["id"])
    r = client.post("/api/admin/jobs/release-expired-reservations", headers=admin_headers)
    assert r.status_code == 200
    assert set(r.json()) == {"released", "order_ids"}
    # state-based assertions: the scheduler of a live deployment may have run first
    assert shop.stock(product["id"])["available"] == 10
    reservations = client.get("/api/inventory/reservations", params={"order_id": order["id"]},
                              headers=admin_headers).json()
    assert {(res["status"], res["release_reason"]) for res in reservations} == {("released", "expired")}
    expired = shop.order(customer, order["id"])
    assert expired["status"] == "expired"


def test_expired_order_cannot_be_paid(client, shop, admin_headers, customer, product):
    order = shop.checkout(customer, [(product, 1)])
    _expire_reservations(client, admin_headers, order["id"])
    client.post("/api/admin/jobs/release-expired-reservations", headers=admin_headers)
    r = shop.pay(customer, order["id"])
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "order_not_payable"


def test_job_leaves_unexpired_reservations_alone(client, shop, admin_headers, customer, product):
    order = shop.checkout(customer, [(product, 2)])
    client.post("/api/admin/jobs/release-expired-reservations", headers=admin_headers)
    assert shop.order(customer, order["id"])["status"] == "pending_payment"
    assert shop.stock(product["id"])["reserved"] == 2


def test_only_active_reservations_can_be_rescheduled(client, shop, admin_headers):
    _customer, _product, order, _payment = shop.paid_order()
    reservation = client.get("/api/inventory/reservations", params={"order_id": order["id"]},
                             headers=admin_headers).json()[0]
    assert reservation["status"] == "committed"
    r = client.patch(f"/api/inventory/reservations/{reservation['id']}", json={"expires_at": "2000-01-01T00:00:00"},
                     headers=admin_headers)
    assert r.status_code == 409


def test_jobs_require_admin(client):
    assert client.post("/api/admin/jobs/release-expired-reservations").status_code == 401
    assert client.post("/api/admin/jobs/flush-email-outbox", headers={"X-Admin-Token": "nope"}).status_code == 403


def test_flush_email_outbox_marks_emails_sent(client, shop, admin_headers, customer):
    assert [e["status"] for e in shop.emails(customer)] in (["pending"], ["sent"])
    for _ in range(50):  # drain the (possibly shared) outbox until our e-mail went out
        r = client.post("/api/admin/jobs/flush-email-outbox", params={"limit": 500}, headers=admin_headers)
        assert r.status_code == 200
        if shop.emails(customer)[0]["status"] == "sent":
            break
    welcome = shop.emails(customer)[0]
    assert welcome["status"] == "sent" and welcome["sent_at"] is not None


def test_outbox_admin_listing(client, admin_headers, customer):
    r = client.get("/api/notifications/outbox", params={"to": customer.email}, headers=admin_headers)
    assert r.status_code == 200
    assert r.json()["total"] == 1
    assert r.json()["items"][0]["template"] == "welcome"
    assert client.get("/api/notifications/outbox", params={"status": "bogus"},
                      headers=admin_headers).status_code == 422


def test_customer_only_sees_own_emails(shop, customer):
    other = shop.register()
    assert {e["to_address"] for e in shop.emails(other)} == {other.email}
