"""Background jobs of the inventory domain."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sample_monolith.common.events import publish
from sample_monolith.inventory.models import ReservationStatus, StockReservation
from sample_monolith.inventory.services import release_reservation
from sample_monolith.utils import utcnow

logger = logging.getLogger(__name__)


def release_expired_reservations(session: Session, *, now: datetime | None = None) -> dict[str, Any]:
    """Give back stock held for orders that were not paid in time.

    Runs every few seconds from the scheduler and on demand through
    ``POST /api/admin/jobs/release-expired-reservations``.  Publishes
    ``reservation.expired`` per affected order so that orders can expire them.
    """
    cutoff = now or utcnow()
    stmt = (
        select(StockReservation)
        .where(StockReservation.status == ReservationStatus.ACTIVE.value, StockReservation.expires_at <= cutoff)
        .order_by(StockReservation.id)
        .with_for_update(skip_locked=True)
    )
    by_order: dict[int, list[int]] = defaultdict(list)
    for reservation in list(session.scalars(stmt)):
        release_reservation(session, reservation, reason="expired")
        by_order[reservation.order_id].append(reservation.id)
    session.flush()
    for order_id, reservation_ids in by_order.items():
        publish("reservation.expired", {"order_id": order_id, "reservation_ids": reservation_ids}, session=session)
    session.commit()
    released = sum(len(ids) for ids in by_order.values())
    if released:
        logger.info("released %d expired reservation(s) for %d order(s)", released, len(by_order))
    return {"released": released, "order_ids": sorted(by_order)}
