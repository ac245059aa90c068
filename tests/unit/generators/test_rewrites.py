"""The modules' rewrites as jobs (generators/service/rewrites.py): each copy a job makes is the
text the whole-module rewrite makes (carry_module, then service_module), while a module that
names nothing that changes is never parsed with libcst."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from generators.carry import carry_module
from generators.service.code import RemoteCall, service_module
from generators.service.rewrites import AS_CARRIED, UNREADABLE, Context, ModuleJob, Variant, read_mentions, run_job

MOVES = {"shop.common": "shop_shared.common", "shop.common.money": "shop_shared.common.money"}
MODULES = frozenset({"shop", "shop.common", "shop.common.money", "shop.orders", "shop.orders.models", "shop.orders.views", "shop.catalog"})
CONTEXT = Context(MOVES, MODULES)
CALL = RemoteCall("orders", "/internal/shop/orders/views/total", True)

SOURCES = {
    "imports": '''\
        """Relative, absolute and string forms; a line of two statements."""
        from __future__ import annotations
        import os; import shop.common.money
        from ..common import money as m
        from shop.common.money import cents  # kept comment
        from . import models

        APP = "shop.common.money:cents"
        NOT_A_NAME = "shop.common and more"


        def total(order):
            return shop.common.money.cents(order) + m.cents(order)
    ''',
    "handlers": '''\
        import shop.common

        # the comment above the handler goes with it
        @route("/orders")
        def list_orders():
            return []


        if shop.common:
            def total(order):
                """Sum."""
                return order.amount
        else:
            pass


        class Order:
            def total(self):
                return 1


        def last():
            return "end"
    ''',
    "keys": '''\
        from sqlalchemy import Column, ForeignKey, Integer

        class Line:
            product = Column(Integer, ForeignKey("products.id"), nullable=False)
            order = Column(Integer, ForeignKey("orders.id"))
        x = 1; y = ForeignKey("products.id")
    ''',
    "untouched": '''\
        """Nothing here names a moved module, a handler or a table."""
        import json


        def dump(value):
            return json.dumps(value)
    ''',
    "no newline at the end": 'from shop.common import money\nVALUE = money',
    "a header, then the function": '# header\n\n# more\n@decorated\n# between\n@route("/t")\ndef total(order: "Order", db: Session) -> int:\n    """Sum."""\n    return 1\n',
    "a docstring, future imports and comments before the first statement": (
        '"""Doc."""\nfrom __future__ import annotations; import os\n# a comment\n\nfrom shop.common import money\n\n\n'
        'def total(order, *args, **kwargs):\n    return money\n'
    ),
    "a first block indented otherwise than the function": 'if True:\n\tX = 1\n\n\ndef total(order):\n    return "shop.common"\n',
    "comments after a body, which libcst gives the body": (
        'def total(order):\n    x = 1\n    # deep\n\n  # mid\n# top\n\n    # deep again\n\n\ndef last():\n    return 1\n    ### end ###\n# top\n'
    ),
    "functions in blocks, a foreign key beside them": (
        'from sqlalchemy import ForeignKey\ntry:\n    def total(order):\n        return 1\nexcept ImportError:\n    pass\n'
        'with open("x") as f:\n    def last(): return ForeignKey("orders.id")\nclass Line:\n    order = ForeignKey("orders.id"); products = ForeignKey("products.id")\n'
    ),
}
VARIANTS = (
    AS_CARRIED,
    Variant(drop=frozenset({"products", "customers"})),
    Variant(remove=frozenset({"list_orders", "last", "absent"})),
    Variant(remote=(("total", CALL), ("missing", CALL)), client_module="orders_service.runtime.client"),
    Variant(drop=frozenset({"orders"}), remove=frozenset({"list_orders"}), remote=(("total", CALL),), client_module="c.runtime.client"),
)


def whole_module(source: str, variant: Variant) -> str:
    """What the services carried before jobs: every module carried whole, then each copy rewritten whole."""
    carried = carry_module(source, module="shop.orders.views", is_package=False, moves=MOVES, modules=MODULES).text
    return service_module(source, module="shop.orders.views", is_package=False, moves=MOVES, drop_foreign_keys_to=variant.drop,
                          remove=variant.remove, remote=dict(variant.remote), client_module=variant.client_module, carried=carried)


@pytest.mark.parametrize("name", list(SOURCES))
def test_each_copy_is_what_the_whole_module_rewrite_gives(name: str) -> None:
    source = textwrap.dedent(SOURCES[name])
    job = ModuleJob("shop.orders.views", source, False, VARIANTS)
    result = run_job(job, CONTEXT)
    for variant in VARIANTS:
        assert result.text(job, variant, CONTEXT) == whole_module(source, variant), variant


def test_a_module_that_names_nothing_that_changes_is_not_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object) -> None:
        raise AssertionError("parsed with libcst")

    monkeypatch.setattr(cst, "parse_module", refuse)
    source = textwrap.dedent(SOURCES["untouched"])
    job = ModuleJob("shop.orders.views", source, False, VARIANTS)
    result = run_job(job, CONTEXT)
    assert result.carried is None and not result.texts
    assert all(result.text(job, variant, CONTEXT) == source for variant in VARIANTS)


def test_what_ast_cannot_read_is_rewritten_whole() -> None:
    source = "from shop.common import money\nprint 'old'\n"
    assert read_mentions(source, module="shop.x", is_package=False).count == UNREADABLE
    with pytest.raises(cst.ParserSyntaxError):  # libcst cannot either: the error is the parser's, as before
        run_job(ModuleJob("shop.x", source, False, VARIANTS), CONTEXT)


@pytest.mark.parametrize("name", list(SOURCES))
def test_a_file_outside_the_graph_is_carried_as_carry_module_carries_it_without_the_modules(name: str) -> None:
    source = textwrap.dedent(SOURCES[name])
    result = run_job(ModuleJob("shop.migrations.m0002", source, False, in_graph=False), CONTEXT)
    expected = carry_module(source, module="shop.migrations.m0002", is_package=False, moves=MOVES).text
    assert (source if result.carried is None else result.carried) == expected


def test_a_file_outside_the_graph_that_does_not_parse_is_carried_as_it_is() -> None:
    source = "from shop.common import money\nprint 'old'\n"
    result = run_job(ModuleJob("shop.migrations.m0003", source, False, in_graph=False), CONTEXT)
    assert result.carried is None


SPLICED = {
    "statements sharing lines": 'import os; from shop.common import money\nx = (1,\n     2); from shop.common.money import cents\nfrom shop.common import money as a; y = (\n    3)\n',
    "a decorated function and a class": '@decorate("shop.common.money")\n# between\n@other\ndef f():\n    """shop.common"""\n    return "shop.common.money:cents"\n\n\nclass C:\n    NAME = "shop.common"\n',
    "a parenthesised import split in two": 'from shop.common import (  # why\n    money,\n    other as o,\n)\n\nVALUE = 1\n',
    "joined with a backslash": 'x = 1; \\\nfrom shop.common import money\ny = "shop.common"\\\n\n',
    "a multi-line string around a moved name": 'DOC = """\nfrom shop.common import money\n"""\nfrom shop.common import money\n',
    "line ends other than LF": 'from shop.common import money\r\nVALUE = "shop.common.money"\r\n',
    "a form feed": 'import os\n\x0cfrom shop.common import money\n',
    "a comment and blank lines at the end": 'from shop.common import money\n\n# the end\n\n',
    "compound statements": 'if True:\n    from shop.common import money\nelse:  # else\n    pass\n    # inside\n# outside\ntry:\n    import shop.common.money as m\nexcept ImportError:\n    m = None\n',
    "a moved plain import, and the names that follow it": (
        'import shop.common.money\nimport shop\n\n\n@shop.common.money.cached\ndef f(x=shop.common.money.ZERO):\n    return f"{shop.common.money.cents(x)}"\n\n\n'
        'VALUE = shop.common\nOTHER = (shop\n    .common.money.cents)\nfrom shop.common import money\n'
    ),
    "concatenated and f-strings": 'A = "shop." "common"\nB = f"{1}shop.common"\nC = ("shop.common"\n     "x")\nD = "shop.common"',
}


@pytest.mark.parametrize("name", list(SPLICED))
def test_a_module_carried_statement_by_statement_is_what_the_whole_module_rewrite_gives(name: str) -> None:
    source = SPLICED[name]
    for module, in_graph in (("shop.orders.views", True), ("shop.migrations.m0002", False)):
        result = run_job(ModuleJob(module, source, False, in_graph=in_graph), CONTEXT)
        expected = carry_module(source, module=module, is_package=False, moves=MOVES, modules=MODULES if in_graph else ()).text
        assert (source if result.carried is None else result.carried) == expected, module


def test_only_the_statements_that_change_are_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    source = '"""A module."""\nimport json\n\n\ndef dump(value):\n    return json.dumps(value)\n\n\nfrom shop.common import money  # late\nVALUE = 1\n'
    parsed: list[str] = []
    parse = cst.parse_module
    monkeypatch.setattr(cst, "parse_module", lambda text, *args, **kwargs: parsed.append(text) or parse(text, *args, **kwargs))
    result = run_job(ModuleJob("shop.orders.views", source, False), CONTEXT)
    assert result.carried == source.replace("from shop.common import money", "from shop_shared.common import money")
    assert parsed == ["from shop.common import money  # late\n"]


@pytest.mark.parametrize("name", list(SOURCES))
def test_each_copy_without_a_removed_handler_is_what_the_whole_module_rewrite_gives(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    source = textwrap.dedent(SOURCES[name])
    parsed: list[str] = []
    parse = cst.parse_module
    monkeypatch.setattr(cst, "parse_module", lambda text, *args, **kwargs: parsed.append(text) or parse(text, *args, **kwargs))
    variants = tuple(variant for variant in VARIANTS if not variant.remove)
    job = ModuleJob("shop.orders.views", source, False, variants)
    result = run_job(job, CONTEXT)
    parsed_whole = source in parsed
    monkeypatch.undo()
    for variant in variants:
        assert result.text(job, variant, CONTEXT) == whole_module(source, variant), variant
    if name in ("a header, then the function", "a docstring, future imports and comments before the first statement", "keys",
                "comments after a body, which libcst gives the body"):
        assert not parsed_whole  # only the statements that change were parsed
