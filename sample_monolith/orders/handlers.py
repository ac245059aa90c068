"""Orders' reactions to payment, shipping and inventory events."""

from __future__ import annotations

from datetime import datetime

from sample_monolith.common.events import Event, subscribe
from sample_monolith.orders import services


@subscribe("payment.captured")
def on_payment_captured(event: Event) -> None:
    services.mark_paid(
        event.require_session(),
        event.payload["order_id"],
        payment_reference=event.payload["payment_reference"],
        paid_at=datetime.fromisoformat(event.payload["captured_at"]),
    )


@subscribe("payment.refunded")
def on_payment_refunded(event: Event) -> None:
    services.apply_refund(event.require_session(), event.payload["order_id"], event.payload["amount_cents"])


@subscribe("shipment.dispatched")
def on_shipment_dispatched(event: Event) -> None:
    services.mark_shipped(
        event.require_session(),
        event.payload["order_id"],
        tracking_number=event.payload["tracking_number"],
        shipped_at=datetime.fromisoformat(event.payload["dispatched_at"]),
    )


@subscribe("shipment.delivered")
def on_shipment_delivered(event: Event) -> None:
    services.mark_delivered(
        event.require_session(),
        event.payload["order_id"],
        delivered_at=datetime.fromisoformat(event.payload["delivered_at"]),
    )


@subscribe("reservation.expired")
def on_reservation_expired(event: Event) -> None:
    services.mark_expired(event.require_session(), event.payload["order_id"])
