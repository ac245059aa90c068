"""Registration, login tokens, profile and addresses."""

from __future__ import annotations

from .helpers import PASSWORD, unique


def test_register_returns_customer(client):
    email = f"{unique('reg')}@Example.com"
    r = client.post("/api/accounts/register", json={"email": email, "password": PASSWORD, "full_name": "Ada Lovelace"})
    assert r.status_code == 201
    body = r.json()
    assert body["email"] == email.lower()
    assert body["full_name"] == "Ada Lovelace"
    assert "password" not in body and "password_hash" not in body


def test_register_duplicate_email_is_conflict(client, customer):
    r = client.post("/api/accounts/register", json={"email": customer.email, "password": PASSWORD, "full_name": "X"})
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "email_taken"


def test_register_rejects_invalid_email(client):
    r = client.post("/api/accounts/register", json={"email": "not-an-email", "password": PASSWORD, "full_name": "X"})
    assert r.status_code == 422


def test_register_rejects_short_password(client):
    r = client.post(
        "/api/accounts/register", json={"email": f"{unique()}@example.com", "password": "short", "full_name": "X"}
    )
    assert r.status_code == 422


def test_login_returns_bearer_token(client, customer):
    r = client.post("/api/accounts/login", json={"email": customer.email, "password": customer.password})
    assert r.status_code == 200
    assert r.json()["token_type"] == "bearer"
    assert r.json()["access_token"]


def test_login_wrong_password_is_401(client, customer):
    r = client.post("/api/accounts/login", json={"email": customer.email, "password": "wrong-password"})
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "invalid_credentials"


def test_login_unknown_email_is_401(client):
    r = client.post("/api/accounts/login", json={"email": f"{unique()}@example.com", "password": PASSWORD})
    assert r.status_code == 401


def test_me_requires_token(client):
    r = client.get("/api/accounts/me")
    assert r.status_code == 401
    assert r.headers.get("www-authenticate") == "Bearer"


def test_me_rejects_garbage_token(client):
    assert client.get("/api/accounts/me", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_me_returns_current_customer(client, customer):
    r = client.get("/api/accounts/me", headers=customer.headers)
    assert r.status_code == 200
    assert r.json()["id"] == customer.id
    assert r.json()["email"] == customer.email


def test_update_profile(client, customer):
    r = client.patch("/api/accounts/me", json={"full_name": "Grace Hopper", "marketing_opt_in": True},
                     headers=customer.headers)
    assert r.status_code == 200
    assert r.json()["full_name"] == "Grace Hopper"
    assert client.get("/api/accounts/me", headers=customer.headers).json()["marketing_opt_in"] is True


def test_logout_revokes_token(client, customer):
    assert client.post("/api/accounts/logout", headers=customer.headers).status_code == 204
    assert client.get("/api/accounts/me", headers=customer.headers).status_code == 401


def test_change_password(client, shop, customer):
    other_session = shop.login(customer.email, customer.password)
    r = client.post("/api/accounts/me/password",
                    json={"current_password": customer.password, "new_password": "brand-new-secret"},
                    headers=customer.headers)
    assert r.status_code == 204
    # the token used for the change stays valid, other sessions are logged out
    assert client.get("/api/accounts/me", headers=customer.headers).status_code == 200
    assert client.get("/api/accounts/me", headers={"Authorization": f"Bearer {other_session}"}).status_code == 401
    assert client.post("/api/accounts/login",
                       json={"email": customer.email, "password": customer.password}).status_code == 401
    assert client.post("/api/accounts/login",
                       json={"email": customer.email, "password": "brand-new-secret"}).status_code == 200


def test_change_password_with_wrong_current_password(client, customer):
    r = client.post("/api/accounts/me/password",
                    json={"current_password": "not-my-password", "new_password": "brand-new-secret"},
                    headers=customer.headers)
    assert r.status_code == 401


def test_first_address_becomes_default(client, shop, customer):
    first = shop.add_address(customer)
    second = shop.add_address(customer, country="FR")
    assert first["is_default"] is True
    assert second["is_default"] is False
    listed = client.get("/api/accounts/me/addresses", headers=customer.headers).json()
    assert [a["id"] for a in listed] == [first["id"], second["id"]]


def test_set_default_address(client, shop, customer):
    shop.add_address(customer)
    second = shop.add_address(customer, country="AT")
    r = client.post(f"/api/accounts/me/addresses/{second['id']}/default", headers=customer.headers)
    assert r.status_code == 200
    defaults = [a["id"] for a in client.get("/api/accounts/me/addresses", headers=customer.headers).json()
                if a["is_default"]]
    assert defaults == [second["id"]]


def test_delete_address(client, shop, customer):
    address = shop.add_address(customer)
    assert client.delete(f"/api/accounts/me/addresses/{address['id']}", headers=customer.headers).status_code == 204
    assert client.get(f"/api/accounts/me/addresses/{address['id']}", headers=customer.headers).status_code == 404


def test_other_customers_address_is_not_found(client, shop, customer):
    address = shop.add_address(customer)
    intruder = shop.register()
    assert client.get(f"/api/accounts/me/addresses/{address['id']}", headers=intruder.headers).status_code == 404


def test_address_validation(client, customer):
    r = client.post("/api/accounts/me/addresses",
                    json={"recipient_name": "X", "line1": "Y", "city": "Z", "postal_code": "123", "country": "germany"},
                    headers=customer.headers)
    assert r.status_code == 422


def test_welcome_email_is_queued(shop, customer):
    templates = [e["template"] for e in shop.emails(customer)]
    assert templates == ["welcome"]
