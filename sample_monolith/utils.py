"""Assorted helpers that did not obviously belong anywhere else.

Historically everything "small and handy" ended up here.  It is imported by
almost every domain (references, dates, money formatting, e-mail checks),
which is exactly why nobody dares to move it.
"""

from __future__ import annotations

import re
import secrets
import string
import unicodedata
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

T = TypeVar("T")

_EMAIL_RE = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
_SLUG_STRIP_RE = re.compile(r"[^\w\s-]")
_SLUG_HYPHEN_RE = re.compile(r"[-\s_]+")

_CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "CHF": "CHF "}
_REFERENCE_ALPHABET = string.ascii_uppercase + string.digits


# --------------------------------------------------------------------------- time

def utcnow() -> datetime:
    """Current time as a *naive* UTC datetime.

    The database stores naive UTC timestamps (SQLite has no time zones), so
    every timestamp in the application is produced by this function.
    """
    return datetime.now(UTC).replace(tzinfo=None)


def to_naive_utc(value: datetime) -> datetime:
    """Normalise an aware datetime to naive UTC; naive values are assumed UTC."""
    if value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


def start_of_day(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)


def end_of_day_exclusive(day: date) -> datetime:
    """Midnight of the following day, for half-open ``[start, end)`` filters."""
    return start_of_day(day) + timedelta(days=1)


def date_range(start: date, end: date) -> Iterator[date]:
    """Yield every date from ``start`` to ``end`` inclusive."""
    current = start
    while current <= end:
        yield current
        current += timedelta(days=1)


def add_business_days(start: date, days: int) -> date:
    """Add ``days`` working days (Mon-Fri) to ``start``."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current


# --------------------------------------------------------------------------- text

def slugify(value: str, max_length: int = 80) -> str:
    """Turn ``"Caffè Crema 1kg!"`` into ``"caffe-crema-1kg"``."""
    normalized = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    cleaned = _SLUG_STRIP_RE.sub("", normalized).strip().lower()
    slug = _SLUG_HYPHEN_RE.sub("-", cleaned).strip("-")
    return slug[:max_length].rstrip("-") or "item"


def truncate(text: str, length: int, suffix: str = "…") -> str:
    if len(text) <= length:
        return text
    return text[: max(0, length - len(suffix))].rstrip() + suffix


def normalize_email(email: str) -> str:
    return email.strip().lower()


def is_valid_email(email: str) -> bool:
    """Pragmatic e-mail check (we do not ship ``email-validator``)."""
    return len(email) <= 254 and bool(_EMAIL_RE.match(email.strip()))


def mask_email(email: str) -> str:
    """``jane.doe@example.com`` -> ``j***@example.com`` for logs."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def generate_reference(prefix: str, length: int = 8) -> str:
    """Human friendly unique-enough reference, e.g. ``ORD-20240517-7KQ2ZP3M``.

    Used for order numbers, payment references and tracking numbers.
    """
    stamp = utcnow().strftime("%Y%m%d")
    random_part = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(length))
    return f"{prefix}-{stamp}-{random_part}"


# --------------------------------------------------------------------------- money

def format_currency(amount_cents: int, currency: str = "EUR") -> str:
    """Format an amount in minor units: ``format_currency(123456, "EUR") == "€1,234.56"``."""
    amount = (Decimal(amount_cents) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    symbol = _CURRENCY_SYMBOLS.get(currency, f"{currency} ")
    return f"{sign}{symbol}{abs(amount):,.2f}"


def percent_of(amount_cents: int, percent: Decimal | int | str) -> int:
    """Return ``percent`` % of an amount in cents, rounded half-up."""
    value = Decimal(amount_cents) * Decimal(str(percent)) / Decimal(100)
    return int(value.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


# --------------------------------------------------------------------------- misc

def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Split ``items`` into lists of at most ``size`` elements."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def mask_card_number(card_number: str) -> str:
    digits = re.sub(r"\D", "", card_number)
    return f"**** **** **** {digits[-4:]}" if len(digits) >= 4 else "****"
