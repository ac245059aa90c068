"""HTTP API of the reporting domain: ``/api/reports`` (back office only)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from sample_monolith.common.auth import AdminOnly, DbSession
from sample_monolith.common.errors import BusinessRuleError
from sample_monolith.config import Settings, get_settings
from sample_monolith.reporting import services
from sample_monolith.reporting.schemas import DailySalesOut, ProductSalesOut, SalesSummaryOut, TopProductOut

router = APIRouter(prefix="/api/reports", tags=["reporting"], dependencies=[AdminOnly])

MAX_RANGE_DAYS = 366


def _period(start: date | None, end: date | None) -> tuple[date, date]:
    start, end = services.default_period(start, end)
    if start > end:
        raise BusinessRuleError("start must not be after end", code="invalid_period")
    if (end - start).days >= MAX_RANGE_DAYS:
        raise BusinessRuleError(f"period is limited to {MAX_RANGE_DAYS} days", code="invalid_period")
    return start, end


@router.get("/daily-sales", response_model=list[DailySalesOut])
def daily_sales(
    session: DbSession,
    settings: Annotated[Settings, Depends(get_settings)],
    start: date | None = None,
    end: date | None = None,
) -> list[DailySalesOut]:
    start, end = _period(start, end)
    return services.daily_sales(session, start, end, currency=settings.currency)


@router.get("/top-products", response_model=list[TopProductOut])
def top_products(
    session: DbSession,
    start: date | None = None,
    end: date | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
    category_id: int | None = None,
) -> list[TopProductOut]:
    start, end = _period(start, end)
    return services.top_products(session, start=start, end=end, limit=limit, category_id=category_id)


@router.get("/products/{product_id}/sales", response_model=ProductSalesOut)
def product_sales(
    product_id: int, session: DbSession, start: date | None = None, end: date | None = None
) -> ProductSalesOut:
    start, end = _period(start, end)
    return services.product_sales(session, product_id, start=start, end=end)


@router.get("/summary", response_model=SalesSummaryOut)
def sales_summary(session: DbSession, start: date | None = None, end: date | None = None) -> SalesSummaryOut:
    start, end = _period(start, end)
    return services.sales_summary(session, start=start, end=end)
