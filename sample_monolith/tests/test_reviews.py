"""Product reviews by verified buyers."""

from __future__ import annotations


def _review(client, customer, product_id, rating=5, title="Great"):
    return client.post(f"/api/reviews/products/{product_id}", json={"rating": rating, "title": title, "body": "Nice."},
                       headers=customer.headers)


def test_buyer_can_review(client, shop):
    customer, product, _order, _payment = shop.paid_order()
    r = _review(client, customer, product["id"], rating=4)
    assert r.status_code == 201
    assert r.json()["verified_purchase"] is True
    assert r.json()["author"] == "Test B."
    assert r.json()["rating"] == 4


def test_non_buyer_cannot_review(client, customer, product):
    r = _review(client, customer, product["id"])
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "not_a_buyer"


def test_unpaid_order_does_not_count_as_purchase(client, shop, customer, product):
    shop.checkout(customer, [(product, 1)])
    assert _review(client, customer, product["id"]).status_code == 403


def test_rating_out_of_range_is_422(client, shop):
    customer, product, _order, _payment = shop.paid_order()
    assert _review(client, customer, product["id"], rating=6).status_code == 422
    assert _review(client, customer, product["id"], rating=0).status_code == 422


def test_second_review_is_conflict(client, shop):
    customer, product, _order, _payment = shop.paid_order()
    assert _review(client, customer, product["id"]).status_code == 201
    assert _review(client, customer, product["id"]).status_code == 409


def test_review_requires_login(client, product):
    assert client.post(f"/api/reviews/products/{product['id']}", json={"rating": 5, "title": "x"}).status_code == 401


def test_review_unknown_product_is_404(client, customer):
    assert _review(client, customer, 999999999).status_code == 404


def test_list_reviews_and_summary(client, shop):
    product = shop.create_product()
    for rating in (5, 4, 4):
        customer, *_ = shop.paid_order(product=product)
        assert _review(client, customer, product["id"], rating=rating).status_code == 201
    listing = client.get(f"/api/reviews/products/{product['id']}").json()
    assert listing["total"] == 3
    assert sorted(r["rating"] for r in listing["items"]) == [4, 4, 5]
    assert client.get(f"/api/reviews/products/{product['id']}", params={"min_rating": 5}).json()["total"] == 1
    summary = client.get(f"/api/reviews/products/{product['id']}/summary").json()
    assert summary["count"] == 3
    assert summary["average"] == 4.33
    assert summary["histogram"] == {"1": 0, "2": 0, "3": 0, "4": 2, "5": 1}


def test_summary_without_reviews(client, product):
    summary = client.get(f"/api/reviews/products/{product['id']}/summary").json()
    assert summary["count"] == 0 and summary["average"] is None


def test_my_reviews_and_delete(client, shop):
    customer, product, _order, _payment = shop.paid_order()
    review = _review(client, customer, product["id"]).json()
    assert [r["id"] for r in client.get("/api/reviews/me", headers=customer.headers).json()] == [review["id"]]
    assert client.delete(f"/api/reviews/{review['id']}", headers=shop.register().headers).status_code == 404
    assert client.delete(f"/api/reviews/{review['id']}", headers=customer.headers).status_code == 204
    assert client.get(f"/api/reviews/products/{product['id']}").json()["total"] == 0
