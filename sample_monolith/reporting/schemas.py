"""Response models of the reporting API."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict


class DailySalesOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    day: date
    currency: str
    orders_placed: int
    items_sold: int
    gross_cents: int
    payments_captured: int
    captured_cents: int
    refunded_cents: int


class TopProductOut(BaseModel):
    product_id: int
    sku: str
    name: str
    units_sold: int
    revenue_cents: int


class ProductSalesOut(BaseModel):
    product_id: int
    orders: int
    units_sold: int
    revenue_cents: int
    average_unit_price_cents: int | None
    start: date
    end: date


class SalesSummaryOut(BaseModel):
    start: date
    end: date
    orders_by_status: dict[str, int]
    paid_orders: int
    revenue_cents: int
    refunded_cents: int
    net_revenue_cents: int
    average_order_value_cents: int | None
    units_sold: int
