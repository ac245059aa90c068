"""Which modules a contract's names cover (migrator/planning/contracts.py: covered): a name and
what lies under it as whole dotted parts, never a module that only starts with the same letters."""

from __future__ import annotations

from migrator.planning.contracts import covered


def test_a_name_covers_itself_and_the_modules_under_it() -> None:
    modules = ["shop", "shop.orders", "shop.orders.views", "shop.orders_v2", "shop.ordersx.a", "shopping", "other.shop.orders"]
    assert covered(["shop.orders"], modules) == {"shop.orders", "shop.orders.views"}
    assert covered(["shop"], modules) == {"shop", "shop.orders", "shop.orders.views", "shop.orders_v2", "shop.ordersx.a"}
    assert covered([], modules) == set()
