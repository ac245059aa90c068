"""plan.md for names that are Markdown: parsed back by a CommonMark parser (with GFM tables), the
names read as written and nothing in them turns into markup."""

from __future__ import annotations

from dataclasses import replace

from markdown_it import MarkdownIt
from markdown_it.token import Token

from migrator.model.plan import (
    Coupling, Crossing, DataIssue, MigrationPlan, ServiceScope, Transaction, Violation, Wave,
)
from migrator.model.service_plan import HeldRoute
from migrator.reporting.plan_markdown import render_plan_markdown

EVIL = "*a* | <b>x</b> [l](http://e.x) `c` &amp; ~~s~~ _u_ \\"
ROUTE = "GET /api/`x`|y"
MARKUP = {"em_open", "strong_open", "link_open", "image", "html_inline", "html_block", "s_open"}


def _plan() -> MigrationPlan:
    return MigrationPlan(
        services=(ServiceScope(EVIL, ("shop.evil",), (), (EVIL,), (ROUTE,), ("event:*e*",), (), (), {"orders": 1}, {}),
                  ServiceScope("orders", ("shop.orders",), (), (), (), (), (), (), {}, {EVIL: 1})),
        shared=(), infrastructure=(),
        crossings=(Crossing("rest", "call", "shop.orders.place", "shop.evil.charge", "orders", EVIL, ("shop/<o>.py:1",)),),
        data=(DataIssue("api_or_read_model", EVIL, EVIL, ("orders",), (("shop.orders.Order", EVIL),), ("read *it*",), (), "a | b"),),
        transactions=(Transaction("shop.orders.place", ("orders", EVIL), (EVIL,), ("shop.orders.place", "shop.evil.charge")),),
        waves=(Wave(1, (EVIL,), 2, 3, (f"ties to {EVIL}",), (ROUTE,)),),
        violations=(Violation("shop.evil", "shop.orders", EVIL, ("shop/[x].py:3",)),),
        couplings=(Coupling("sync_call", "shop.orders.place", "shop.evil.charge", "rest", ("a|b",)),),
        importlinter="[importlinter]\n```\nroot_packages =\n    shop\n",
    )


def _text(inline: Token) -> str:
    return "".join(child.content for child in inline.children or () if child.type in ("text", "code_inline"))


def test_names_from_the_code_stay_text_in_plan_md() -> None:
    tokens = MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(render_plan_markdown(_plan()))
    every = [t for token in tokens for t in [token, *(token.children or ())]]
    assert not [t.type for t in every if t.type in MARKUP]
    headings = [_text(tokens[i + 1]) for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h3"]
    assert headings == [" ".join(EVIL.split()), "orders"]
    cells = [_text(tokens[i + 1]) for i, t in enumerate(tokens) if t.type == "td_open"]
    assert " ".join(EVIL.split()) in cells and "a | b" in cells and f"{' '.join(EVIL.split())} → orders" not in cells
    assert f"orders → {' '.join(EVIL.split())}" in cells
    rows = [t for t in tokens if t.type in ("tr_open", "tr_close", "th_open", "td_open")]
    widths, count = [], 0
    for token in rows:
        if token.type == "tr_close":
            widths.append(count)
            count = 0
        elif token.type != "tr_open":
            count += 1
    assert len(widths) > 10 and all(width in (4, 5, 6, 7) for width in widths)  # no cell split by a '|' of a name
    fence = next(t for t in tokens if t.type == "fence")
    assert fence.info == "ini" and fence.content == _plan().importlinter.rstrip() + "\n"
    moves = next(_text(tokens[i + 1]) for i, t in enumerate(tokens) if t.type == "paragraph_open" and _text(tokens[i + 1]).startswith("Wave 1"))
    assert moves == f"Wave 1 ({' '.join(EVIL.split())}) moves: {ROUTE}"


def test_routes_the_gateway_holds_are_listed_with_their_reason() -> None:
    held = (HeldRoute("GET /{?}/items/", EVIL, "part of its path is a value migrator could not read, written {?}"),)
    tokens = MarkdownIt("commonmark").parse(render_plan_markdown(replace(_plan(), held_routes=held)))
    assert not [t.type for token in tokens for t in [token, *(token.children or ())] if t.type in MARKUP]
    items = [_text(tokens[i + 2]) for i, t in enumerate(tokens) if t.type == "list_item_open"]
    assert f"GET /{{?}}/items/ of {' '.join(EVIL.split())}: part of its path is a value migrator could not read, written {{?}}" in items
    assert "1 route stays with the monolith at the gateway" in render_plan_markdown(replace(_plan(), held_routes=held))
