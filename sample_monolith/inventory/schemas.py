"""Request/response models of the inventory API."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from sample_monolith.utils import to_naive_utc


class StockOut(BaseModel):
    product_id: int
    on_hand: int
    reserved: int
    available: int
    low_stock_threshold: int


class StockSet(BaseModel):
    on_hand: int = Field(ge=0, le=10_000_000)
    low_stock_threshold: int | None = Field(default=None, ge=0)
    reason: str = Field(default="stock take", max_length=200)


class AdjustmentIn(BaseModel):
    delta: int = Field(ge=-10_000_000, le=10_000_000)
    reason: str = Field(min_length=1, max_length=200)

    @field_validator("delta")
    @classmethod
    def _non_zero(cls, value: int) -> int:
        if value == 0:
            raise ValueError("delta must not be zero")
        return value


class AdjustmentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    product_id: int
    delta: int
    reason: str
    on_hand_after: int
    created_at: datetime


class ReservationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    product_id: int
    order_id: int
    quantity: int
    status: str
    expires_at: datetime
    created_at: datetime
    resolved_at: datetime | None
    release_reason: str | None


class ReservationUpdate(BaseModel):
    """Support staff can extend (or shorten) how long stock is held for an order."""

    expires_at: datetime

    @field_validator("expires_at")
    @classmethod
    def _naive_utc(cls, value: datetime) -> datetime:
        return to_naive_utc(value)
