"""Which functions raise (analyzers/runtime_facts.py: raising_functions): only their own bodies count."""

from __future__ import annotations

import textwrap

from analyzers.runtime_facts import raising_functions

SOURCE = textwrap.dedent('''
    def refuses(order):
        if not order:
            raise ValueError("empty")


    def passes_on():
        try:
            pay()
        except KeyError:
            raise


    def nests():
        def inner():
            raise RuntimeError
        return inner


    class Orders:
        def cancel(self):
            raise PermissionError(
                "no"
            )

        def total(self):  # says raise in a comment only
            return 1
''')


def test_a_function_raises_when_its_own_body_raises_an_exception() -> None:
    found = raising_functions([("shop.orders", SOURCE), ("shop.calm", "def calm():\n    return 1\n"), ("shop.broken", "def (:\n  raise X\n")])
    assert found == {"shop.orders.refuses", "shop.orders.Orders.cancel"}
