"""The shopping cart."""

from __future__ import annotations


def test_cart_starts_empty(client, customer):
    r = client.get("/api/cart", headers=customer.headers)
    assert r.status_code == 200
    assert r.json()["items"] == [] and r.json()["subtotal"]["amount_cents"] == 0


def test_cart_requires_login(client):
    assert client.get("/api/cart").status_code == 401


def test_add_item_prices_the_cart(shop, customer, product):
    r = shop.add_to_cart(customer, product["id"], 2)
    assert r.status_code == 201
    cart = r.json()
    assert cart["item_count"] == 2
    assert cart["items"][0]["unit_price"]["amount_cents"] == 1250
    assert cart["subtotal"]["amount_cents"] == 2500


def test_adding_same_product_increases_quantity(shop, customer, product):
    shop.add_to_cart(customer, product["id"], 1)
    cart = shop.add_to_cart(customer, product["id"], 2).json()
    assert len(cart["items"]) == 1 and cart["items"][0]["quantity"] == 3


def test_update_item_quantity(client, shop, customer, product):
    shop.add_to_cart(customer, product["id"], 1)
    r = client.put(f"/api/cart/items/{product['id']}", json={"quantity": 5}, headers=customer.headers)
    assert r.status_code == 200
    assert r.json()["items"][0]["quantity"] == 5


def test_remove_item(client, shop, customer, product):
    other = shop.create_product()
    shop.add_to_cart(customer, product["id"], 1)
    shop.add_to_cart(customer, other["id"], 1)
    r = client.delete(f"/api/cart/items/{product['id']}", headers=customer.headers)
    assert r.status_code == 200
    assert [i["product_id"] for i in r.json()["items"]] == [other["id"]]


def test_remove_item_not_in_cart_is_404(client, customer, product):
    assert client.delete(f"/api/cart/items/{product['id']}", headers=customer.headers).status_code == 404


def test_clear_cart(client, shop, customer, product):
    shop.add_to_cart(customer, product["id"], 1)
    assert client.delete("/api/cart", headers=customer.headers).status_code == 204
    assert client.get("/api/cart", headers=customer.headers).json()["items"] == []


def test_add_unknown_product_is_404(shop, customer):
    assert shop.add_to_cart(customer, 999999999, 1).status_code == 404


def test_add_zero_quantity_is_422(shop, customer, product):
    assert shop.add_to_cart(customer, product["id"], 0).status_code == 422


def test_add_more_than_available_is_409(shop, customer):
    product = shop.create_product(stock=2)
    r = shop.add_to_cart(customer, product["id"], 3)
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "out_of_stock"


def test_add_inactive_product_is_409(client, shop, admin_headers, customer, product):
    client.delete(f"/api/catalog/products/{product['id']}", headers=admin_headers)
    r = shop.add_to_cart(customer, product["id"], 1)
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "product_unavailable"


def test_cart_shows_current_price(client, shop, admin_headers, customer, product):
    shop.add_to_cart(customer, product["id"], 2)
    client.put(f"/api/catalog/products/{product['id']}/price", json={"amount_cents": 1000}, headers=admin_headers)
    cart = client.get("/api/cart", headers=customer.headers).json()
    assert cart["subtotal"]["amount_cents"] == 2000


def test_carts_are_per_customer(client, shop, customer, product):
    shop.add_to_cart(customer, product["id"], 1)
    other = shop.register()
    assert client.get("/api/cart", headers=other.headers).json()["items"] == []
