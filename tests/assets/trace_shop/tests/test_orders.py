import pytest

from shop import db, orders


@pytest.fixture(scope="session", autouse=True)
def schema():
    db.create_schema()


def test_place_order():
    assert orders.place("tea", 2) == 8
    assert orders.place("cup", 1) == 7


def test_unknown_sku_is_no_order():
    assert orders.place("coffee", 1) is None


def test_return_restocks():
    from shop import returns

    assert returns.take_back("tea", 1) is True
