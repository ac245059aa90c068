"""A module of another service as a service holds it: handlers removed, called functions replaced
by client calls."""

from __future__ import annotations

import textwrap

from generators.service.code import RemoteCall, service_module

VIEWS = textwrap.dedent('''\
    from shop.web import router


    @router.get("/invoices")
    def invoices():
        return []


    @router.get("/invoices/{number}")
    def invoice(number: int):
        return {"number": number}
''')


def test_a_handler_the_service_calls_becomes_a_client_call_the_others_go() -> None:
    code = service_module(
        VIEWS, module="shop.billing.views", is_package=False, moves={}, drop_foreign_keys_to=(), remove=("invoices", "invoice"),
        remote={"invoice": RemoteCall("billing", "/internal/shop/billing/views/invoice", True)}, client_module="orders_service.runtime.client",
    )
    assert "def invoices" not in code
    assert "return _migrator_call('billing', '/internal/shop/billing/views/invoice', {'number': number}, idempotent=True)" in code
    assert "@router" not in code  # the copy registers no route: the gateway sends the path to billing
    compile(code, "views.py", "exec")
