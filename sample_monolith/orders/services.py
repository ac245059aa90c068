"""Use cases of the orders domain.

Checkout (:func:`place_order`) is the busiest function of the shop: it pulls
the cart, the shipping address, current prices and a shipping quote from
four other domains, writes the order, and publishes ``order.placed`` whose
handlers reserve stock, queue the confirmation e-mail and update the sales
report – all inside one database transaction.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from sample_monolith.accounts import services as accounts_services
from sample_monolith.accounts.models import Customer
from sample_monolith.cart import services as cart_services
from sample_monolith.catalog import services as catalog_services
from sample_monolith.common.errors import ConflictError, NotFoundError
from sample_monolith.common.events import publish
from sample_monolith.common.money import Money
from sample_monolith.common.pagination import Page, PageParams, paginate
from sample_monolith.config import Settings
from sample_monolith.notifications import services as notifications_services
from sample_monolith.orders.models import SOLD_STATUSES, TRANSITIONS, Order, OrderLine, OrderStatus, OrderStatusChange
from sample_monolith.orders.schemas import CheckoutIn, OrderSummaryOut
from sample_monolith.shipping import services as shipping_services
from sample_monolith.utils import format_currency, generate_reference, utcnow

logger = logging.getLogger(__name__)


def _transition(order: Order, new_status: OrderStatus, note: str | None = None) -> None:
    current = OrderStatus(order.status)
    if new_status not in TRANSITIONS[current]:
        raise ConflictError(
            f"Order {order.number} is {current.value} and cannot become {new_status.value}",
            code="invalid_order_status",
            status=current.value,
        )
    order.history.append(OrderStatusChange(from_status=current.value, to_status=new_status.value, note=note))
    order.status = new_status.value


# --------------------------------------------------------------------------- checkout

def place_order(session: Session, customer: Customer, data: CheckoutIn, settings: Settings) -> Order:
    """Turn the customer's cart into an order awaiting payment.

    Prices come from the catalog *now* (not from the cart), and stock is
    reserved by the inventory handler of ``order.placed`` in this very
    transaction: if it raises, nothing is written.
    """
    quantities = cart_services.get_checkout_items(session, customer.id)
    if not quantities:
        raise ConflictError("Your cart is empty", code="cart_empty")
    address = accounts_services.get_address_for_customer(session, customer.id, data.shipping_address_id)

    products = catalog_services.get_products_by_ids(session, quantities)
    unavailable = sorted(pid for pid in quantities if pid not in products or not products[pid].is_active)
    if unavailable:
        raise ConflictError("Some products are no longer available", code="product_unavailable", product_ids=unavailable)
    prices = catalog_services.get_current_prices(session, quantities)
    missing_price = sorted(pid for pid in quantities if pid not in prices)
    if missing_price:
        raise ConflictError("Some products have no price", code="price_missing", product_ids=missing_price)

    currency = settings.currency
    subtotal = Money.zero(currency)
    lines: list[OrderLine] = []
    for product_id, quantity in sorted(quantities.items()):
        unit_price = prices[product_id]
        line_total = unit_price * quantity
        subtotal = subtotal + line_total
        lines.append(
            OrderLine(
                product_id=product_id,
                sku=products[product_id].sku,
                product_name=products[product_id].name,
                quantity=quantity,
                unit_price_cents=unit_price.amount_cents,
                line_total_cents=line_total.amount_cents,
            )
        )
    shipping = shipping_services.quote_shipping(data.shipping_method, subtotal, address.country, settings=settings)

    now = utcnow()
    order = Order(
        number=generate_reference("ORD"),
        customer_id=customer.id,
        customer_email=customer.email,
        status=OrderStatus.PENDING_PAYMENT.value,
        currency=currency,
        subtotal_cents=subtotal.amount_cents,
        shipping_cents=shipping.amount_cents,
        total_cents=(subtotal + shipping).amount_cents,
        shipping_method=data.shipping_method,
        ship_to_name=address.recipient_name,
        ship_to_line1=address.line1,
        ship_to_line2=address.line2,
        ship_to_city=address.city,
        ship_to_postal_code=address.postal_code,
        ship_to_country=address.country,
        placed_at=now,
        payment_due_at=now + timedelta(minutes=settings.reservation_ttl_minutes),
        lines=lines,
    )
    order.history.append(OrderStatusChange(from_status=None, to_status=order.status, note="checkout"))
    try:
        session.add(order)
        session.flush()
        publish("order.placed", order_placed_payload(order, customer), session=session)
        cart_services.clear_cart(session, customer.id, commit=False)
        session.commit()
    except Exception:
        session.rollback()
        raise
    logger.info("order %s placed (%s)", order.number, format_currency(order.total_cents, currency))
    return order


def order_placed_payload(order: Order, customer: Customer) -> dict:
    return {
        "order_id": order.id,
        "order_number": order.number,
        "customer_id": customer.id,
        "customer_email": customer.email,
        "customer_name": customer.full_name,
        "currency": order.currency,
        "subtotal_cents": order.subtotal_cents,
        "shipping_cents": order.shipping_cents,
        "total_cents": order.total_cents,
        "placed_at": order.placed_at.isoformat(),
        "payment_due_at": order.payment_due_at.isoformat(),
        "lines": [
            {
                "product_id": line.product_id,
                "sku": line.sku,
                "name": line.product_name,
                "quantity": line.quantity,
                "unit_price_cents": line.unit_price_cents,
            }
            for line in order.lines
        ],
    }


# --------------------------------------------------------------------------- queries

def get_order(session: Session, order_id: int) -> Order:
    order = session.get(Order, order_id)
    if order is None:
        raise NotFoundError("Order not found", code="order_not_found")
    return order


def get_order_for_customer(session: Session, customer_id: int, order_id: int) -> Order:
    """Other customers' orders are reported as missing, not forbidden."""
    order = session.get(Order, order_id)
    if order is None or order.customer_id != customer_id:
        raise NotFoundError("Order not found", code="order_not_found")
    return order


def list_orders_for_customer(
    session: Session, customer_id: int, params: PageParams, *, status: OrderStatus | None = None
) -> Page[OrderSummaryOut]:
    stmt = select(Order).where(Order.customer_id == customer_id)
    if status is not None:
        stmt = stmt.where(Order.status == status.value)
    stmt = stmt.order_by(Order.placed_at.desc(), Order.id.desc())
    return paginate(session, stmt, params, OrderSummaryOut.from_order)


def customer_has_purchased(session: Session, customer_id: int, product_id: int) -> bool:
    """True when the customer has a paid (or later) order containing the product."""
    stmt = select(
        exists().where(
            Order.id == OrderLine.order_id,
            Order.customer_id == customer_id,
            OrderLine.product_id == product_id,
            Order.status.in_([s.value for s in SOLD_STATUSES]),
        )
    )
    return bool(session.scalar(stmt))


# --------------------------------------------------------------------------- life cycle

def cancel_order(session: Session, customer_id: int, order_id: int, reason: str = "customer_request") -> Order:
    """Cancel an unpaid order and give its stock back."""
    order = get_order_for_customer(session, customer_id, order_id)
    if order.status != OrderStatus.PENDING_PAYMENT.value:
        raise ConflictError(
            f"Only unpaid orders can be cancelled (order is {order.status})",
            code="invalid_order_status",
            status=order.status,
        )
    _transition(order, OrderStatus.CANCELLED, note=reason)
    order.cancelled_at = utcnow()
    order.cancel_reason = reason
    publish("order.cancelled", {"order_id": order.id, "order_number": order.number, "reason": reason}, session=session)
    # Fire-and-forget: the confirmation is nice to have, so the result is ignored.
    notifications_services.queue_email(
        session,
        to=order.customer_email,
        template="order_cancelled",
        context={"order_number": order.number, "reason": reason},
        customer_id=order.customer_id,
    )
    session.commit()
    return order


def mark_paid(session: Session, order_id: int, *, payment_reference: str, paid_at: datetime) -> Order:
    order = get_order(session, order_id)
    _transition(order, OrderStatus.PAID, note=f"payment {payment_reference}")
    order.paid_at = paid_at
    return order


def mark_shipped(session: Session, order_id: int, *, tracking_number: str, shipped_at: datetime) -> Order:
    order = get_order(session, order_id)
    _transition(order, OrderStatus.SHIPPED, note=f"tracking {tracking_number}")
    order.shipped_at = shipped_at
    return order


def mark_delivered(session: Session, order_id: int, *, delivered_at: datetime) -> Order:
    order = get_order(session, order_id)
    _transition(order, OrderStatus.DELIVERED)
    order.delivered_at = delivered_at
    return order


def mark_expired(session: Session, order_id: int) -> Order | None:
    """Expire an unpaid order whose stock hold ran out (no-op otherwise)."""
    order = session.get(Order, order_id)
    if order is None or order.status != OrderStatus.PENDING_PAYMENT.value:
        return None
    _transition(order, OrderStatus.EXPIRED, note="payment window elapsed")
    order.cancelled_at = utcnow()
    order.cancel_reason = "payment_timeout"
    return order


def apply_refund(session: Session, order_id: int, amount_cents: int) -> Order:
    order = get_order(session, order_id)
    order.refunded_cents += amount_cents
    if order.refunded_cents >= order.total_cents and order.status != OrderStatus.REFUNDED.value:
        _transition(order, OrderStatus.REFUNDED, note="fully refunded")
    return order
