"""Request/response models of the cart API."""

from __future__ import annotations

from pydantic import BaseModel, Field

from sample_monolith.common.money import MoneyOut

MAX_QUANTITY_PER_LINE = 99


class CartItemIn(BaseModel):
    product_id: int = Field(gt=0)
    quantity: int = Field(default=1, ge=1, le=MAX_QUANTITY_PER_LINE)


class CartItemUpdate(BaseModel):
    quantity: int = Field(ge=1, le=MAX_QUANTITY_PER_LINE)


class CartLineOut(BaseModel):
    product_id: int
    sku: str
    name: str
    quantity: int
    unit_price: MoneyOut
    line_total: MoneyOut
    available: bool


class CartOut(BaseModel):
    id: int
    items: list[CartLineOut]
    item_count: int
    subtotal: MoneyOut
