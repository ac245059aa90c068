"""Use cases of the shipping domain."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from sample_monolith.common.errors import BusinessRuleError, ConflictError, NotFoundError
from sample_monolith.common.events import publish
from sample_monolith.common.money import Money
from sample_monolith.config import Settings
from sample_monolith.orders import services as orders_services
from sample_monolith.orders.models import OrderStatus
from sample_monolith.shipping import rates as rate_table
from sample_monolith.shipping.models import Shipment, ShipmentStatus, TrackingEvent
from sample_monolith.utils import add_business_days, generate_reference, utcnow

logger = logging.getLogger(__name__)

_STATUS_DESCRIPTIONS = {
    "in_transit": "Parcel is on its way",
    "out_for_delivery": "Parcel is out for delivery",
    "delivered": "Parcel delivered",
    "exception": "Delivery problem, the carrier will retry",
}


# --------------------------------------------------------------------------- rates

def _check_country(country: str) -> None:
    if country in rate_table.UNSUPPORTED_COUNTRIES:
        raise BusinessRuleError(f"We do not ship to {country}", code="country_not_supported")


def list_rates(country: str, subtotal_cents: int, *, settings: Settings) -> list[rate_table.Rate]:
    _check_country(country)
    return rate_table.rates_for(
        country,
        subtotal_cents,
        home_country=settings.home_country,
        free_threshold_cents=settings.free_shipping_threshold_cents,
    )


def quote_shipping(method: str, subtotal: Money, country: str, *, settings: Settings) -> Money:
    """Shipping cost for one order; called by checkout."""
    for rate in list_rates(country, subtotal.amount_cents, settings=settings):
        if rate.method == method:
            return Money(rate.price_cents, subtotal.currency)
    raise BusinessRuleError(f"Unknown shipping method {method!r}", code="unknown_shipping_method")


# --------------------------------------------------------------------------- shipments

def get_shipment(session: Session, shipment_id: int) -> Shipment:
    shipment = session.get(Shipment, shipment_id)
    if shipment is None:
        raise NotFoundError("Shipment not found", code="shipment_not_found")
    return shipment


def get_shipment_for_order(session: Session, customer_id: int, order_id: int) -> Shipment:
    orders_services.get_order_for_customer(session, customer_id, order_id)
    shipment = session.scalar(select(Shipment).where(Shipment.order_id == order_id))
    if shipment is None:
        raise NotFoundError("Order has not been shipped yet", code="shipment_not_found")
    return shipment


def track(session: Session, tracking_number: str) -> Shipment:
    shipment = session.scalar(select(Shipment).where(Shipment.tracking_number == tracking_number))
    if shipment is None:
        raise NotFoundError("Unknown tracking number", code="tracking_not_found")
    return shipment


def create_shipment(session: Session, order_id: int, carrier: str, *, settings: Settings) -> Shipment:
    """Create the label for a paid order (warehouse back-office)."""
    order = orders_services.get_order(session, order_id)
    if order.status != OrderStatus.PAID.value:
        raise ConflictError(f"Order is {order.status}; only paid orders can be shipped", code="order_not_shippable")
    if session.scalar(select(Shipment.id).where(Shipment.order_id == order_id)) is not None:
        raise ConflictError("Order already has a shipment", code="shipment_exists")
    rate = next(
        r for r in list_rates(order.ship_to_country, order.subtotal_cents, settings=settings)
        if r.method == order.shipping_method
    )
    shipment = Shipment(
        order_id=order.id,
        carrier=carrier,
        method=order.shipping_method,
        tracking_number=generate_reference(carrier.upper(), 10),
        estimated_delivery=add_business_days(utcnow().date(), rate.transit_days + 1),
    )
    shipment.events.append(TrackingEvent(status=ShipmentStatus.LABEL_CREATED.value, description="Shipping label created"))
    session.add(shipment)
    session.commit()
    return shipment


def dispatch_shipment(session: Session, shipment_id: int) -> Shipment:
    """Hand the parcel to the carrier; the order becomes ``shipped``."""
    shipment = get_shipment(session, shipment_id)
    if shipment.status != ShipmentStatus.LABEL_CREATED.value:
        raise ConflictError(f"Shipment is already {shipment.status}", code="already_dispatched")
    now = utcnow()
    shipment.status = ShipmentStatus.DISPATCHED.value
    shipment.dispatched_at = now
    shipment.events.append(
        TrackingEvent(status=ShipmentStatus.DISPATCHED.value, description="Handed over to carrier", occurred_at=now)
    )
    session.flush()
    order = orders_services.get_order(session, shipment.order_id)
    publish(
        "shipment.dispatched",
        {
            "shipment_id": shipment.id,
            "order_id": order.id,
            "order_number": order.number,
            "customer_id": order.customer_id,
            "customer_email": order.customer_email,
            "carrier": shipment.carrier,
            "tracking_number": shipment.tracking_number,
            "estimated_delivery": shipment.estimated_delivery.isoformat() if shipment.estimated_delivery else None,
            "dispatched_at": now.isoformat(),
        },
        session=session,
    )
    session.commit()
    return shipment


def add_tracking_event(
    session: Session, shipment_id: int, status: str, *, location: str | None, description: str | None
) -> Shipment:
    """Record a carrier scan.  A ``delivered`` scan completes the order."""
    shipment = get_shipment(session, shipment_id)
    if shipment.status == ShipmentStatus.LABEL_CREATED.value:
        raise ConflictError("Shipment has not been dispatched yet", code="not_dispatched")
    if shipment.status == ShipmentStatus.DELIVERED.value:
        raise ConflictError("Shipment was already delivered", code="already_delivered")
    now = utcnow()
    shipment.events.append(
        TrackingEvent(
            status=status,
            location=location,
            description=description or _STATUS_DESCRIPTIONS.get(status, status),
            occurred_at=now,
        )
    )
    shipment.status = status
    if status == ShipmentStatus.DELIVERED.value:
        shipment.delivered_at = now
        session.flush()
        publish(
            "shipment.delivered",
            {"shipment_id": shipment.id, "order_id": shipment.order_id, "delivered_at": now.isoformat()},
            session=session,
        )
    session.commit()
    return shipment
