"""Inventory's reactions to other domains' events."""

from __future__ import annotations

import logging
from datetime import datetime

from sample_monolith.common.events import Event, subscribe
from sample_monolith.inventory import services

logger = logging.getLogger(__name__)


@subscribe("order.placed")
def on_order_placed(event: Event) -> None:
    """Reserve stock for the new order, in the checkout's own transaction.

    Raising ``OutOfStockError`` here makes the whole checkout fail with 409.
    """
    payload = event.payload
    quantities: dict[int, int] = {}
    for line in payload["lines"]:
        quantities[line["product_id"]] = quantities.get(line["product_id"], 0) + line["quantity"]
    expires_at = datetime.fromisoformat(payload["payment_due_at"])
    services.reserve_stock(event.require_session(), payload["order_id"], quantities, expires_at=expires_at)


@subscribe("payment.captured")
def on_payment_captured(event: Event) -> None:
    """Paid orders take their reserved units off the shelf for good."""
    committed = services.commit_reservations(event.require_session(), event.payload["order_id"])
    logger.info("committed %d reservation(s) for order %s", committed, event.payload["order_id"])


@subscribe("order.cancelled")
def on_order_cancelled(event: Event) -> None:
    services.release_reservations(event.require_session(), event.payload["order_id"], reason="order_cancelled")
