"""Reporting keeps ``daily_sales`` up to date from order and payment events."""

from __future__ import annotations

from datetime import datetime

from sample_monolith.common.events import Event, subscribe
from sample_monolith.reporting import services


@subscribe("order.placed")
def on_order_placed(event: Event) -> None:
    p = event.payload
    services.record_order_placed(
        event.require_session(),
        datetime.fromisoformat(p["placed_at"]).date(),
        total_cents=p["total_cents"],
        items=sum(line["quantity"] for line in p["lines"]),
        currency=p["currency"],
    )


@subscribe("payment.captured")
def on_payment_captured(event: Event) -> None:
    p = event.payload
    services.record_payment_captured(
        event.require_session(),
        datetime.fromisoformat(p["captured_at"]).date(),
        amount_cents=p["amount_cents"],
        currency=p["currency"],
    )


@subscribe("payment.refunded")
def on_payment_refunded(event: Event) -> None:
    p = event.payload
    services.record_refund(
        event.require_session(),
        datetime.fromisoformat(p["refunded_at"]).date(),
        amount_cents=p["amount_cents"],
        currency=p["currency"],
    )
