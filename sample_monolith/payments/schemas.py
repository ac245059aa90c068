"""Request/response models of the payments API."""

from __future__ import annotations

import re
from datetime import datetime

from pydantic import BaseModel, Field, field_validator, model_validator

from sample_monolith.common.money import MoneyOut
from sample_monolith.payments.models import Payment
from sample_monolith.payments.provider import luhn_valid
from sample_monolith.utils import utcnow


class CardIn(BaseModel):
    number: str = Field(min_length=12, max_length=23)
    expiry_month: int = Field(ge=1, le=12)
    expiry_year: int = Field(ge=2000, le=2100)
    cvc: str = Field(pattern=r"^\d{3,4}$")
    holder_name: str | None = Field(default=None, max_length=200)

    @field_validator("number")
    @classmethod
    def _valid_number(cls, value: str) -> str:
        digits = re.sub(r"[\s-]", "", value)
        if not luhn_valid(digits) or not 12 <= len(digits) <= 19:
            raise ValueError("card number is invalid")
        return digits

    @model_validator(mode="after")
    def _not_expired(self) -> CardIn:
        now = utcnow()
        if (self.expiry_year, self.expiry_month) < (now.year, now.month):
            raise ValueError("card has expired")
        return self


class PaymentIn(BaseModel):
    order_id: int = Field(gt=0)
    card: CardIn


class RefundIn(BaseModel):
    amount_cents: int | None = Field(default=None, gt=0, description="defaults to the remaining amount")
    reason: str = Field(default="requested_by_customer", max_length=200)


class RefundOut(BaseModel):
    id: int
    amount: MoneyOut
    reason: str
    created_at: datetime


class PaymentOut(BaseModel):
    id: int
    reference: str
    order_id: int
    status: str
    amount: MoneyOut
    refunded: MoneyOut
    card_brand: str
    card_last4: str
    decline_code: str | None
    created_at: datetime
    captured_at: datetime | None
    refunds: list[RefundOut]

    @classmethod
    def from_payment(cls, payment: Payment) -> PaymentOut:
        cur = payment.currency
        return cls(
            id=payment.id,
            reference=payment.reference,
            order_id=payment.order_id,
            status=payment.status,
            amount=MoneyOut.from_cents(payment.amount_cents, cur),
            refunded=MoneyOut.from_cents(payment.refunded_cents, cur),
            card_brand=payment.card_brand,
            card_last4=payment.card_last4,
            decline_code=payment.decline_code,
            created_at=payment.created_at,
            captured_at=payment.captured_at,
            refunds=[
                RefundOut(
                    id=r.id, amount=MoneyOut.from_cents(r.amount_cents, cur), reason=r.reason, created_at=r.created_at
                )
                for r in payment.refunds
            ],
        )
