"""Request/response models of the orders API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from sample_monolith.common.money import MoneyOut
from sample_monolith.orders.models import Order

ShippingMethod = Literal["standard", "express"]


class CheckoutIn(BaseModel):
    shipping_address_id: int = Field(gt=0)
    shipping_method: ShippingMethod = "standard"


class CancelIn(BaseModel):
    reason: str = Field(default="customer_request", max_length=200)


class OrderLineOut(BaseModel):
    product_id: int
    sku: str
    name: str
    quantity: int
    unit_price: MoneyOut
    line_total: MoneyOut


class ShippingAddressOut(BaseModel):
    name: str
    line1: str
    line2: str | None
    city: str
    postal_code: str
    country: str


class StatusChangeOut(BaseModel):
    from_status: str | None
    to_status: str
    note: str | None
    changed_at: datetime


class OrderOut(BaseModel):
    id: int
    number: str
    status: str
    customer_id: int
    lines: list[OrderLineOut]
    subtotal: MoneyOut
    shipping: MoneyOut
    total: MoneyOut
    refunded: MoneyOut
    shipping_method: str
    shipping_address: ShippingAddressOut
    placed_at: datetime
    payment_due_at: datetime
    paid_at: datetime | None
    shipped_at: datetime | None
    delivered_at: datetime | None
    cancelled_at: datetime | None
    history: list[StatusChangeOut]

    @classmethod
    def from_order(cls, order: Order) -> OrderOut:
        cur = order.currency
        return cls(
            id=order.id,
            number=order.number,
            status=order.status,
            customer_id=order.customer_id,
            lines=[
                OrderLineOut(
                    product_id=line.product_id,
                    sku=line.sku,
                    name=line.product_name,
                    quantity=line.quantity,
                    unit_price=MoneyOut.from_cents(line.unit_price_cents, cur),
                    line_total=MoneyOut.from_cents(line.line_total_cents, cur),
                )
                for line in order.lines
            ],
            subtotal=MoneyOut.from_cents(order.subtotal_cents, cur),
            shipping=MoneyOut.from_cents(order.shipping_cents, cur),
            total=MoneyOut.from_cents(order.total_cents, cur),
            refunded=MoneyOut.from_cents(order.refunded_cents, cur),
            shipping_method=order.shipping_method,
            shipping_address=ShippingAddressOut(
                name=order.ship_to_name,
                line1=order.ship_to_line1,
                line2=order.ship_to_line2,
                city=order.ship_to_city,
                postal_code=order.ship_to_postal_code,
                country=order.ship_to_country,
            ),
            placed_at=order.placed_at,
            payment_due_at=order.payment_due_at,
            paid_at=order.paid_at,
            shipped_at=order.shipped_at,
            delivered_at=order.delivered_at,
            cancelled_at=order.cancelled_at,
            history=[
                StatusChangeOut(
                    from_status=h.from_status, to_status=h.to_status, note=h.note, changed_at=h.changed_at
                )
                for h in order.history
            ],
        )


class OrderSummaryOut(BaseModel):
    id: int
    number: str
    status: str
    total: MoneyOut
    item_count: int
    placed_at: datetime

    @classmethod
    def from_order(cls, order: Order) -> OrderSummaryOut:
        return cls(
            id=order.id,
            number=order.number,
            status=order.status,
            total=MoneyOut.from_cents(order.total_cents, order.currency),
            item_count=sum(line.quantity for line in order.lines),
            placed_at=order.placed_at,
        )
