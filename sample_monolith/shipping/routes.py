"""HTTP API of the shipping domain: ``/api/shipping``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from sample_monolith.common.auth import AdminOnly, CurrentCustomer, DbSession
from sample_monolith.common.money import MoneyOut
from sample_monolith.config import Settings, get_settings
from sample_monolith.shipping import services
from sample_monolith.shipping.schemas import RateOut, ShipmentIn, ShipmentOut, TrackingEventIn, TrackingEventOut, TrackingOut

router = APIRouter(prefix="/api/shipping", tags=["shipping"])

SettingsDep = Annotated[Settings, Depends(get_settings)]


@router.get("/rates", response_model=list[RateOut])
def list_rates(
    settings: SettingsDep,
    country: Annotated[str, Query(pattern=r"^[A-Z]{2}$")],
    subtotal_cents: Annotated[int, Query(ge=0)] = 0,
) -> list[RateOut]:
    """Shipping options for a destination and basket value."""
    return [
        RateOut(
            method=r.method,
            zone=r.zone,
            price=MoneyOut.from_cents(r.price_cents, settings.currency),
            transit_days=r.transit_days,
            free_shipping_applied=r.free_shipping_applied,
        )
        for r in services.list_rates(country, subtotal_cents, settings=settings)
    ]


@router.post("/shipments", response_model=ShipmentOut, status_code=status.HTTP_201_CREATED, dependencies=[AdminOnly])
def create_shipment(data: ShipmentIn, session: DbSession, settings: SettingsDep) -> ShipmentOut:
    return ShipmentOut.model_validate(services.create_shipment(session, data.order_id, data.carrier, settings=settings))


@router.get("/shipments/{shipment_id}", response_model=ShipmentOut, dependencies=[AdminOnly])
def get_shipment(shipment_id: int, session: DbSession) -> ShipmentOut:
    return ShipmentOut.model_validate(services.get_shipment(session, shipment_id))


@router.post("/shipments/{shipment_id}/dispatch", response_model=ShipmentOut, dependencies=[AdminOnly])
def dispatch_shipment(shipment_id: int, session: DbSession) -> ShipmentOut:
    return ShipmentOut.model_validate(services.dispatch_shipment(session, shipment_id))


@router.post(
    "/shipments/{shipment_id}/events",
    response_model=ShipmentOut,
    status_code=status.HTTP_201_CREATED,
    dependencies=[AdminOnly],
)
def add_tracking_event(shipment_id: int, data: TrackingEventIn, session: DbSession) -> ShipmentOut:
    """Carrier webhook / manual scan entry."""
    shipment = services.add_tracking_event(
        session, shipment_id, data.status, location=data.location, description=data.description
    )
    return ShipmentOut.model_validate(shipment)


@router.get("/tracking/{tracking_number}", response_model=TrackingOut)
def track(tracking_number: str, session: DbSession) -> TrackingOut:
    shipment = services.track(session, tracking_number)
    return TrackingOut(
        tracking_number=shipment.tracking_number,
        carrier=shipment.carrier,
        status=shipment.status,
        estimated_delivery=shipment.estimated_delivery,
        events=[TrackingEventOut.model_validate(e) for e in shipment.events],
    )


@router.get("/orders/{order_id}/shipment", response_model=ShipmentOut)
def get_order_shipment(order_id: int, customer: CurrentCustomer, session: DbSession) -> ShipmentOut:
    return ShipmentOut.model_validate(services.get_shipment_for_order(session, customer.id, order_id))
