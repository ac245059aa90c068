"""HTTP API of the inventory domain: ``/api/inventory``."""

from __future__ import annotations

from fastapi import APIRouter, status

from sample_monolith.common.auth import AdminOnly, DbSession
from sample_monolith.inventory import services
from sample_monolith.inventory.models import ReservationStatus
from sample_monolith.inventory.schemas import (
    AdjustmentIn,
    AdjustmentOut,
    ReservationOut,
    ReservationUpdate,
    StockOut,
    StockSet,
)

router = APIRouter(prefix="/api/inventory", tags=["inventory"])


@router.get("/stock/{product_id}", response_model=StockOut)
def get_stock(product_id: int, session: DbSession) -> StockOut:
    return services.to_stock_out(services.get_stock(session, product_id))


@router.put("/stock/{product_id}", response_model=StockOut, dependencies=[AdminOnly])
def set_stock(product_id: int, data: StockSet, session: DbSession) -> StockOut:
    level = services.set_stock(
        session, product_id, data.on_hand, reason=data.reason, low_stock_threshold=data.low_stock_threshold
    )
    return services.to_stock_out(level)


@router.post(
    "/stock/{product_id}/adjustments",
    response_model=StockOut,
    status_code=status.HTTP_201_CREATED,
    dependencies=[AdminOnly],
)
def adjust_stock(product_id: int, data: AdjustmentIn, session: DbSession) -> StockOut:
    return services.to_stock_out(services.adjust_stock(session, product_id, data.delta, data.reason))


@router.get("/stock/{product_id}/adjustments", response_model=list[AdjustmentOut], dependencies=[AdminOnly])
def list_adjustments(product_id: int, session: DbSession) -> list[AdjustmentOut]:
    return [AdjustmentOut.model_validate(a) for a in services.list_adjustments(session, product_id)]


@router.get("/low-stock", response_model=list[StockOut], dependencies=[AdminOnly])
def low_stock(session: DbSession) -> list[StockOut]:
    return [services.to_stock_out(level) for level in services.low_stock(session)]


@router.get("/reservations", response_model=list[ReservationOut], dependencies=[AdminOnly])
def list_reservations(
    session: DbSession, order_id: int | None = None, status: ReservationStatus | None = None
) -> list[ReservationOut]:
    reservations = services.list_reservations(
        session, order_id=order_id, status=status.value if status is not None else None
    )
    return [ReservationOut.model_validate(r) for r in reservations]


@router.patch("/reservations/{reservation_id}", response_model=ReservationOut, dependencies=[AdminOnly])
def update_reservation(reservation_id: int, data: ReservationUpdate, session: DbSession) -> ReservationOut:
    return ReservationOut.model_validate(services.update_reservation_expiry(session, reservation_id, data.expires_at))
