"""Categories, products and prices."""

from __future__ import annotations

from .helpers import unique


def test_create_category_generates_slug(client, admin_headers):
    name = unique("Fresh Beans")
    r = client.post("/api/catalog/categories", json={"name": name, "description": "roasted"}, headers=admin_headers)
    assert r.status_code == 201
    assert r.json()["slug"] == name.lower().replace(" ", "-")


def test_create_category_requires_admin_token(client):
    assert client.post("/api/catalog/categories", json={"name": unique()}).status_code == 401


def test_create_category_rejects_wrong_admin_token(client):
    r = client.post("/api/catalog/categories", json={"name": unique()}, headers={"X-Admin-Token": "guess"})
    assert r.status_code == 403


def test_duplicate_category_slug_is_conflict(client, shop, admin_headers):
    category = shop.create_category()
    r = client.post("/api/catalog/categories", json={"name": "Other", "slug": category["slug"]}, headers=admin_headers)
    assert r.status_code == 409


def test_list_and_get_categories(client, shop):
    category = shop.create_category()
    assert category["id"] in [c["id"] for c in client.get("/api/catalog/categories").json()]
    r = client.get(f"/api/catalog/categories/{category['id']}")
    assert r.status_code == 200 and r.json()["name"] == category["name"]


def test_unknown_category_is_404(client):
    assert client.get("/api/catalog/categories/999999999").status_code == 404


def test_create_product(client, shop):
    category = shop.create_category()
    product = shop.create_product(price_cents=4599, category_id=category["id"], description="Lovely")
    assert product["price"] == {"amount_cents": 4599, "currency": "EUR", "formatted": "€45.99"}
    assert product["category_id"] == category["id"]
    assert product["is_active"] is True


def test_create_product_duplicate_sku_is_conflict(client, admin_headers, product):
    r = client.post("/api/catalog/products", json={"sku": product["sku"], "name": "Dup", "price_cents": 100},
                    headers=admin_headers)
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "sku_taken"


def test_create_product_validation(client, admin_headers):
    r = client.post("/api/catalog/products", json={"sku": unique("SKU"), "name": "Free?", "price_cents": 0},
                    headers=admin_headers)
    assert r.status_code == 422


def test_create_product_unknown_category_is_404(client, admin_headers):
    r = client.post("/api/catalog/products",
                    json={"sku": unique("SKU"), "name": "X", "price_cents": 100, "category_id": 999999999},
                    headers=admin_headers)
    assert r.status_code == 404


def test_get_product_and_by_sku(client, product):
    assert client.get(f"/api/catalog/products/{product['id']}").json()["sku"] == product["sku"]
    assert client.get(f"/api/catalog/products/by-sku/{product['sku']}").json()["id"] == product["id"]


def test_unknown_product_is_404(client):
    assert client.get("/api/catalog/products/999999999").status_code == 404
    assert client.get(f"/api/catalog/products/by-sku/{unique('NOPE')}").status_code == 404


def test_list_products_filtered_by_category(client, shop):
    category = shop.create_category()
    mine = {shop.create_product(category_id=category["id"])["id"] for _ in range(3)}
    shop.create_product()  # elsewhere
    r = client.get("/api/catalog/products", params={"category_id": category["id"]})
    assert r.status_code == 200
    assert {p["id"] for p in r.json()["items"]} == mine
    assert r.json()["total"] == 3


def test_list_products_pagination(client, shop):
    category = shop.create_category()
    for _ in range(5):
        shop.create_product(category_id=category["id"])
    page1 = client.get("/api/catalog/products", params={"category_id": category["id"], "page_size": 2}).json()
    page3 = client.get("/api/catalog/products",
                       params={"category_id": category["id"], "page_size": 2, "page": 3}).json()
    assert page1["total"] == 5 and page1["pages"] == 3 and len(page1["items"]) == 2
    assert len(page3["items"]) == 1


def test_list_products_rejects_oversized_page(client):
    assert client.get("/api/catalog/products", params={"page_size": 1000}).status_code == 422


def test_search_products_by_text(client, shop):
    word = unique("zebra")
    wanted = shop.create_product(name=f"Striped {word} mug")
    r = client.get("/api/catalog/products", params={"q": word})
    assert [p["id"] for p in r.json()["items"]] == [wanted["id"]]


def test_update_product(client, admin_headers, product):
    r = client.patch(f"/api/catalog/products/{product['id']}", json={"name": "Renamed Product"}, headers=admin_headers)
    assert r.status_code == 200
    assert r.json()["name"] == "Renamed Product"
    assert r.json()["slug"] == "renamed-product"


def test_deactivated_product_disappears_from_listing(client, shop, admin_headers):
    category = shop.create_category()
    product = shop.create_product(category_id=category["id"])
    assert client.delete(f"/api/catalog/products/{product['id']}", headers=admin_headers).status_code == 204
    listed = client.get("/api/catalog/products", params={"category_id": category["id"]}).json()
    assert listed["total"] == 0
    with_inactive = client.get("/api/catalog/products",
                               params={"category_id": category["id"], "include_inactive": True}).json()
    assert with_inactive["items"][0]["is_active"] is False


def test_price_change_keeps_history(client, admin_headers, product):
    r = client.put(f"/api/catalog/products/{product['id']}/price", json={"amount_cents": 999}, headers=admin_headers)
    assert r.status_code == 200
    assert client.get(f"/api/catalog/products/{product['id']}").json()["price"]["amount_cents"] == 999
    history = client.get(f"/api/catalog/products/{product['id']}/prices").json()
    assert [p["amount_cents"] for p in history] == [1250, 999]
    assert history[0]["valid_to"] is not None and history[1]["valid_to"] is None


def test_price_change_requires_admin(client, product):
    assert client.put(f"/api/catalog/products/{product['id']}/price", json={"amount_cents": 1}).status_code == 401
