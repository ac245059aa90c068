"""Notifications' reactions to other domains' events: one e-mail each."""

from __future__ import annotations

from sample_monolith.common.events import Event, subscribe
from sample_monolith.notifications.services import queue_email
from sample_monolith.utils import format_currency


def _first_name(full_name: str | None) -> str:
    return (full_name or "").split(" ")[0] or "there"


@subscribe("customer.registered")
def on_customer_registered(event: Event) -> None:
    p = event.payload
    queue_email(
        event.require_session(),
        to=p["email"],
        template="welcome",
        context={"first_name": _first_name(p.get("full_name"))},
        customer_id=p["customer_id"],
    )


@subscribe("order.placed")
def on_order_placed(event: Event) -> None:
    p = event.payload
    lines = "\n".join(
        f"  {line['quantity']} x {line['name']} ({format_currency(line['unit_price_cents'], p['currency'])})"
        for line in p["lines"]
    )
    queue_email(
        event.require_session(),
        to=p["customer_email"],
        template="order_confirmation",
        context={
            "first_name": _first_name(p.get("customer_name")),
            "order_number": p["order_number"],
            "total": format_currency(p["total_cents"], p["currency"]),
            "lines": lines,
            "payment_due_at": p["payment_due_at"][:16].replace("T", " "),
        },
        customer_id=p["customer_id"],
    )


@subscribe("payment.captured")
def on_payment_captured(event: Event) -> None:
    p = event.payload
    queue_email(
        event.require_session(),
        to=p["customer_email"],
        template="payment_receipt",
        context={
            "order_number": p["order_number"],
            "amount": format_currency(p["amount_cents"], p["currency"]),
            "payment_reference": p["payment_reference"],
        },
        customer_id=p["customer_id"],
    )


@subscribe("shipment.dispatched")
def on_shipment_dispatched(event: Event) -> None:
    p = event.payload
    queue_email(
        event.require_session(),
        to=p["customer_email"],
        template="shipment_dispatched",
        context={
            "order_number": p["order_number"],
            "carrier": p["carrier"].upper(),
            "tracking_number": p["tracking_number"],
            "estimated_delivery": p.get("estimated_delivery") or "soon",
        },
        customer_id=p["customer_id"],
    )


@subscribe("payment.refunded")
def on_payment_refunded(event: Event) -> None:
    p = event.payload
    queue_email(
        event.require_session(),
        to=p["customer_email"],
        template="refund_issued",
        context={"order_number": p["order_number"], "amount": format_currency(p["amount_cents"], p["currency"])},
        customer_id=p["customer_id"],
    )
