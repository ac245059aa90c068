"""A deterministic fake card processor.

It behaves like the sandbox of a real payment provider: every valid card is
approved except a few magic numbers, identified by their last four digits.

=================  ======================
card ends with     outcome
=================  ======================
``0002``           ``card_declined``
``9995``           ``insufficient_funds``
``0069``           ``expired_card``
``0127``           ``incorrect_cvc``
anything else      approved
=================  ======================
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from sample_monolith.common.money import Money

logger = logging.getLogger(__name__)

DECLINES: dict[str, tuple[str, str]] = {
    "0002": ("card_declined", "The card was declined."),
    "9995": ("insufficient_funds", "The card has insufficient funds."),
    "0069": ("expired_card", "The card has expired."),
    "0127": ("incorrect_cvc", "The card's security code is incorrect."),
}


def luhn_valid(number: str) -> bool:
    """Luhn checksum, the same check real card forms do client side."""
    if not number.isdigit():
        return False
    total = 0
    for index, char in enumerate(reversed(number)):
        digit = int(char)
        if index % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def card_brand(number: str) -> str:
    if number.startswith("4"):
        return "visa"
    if number[:2] in {"51", "52", "53", "54", "55"} or number[:4].isdigit() and 2221 <= int(number[:4]) <= 2720:
        return "mastercard"
    if number[:2] in {"34", "37"}:
        return "amex"
    return "unknown"


@dataclass(frozen=True)
class ChargeResult:
    approved: bool
    provider_reference: str | None
    decline_code: str | None = None
    message: str = "approved"


@dataclass(frozen=True)
class RefundResult:
    provider_reference: str


class FakeCardProvider:
    """Stand-in for the real provider SDK.  Idempotent on ``idempotency_key``."""

    def __init__(self) -> None:
        self._charges: dict[str, ChargeResult] = {}

    @staticmethod
    def _reference(prefix: str, *parts: object) -> str:
        digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:20]
        return f"{prefix}_{digest}"

    def charge(self, card_number: str, amount: Money, *, idempotency_key: str) -> ChargeResult:
        if idempotency_key in self._charges:
            return self._charges[idempotency_key]
        decline = DECLINES.get(card_number[-4:])
        if decline is not None:
            result = ChargeResult(approved=False, provider_reference=None, decline_code=decline[0], message=decline[1])
        else:
            result = ChargeResult(
                approved=True, provider_reference=self._reference("ch", idempotency_key, amount.amount_cents)
            )
        self._charges[idempotency_key] = result
        logger.info("fake provider charge %s %s -> %s", amount, card_number[-4:], result.decline_code or "approved")
        return result

    def refund(self, provider_reference: str, amount: Money, *, refund_number: int) -> RefundResult:
        return RefundResult(provider_reference=self._reference("re", provider_reference, amount.amount_cents, refund_number))


#: Module-level client, like the SDK singleton a real integration would use.
provider = FakeCardProvider()
