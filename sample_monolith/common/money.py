"""Money value type.

Amounts are kept in minor units (cents) as integers everywhere: in the
database, in services and on the wire.  ``Money`` adds currency safety and a
few arithmetic helpers on top of that.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from pydantic import BaseModel

from sample_monolith.utils import format_currency


class CurrencyMismatchError(ValueError):
    """Raised when combining amounts in different currencies."""


@dataclass(frozen=True, slots=True)
class Money:
    amount_cents: int
    currency: str = "EUR"

    def __post_init__(self) -> None:
        if not isinstance(self.amount_cents, int) or isinstance(self.amount_cents, bool):
            raise TypeError(f"amount_cents must be int, got {type(self.amount_cents).__name__}")
        if len(self.currency) != 3 or not self.currency.isupper():
            raise ValueError(f"invalid ISO currency code {self.currency!r}")

    # -- constructors -------------------------------------------------------
    @classmethod
    def zero(cls, currency: str = "EUR") -> Money:
        return cls(0, currency)

    @classmethod
    def from_decimal(cls, amount: Decimal | str | int, currency: str = "EUR") -> Money:
        cents = (Decimal(str(amount)) * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
        return cls(int(cents), currency)

    # -- arithmetic -----------------------------------------------------------
    def _check(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise CurrencyMismatchError(f"{self.currency} != {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.amount_cents + other.amount_cents, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.amount_cents - other.amount_cents, self.currency)

    def __mul__(self, factor: int) -> Money:
        if not isinstance(factor, int):
            raise TypeError("Money can only be multiplied by an int quantity")
        return Money(self.amount_cents * factor, self.currency)

    __rmul__ = __mul__

    def __neg__(self) -> Money:
        return Money(-self.amount_cents, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._check(other)
        return self.amount_cents < other.amount_cents

    def __le__(self, other: Money) -> bool:
        self._check(other)
        return self.amount_cents <= other.amount_cents

    def __gt__(self, other: Money) -> bool:
        self._check(other)
        return self.amount_cents > other.amount_cents

    def __ge__(self, other: Money) -> bool:
        self._check(other)
        return self.amount_cents >= other.amount_cents

    # -- helpers --------------------------------------------------------------
    @property
    def is_zero(self) -> bool:
        return self.amount_cents == 0

    def to_decimal(self) -> Decimal:
        return Decimal(self.amount_cents) / 100

    def format(self) -> str:
        return format_currency(self.amount_cents, self.currency)

    def __str__(self) -> str:
        return self.format()


def sum_money(amounts: Iterable[Money], currency: str = "EUR") -> Money:
    total = Money.zero(currency)
    for amount in amounts:
        total = total + amount
    return total


class MoneyOut(BaseModel):
    """Wire representation of an amount."""

    amount_cents: int
    currency: str
    formatted: str

    @classmethod
    def of(cls, money: Money) -> MoneyOut:
        return cls(amount_cents=money.amount_cents, currency=money.currency, formatted=money.format())

    @classmethod
    def from_cents(cls, amount_cents: int, currency: str) -> MoneyOut:
        return cls.of(Money(int(amount_cents), currency))
