"""Report queries.

These functions read ``orders``/``order_lines`` straight from the orders
domain's tables – via its ORM models and, for the heavier reports, via raw
SQL.  It is fast and simple, and it is why the orders schema can't change
without a reporting release.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import DateTime, bindparam, func, select, text
from sqlalchemy.orm import Session

from sample_monolith.catalog import services as catalog_services
from sample_monolith.orders.models import SOLD_STATUSES, Order, OrderLine, OrderStatus
from sample_monolith.reporting.models import DailySales
from sample_monolith.reporting.schemas import DailySalesOut, ProductSalesOut, SalesSummaryOut, TopProductOut
from sample_monolith.utils import date_range, end_of_day_exclusive, start_of_day, utcnow

# Orders that turned into revenue at some point (refunds are reported separately).
REVENUE_STATUSES = [s.value for s in SOLD_STATUSES] + [OrderStatus.REFUNDED.value]

PRODUCT_SALES_SQL = text(
    """
    SELECT COUNT(DISTINCT ol.order_id)        AS orders,
           COALESCE(SUM(ol.quantity), 0)         AS units,
           COALESCE(SUM(ol.line_total_cents), 0) AS revenue_cents
    FROM order_lines ol
    JOIN orders o ON o.id = ol.order_id
    WHERE ol.product_id = :product_id
      AND o.status IN :statuses
      AND o.placed_at >= :start AND o.placed_at < :end
    """
).bindparams(
    bindparam("statuses", expanding=True),
    bindparam("start", type_=DateTime()),
    bindparam("end", type_=DateTime()),
)

SALES_SUMMARY_SQL = text(
    """
    SELECT o.status                 AS status,
           COUNT(*)                 AS orders,
           COALESCE(SUM(o.total_cents), 0)    AS total_cents,
           COALESCE(SUM(o.refunded_cents), 0) AS refunded_cents
    FROM orders o
    WHERE o.placed_at >= :start AND o.placed_at < :end
    GROUP BY o.status
    """
).bindparams(bindparam("start", type_=DateTime()), bindparam("end", type_=DateTime()))

UNITS_SOLD_SQL = text(
    """
    SELECT COALESCE(SUM(ol.quantity), 0)
    FROM order_lines ol
    JOIN orders o ON o.id = ol.order_id
    WHERE o.status IN :statuses AND o.placed_at >= :start AND o.placed_at < :end
    """
).bindparams(
    bindparam("statuses", expanding=True),
    bindparam("start", type_=DateTime()),
    bindparam("end", type_=DateTime()),
)


def default_period(start: date | None, end: date | None, *, days: int = 30) -> tuple[date, date]:
    end = end or utcnow().date()
    start = start or end - timedelta(days=days - 1)
    return start, end


# --------------------------------------------------------------------------- incremental totals

def _day_row(session: Session, day: date, currency: str) -> DailySales:
    row = session.get(DailySales, day)
    if row is None:
        row = DailySales(
            day=day, currency=currency, orders_placed=0, items_sold=0, gross_cents=0,
            payments_captured=0, captured_cents=0, refunded_cents=0,
        )
        session.add(row)
        session.flush()
    return row


def record_order_placed(session: Session, day: date, *, total_cents: int, items: int, currency: str) -> None:
    row = _day_row(session, day, currency)
    row.orders_placed += 1
    row.items_sold += items
    row.gross_cents += total_cents


def record_payment_captured(session: Session, day: date, *, amount_cents: int, currency: str) -> None:
    row = _day_row(session, day, currency)
    row.payments_captured += 1
    row.captured_cents += amount_cents


def record_refund(session: Session, day: date, *, amount_cents: int, currency: str) -> None:
    row = _day_row(session, day, currency)
    row.refunded_cents += amount_cents


def daily_sales(session: Session, start: date, end: date, *, currency: str = "EUR") -> list[DailySalesOut]:
    """One row per day in ``[start, end]``, zero-filled."""
    rows = {
        r.day: r
        for r in session.scalars(select(DailySales).where(DailySales.day >= start, DailySales.day <= end))
    }
    result = []
    for day in date_range(start, end):
        row = rows.get(day)
        if row is None:
            result.append(DailySalesOut(
                day=day, currency=currency, orders_placed=0, items_sold=0, gross_cents=0,
                payments_captured=0, captured_cents=0, refunded_cents=0,
            ))
        else:
            result.append(DailySalesOut.model_validate(row))
    return result


# --------------------------------------------------------------------------- ad-hoc reports

def top_products(
    session: Session, *, start: date, end: date, limit: int = 10, category_id: int | None = None
) -> list[TopProductOut]:
    """Best sellers by units, straight from the orders tables."""
    units = func.sum(OrderLine.quantity).label("units")
    revenue = func.sum(OrderLine.line_total_cents).label("revenue")
    stmt = (
        select(OrderLine.product_id, func.max(OrderLine.sku), func.max(OrderLine.product_name), units, revenue)
        .join(Order, Order.id == OrderLine.order_id)
        .where(
            Order.status.in_(REVENUE_STATUSES),
            Order.placed_at >= start_of_day(start),
            Order.placed_at < end_of_day_exclusive(end),
        )
        .group_by(OrderLine.product_id)
        .order_by(units.desc(), revenue.desc(), OrderLine.product_id)
        .limit(limit)
    )
    if category_id is not None:
        product_ids = catalog_services.list_product_ids_in_category(session, category_id)
        stmt = stmt.where(OrderLine.product_id.in_(product_ids or [-1]))
    return [
        TopProductOut(product_id=pid, sku=sku, name=name, units_sold=int(u), revenue_cents=int(r))
        for pid, sku, name, u, r in session.execute(stmt)
    ]


def product_sales(session: Session, product_id: int, *, start: date, end: date) -> ProductSalesOut:
    catalog_services.get_product(session, product_id)
    row = session.execute(
        PRODUCT_SALES_SQL,
        {
            "product_id": product_id,
            "statuses": REVENUE_STATUSES,
            "start": start_of_day(start),
            "end": end_of_day_exclusive(end),
        },
    ).one()
    units = int(row.units)
    revenue = int(row.revenue_cents)
    return ProductSalesOut(
        product_id=product_id,
        orders=int(row.orders),
        units_sold=units,
        revenue_cents=revenue,
        average_unit_price_cents=round(revenue / units) if units else None,
        start=start,
        end=end,
    )


def sales_summary(session: Session, *, start: date, end: date) -> SalesSummaryOut:
    params = {"start": start_of_day(start), "end": end_of_day_exclusive(end)}
    by_status: dict[str, int] = {}
    revenue = refunded = paid_orders = 0
    for status, orders, total_cents, refunded_cents in session.execute(SALES_SUMMARY_SQL, params):
        by_status[status] = int(orders)
        if status in REVENUE_STATUSES:
            paid_orders += int(orders)
            revenue += int(total_cents)
            refunded += int(refunded_cents)
    units = session.execute(UNITS_SOLD_SQL, {**params, "statuses": REVENUE_STATUSES}).scalar_one()
    return SalesSummaryOut(
        start=start,
        end=end,
        orders_by_status=by_status,
        paid_orders=paid_orders,
        revenue_cents=revenue,
        refunded_cents=refunded,
        net_revenue_cents=revenue - refunded,
        average_order_value_cents=round(revenue / paid_orders) if paid_orders else None,
        units_sold=int(units),
    )
