"""ORM models of the reporting domain."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from sample_monolith.db import Base
from sample_monolith.utils import utcnow


class DailySales(Base):
    """Running totals per calendar day (UTC), updated by event handlers."""

    __tablename__ = "daily_sales"

    day: Mapped[date] = mapped_column(primary_key=True)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    orders_placed: Mapped[int] = mapped_column(default=0)
    items_sold: Mapped[int] = mapped_column(default=0)
    gross_cents: Mapped[int] = mapped_column(default=0)
    payments_captured: Mapped[int] = mapped_column(default=0)
    captured_cents: Mapped[int] = mapped_column(default=0)
    refunded_cents: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
