"""Request/response models of the shipping API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from sample_monolith.common.money import MoneyOut

Carrier = Literal["dhl", "ups", "dpd", "hermes"]
TrackingStatus = Literal["in_transit", "out_for_delivery", "delivered", "exception"]


class RateOut(BaseModel):
    method: str
    zone: str
    price: MoneyOut
    transit_days: int
    free_shipping_applied: bool


class ShipmentIn(BaseModel):
    order_id: int = Field(gt=0)
    carrier: Carrier = "dhl"


class TrackingEventIn(BaseModel):
    status: TrackingStatus
    location: str | None = Field(default=None, max_length=120)
    description: str | None = Field(default=None, max_length=255)


class TrackingEventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    status: str
    location: str | None
    description: str
    occurred_at: datetime


class ShipmentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    order_id: int
    carrier: str
    method: str
    tracking_number: str
    status: str
    estimated_delivery: date | None
    created_at: datetime
    dispatched_at: datetime | None
    delivered_at: datetime | None
    events: list[TrackingEventOut]


class TrackingOut(BaseModel):
    """Public tracking page: no order or customer details."""

    tracking_number: str
    carrier: str
    status: str
    estimated_delivery: date | None
    events: list[TrackingEventOut]
