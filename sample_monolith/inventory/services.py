"""Use cases of the inventory domain."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sample_monolith.catalog import services as catalog_services
from sample_monolith.common.errors import ConflictError, NotFoundError, OutOfStockError
from sample_monolith.inventory.models import ReservationStatus, StockAdjustment, StockLevel, StockReservation
from sample_monolith.inventory.schemas import StockOut
from sample_monolith.utils import utcnow

logger = logging.getLogger(__name__)


def to_stock_out(level: StockLevel) -> StockOut:
    return StockOut(
        product_id=level.product_id,
        on_hand=level.on_hand,
        reserved=level.reserved,
        available=level.available,
        low_stock_threshold=level.low_stock_threshold,
    )


def _get_or_create_level(session: Session, product_id: int, *, for_update: bool = False) -> StockLevel:
    stmt = select(StockLevel).where(StockLevel.product_id == product_id)
    if for_update:
        stmt = stmt.with_for_update()
    level = session.scalar(stmt)
    if level is None:
        level = StockLevel(product_id=product_id, on_hand=0, reserved=0)
        session.add(level)
        session.flush()
    return level


def get_stock(session: Session, product_id: int) -> StockLevel:
    """Stock level of a product; products never stocked report zero."""
    catalog_services.get_product(session, product_id)
    level = session.get(StockLevel, product_id)
    return level if level is not None else StockLevel(product_id=product_id, on_hand=0, reserved=0, low_stock_threshold=5)


def get_availability(session: Session, product_ids: Iterable[int]) -> dict[int, int]:
    """Sellable quantity per product id (0 for unknown/unstocked products)."""
    ids = set(product_ids)
    levels = {lvl.product_id: lvl for lvl in session.scalars(select(StockLevel).where(StockLevel.product_id.in_(ids)))}
    return {pid: levels[pid].available if pid in levels else 0 for pid in ids}


def set_stock(
    session: Session, product_id: int, on_hand: int, *, reason: str, low_stock_threshold: int | None = None
) -> StockLevel:
    catalog_services.get_product(session, product_id)
    level = _get_or_create_level(session, product_id, for_update=True)
    if on_hand < level.reserved:
        raise ConflictError(
            f"Cannot set on-hand below the {level.reserved} unit(s) currently reserved", code="stock_reserved"
        )
    delta = on_hand - level.on_hand
    level.on_hand = on_hand
    if low_stock_threshold is not None:
        level.low_stock_threshold = low_stock_threshold
    if delta:
        session.add(StockAdjustment(product_id=product_id, delta=delta, reason=reason, on_hand_after=on_hand))
    session.commit()
    return level


def adjust_stock(session: Session, product_id: int, delta: int, reason: str) -> StockLevel:
    """Add (delivery) or remove (breakage) units relative to the current level."""
    catalog_services.get_product(session, product_id)
    level = _get_or_create_level(session, product_id, for_update=True)
    new_on_hand = level.on_hand + delta
    if new_on_hand < level.reserved:
        raise ConflictError(
            f"Adjustment would leave {new_on_hand} on hand with {level.reserved} reserved",
            code="insufficient_stock",
        )
    level.on_hand = new_on_hand
    session.add(StockAdjustment(product_id=product_id, delta=delta, reason=reason, on_hand_after=new_on_hand))
    session.commit()
    return level


def list_adjustments(session: Session, product_id: int) -> list[StockAdjustment]:
    catalog_services.get_product(session, product_id)
    stmt = select(StockAdjustment).where(StockAdjustment.product_id == product_id).order_by(StockAdjustment.id)
    return list(session.scalars(stmt))


def low_stock(session: Session) -> list[StockLevel]:
    stmt = (
        select(StockLevel)
        .where(StockLevel.on_hand - StockLevel.reserved <= StockLevel.low_stock_threshold)
        .order_by(StockLevel.product_id)
    )
    return list(session.scalars(stmt))


# --------------------------------------------------------------------------- reservations

def reserve_stock(
    session: Session, order_id: int, quantities: Mapping[int, int], *, expires_at: datetime
) -> list[StockReservation]:
    """Reserve stock for an order inside the caller's transaction.

    Raises :class:`OutOfStockError` listing every short product; nothing is
    committed here – the caller (checkout) owns the transaction.
    """
    levels = {pid: _get_or_create_level(session, pid, for_update=True) for pid in sorted(quantities)}
    shortages = [
        {"product_id": pid, "requested": qty, "available": levels[pid].available}
        for pid, qty in quantities.items()
        if levels[pid].available < qty
    ]
    if shortages:
        raise OutOfStockError("Not enough stock for some items", shortages=shortages)
    reservations = []
    for pid, qty in quantities.items():
        levels[pid].reserved += qty
        reservation = StockReservation(product_id=pid, order_id=order_id, quantity=qty, expires_at=expires_at)
        session.add(reservation)
        reservations.append(reservation)
    session.flush()
    return reservations


def _active_reservations(session: Session, order_id: int) -> list[StockReservation]:
    stmt = select(StockReservation).where(
        StockReservation.order_id == order_id, StockReservation.status == ReservationStatus.ACTIVE.value
    )
    return list(session.scalars(stmt))


def commit_reservations(session: Session, order_id: int) -> int:
    """Turn an order's active reservations into real stock movements."""
    now = utcnow()
    count = 0
    for reservation in _active_reservations(session, order_id):
        level = _get_or_create_level(session, reservation.product_id, for_update=True)
        level.reserved -= reservation.quantity
        level.on_hand -= reservation.quantity
        reservation.status = ReservationStatus.COMMITTED.value
        reservation.resolved_at = now
        count += 1
    session.flush()
    return count


def release_reservation(session: Session, reservation: StockReservation, reason: str) -> None:
    level = _get_or_create_level(session, reservation.product_id, for_update=True)
    level.reserved = max(0, level.reserved - reservation.quantity)
    reservation.status = ReservationStatus.RELEASED.value
    reservation.resolved_at = utcnow()
    reservation.release_reason = reason


def release_reservations(session: Session, order_id: int, reason: str) -> int:
    reservations = _active_reservations(session, order_id)
    for reservation in reservations:
        release_reservation(session, reservation, reason)
    session.flush()
    return len(reservations)


def list_reservations(session: Session, *, order_id: int | None = None, status: str | None = None) -> list[StockReservation]:
    stmt = select(StockReservation).order_by(StockReservation.id)
    if order_id is not None:
        stmt = stmt.where(StockReservation.order_id == order_id)
    if status is not None:
        stmt = stmt.where(StockReservation.status == status)
    return list(session.scalars(stmt.limit(500)))


def update_reservation_expiry(session: Session, reservation_id: int, expires_at: datetime) -> StockReservation:
    reservation = session.get(StockReservation, reservation_id)
    if reservation is None:
        raise NotFoundError("Reservation not found")
    if reservation.status != ReservationStatus.ACTIVE.value:
        raise ConflictError(f"Reservation is {reservation.status}", code="reservation_not_active")
    reservation.expires_at = expires_at
    session.commit()
    return reservation
