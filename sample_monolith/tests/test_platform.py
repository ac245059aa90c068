"""Health check, OpenAPI and back-office wiring endpoints."""

from __future__ import annotations


def test_healthz_reports_ok(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json()["status"] == "ok"
    assert r.json()["database"] == "ok"


def test_openapi_lists_the_api(client):
    r = client.get("/openapi.json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    assert "/api/orders/checkout" in paths
    assert "/api/admin/jobs/release-expired-reservations" in paths


def test_responses_carry_request_id(client):
    r = client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert r.headers["X-Request-ID"] == "abc-123"


def test_unknown_route_is_404_with_error_body(client):
    r = client.get("/api/does-not-exist")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"


def test_admin_events_lists_subscribers(client, admin_headers):
    r = client.get("/api/admin/events", headers=admin_headers)
    assert r.status_code == 200
    events = r.json()
    assert "sample_monolith.inventory.handlers.on_order_placed" in events["order.placed"]
    assert "sample_monolith.orders.handlers.on_payment_captured" in events["payment.captured"]
    assert "sample_monolith.notifications.handlers.on_shipment_dispatched" in events["shipment.dispatched"]


def test_admin_jobs_status(client, admin_headers):
    r = client.get("/api/admin/jobs", headers=admin_headers)
    assert r.status_code == 200
    names = {job["name"] for job in r.json()["jobs"]}
    assert {"release-expired-reservations", "flush-email-outbox"} <= names


def test_admin_endpoints_require_token(client):
    assert client.get("/api/admin/events").status_code == 401
    assert client.get("/api/admin/events", headers={"X-Admin-Token": "wrong"}).status_code == 403
