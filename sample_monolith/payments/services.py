"""Use cases of the payments domain.

Idempotency: a client may send ``Idempotency-Key``; retrying a request with
the same key returns the original payment instead of charging twice.  Reusing
a key for a *different* request is rejected with 409.
"""

from __future__ import annotations

import hashlib
import json
import logging

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sample_monolith.accounts.models import Customer
from sample_monolith.common.errors import ConflictError, NotFoundError, PaymentDeclinedError
from sample_monolith.common.events import publish
from sample_monolith.common.money import Money
from sample_monolith.orders import services as orders_services
from sample_monolith.orders.models import OrderStatus
from sample_monolith.payments.models import Payment, PaymentStatus, Refund
from sample_monolith.payments.provider import card_brand, provider
from sample_monolith.payments.schemas import PaymentIn, RefundIn
from sample_monolith.utils import generate_reference, utcnow

logger = logging.getLogger(__name__)


def _fingerprint(data: PaymentIn) -> str:
    canonical = json.dumps(data.model_dump(mode="json"), sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _find_by_key(session: Session, customer_id: int, key: str) -> Payment | None:
    stmt = select(Payment).where(Payment.customer_id == customer_id, Payment.idempotency_key == key)
    return session.scalar(stmt)


def _replay(payment: Payment, fingerprint: str) -> Payment:
    if payment.request_fingerprint != fingerprint:
        raise ConflictError(
            "Idempotency-Key was already used for a different request", code="idempotency_key_reused"
        )
    return payment


def declined_error(payment: Payment) -> PaymentDeclinedError:
    return PaymentDeclinedError(
        f"Payment declined: {payment.decline_code}",
        decline_code=payment.decline_code,
        payment_id=payment.id,
        payment_reference=payment.reference,
    )


def create_payment(
    session: Session, customer: Customer, data: PaymentIn, *, idempotency_key: str | None = None
) -> tuple[Payment, bool]:
    """Charge the card for the order's total.

    Returns ``(payment, replayed)``.  A declined charge is stored (so a retry
    with the same key sees the same decline) and then raised as
    :class:`PaymentDeclinedError`.
    """
    fingerprint = _fingerprint(data)
    if idempotency_key:
        existing = _find_by_key(session, customer.id, idempotency_key)
        if existing is not None:
            return _replay(existing, fingerprint), True

    order = orders_services.get_order_for_customer(session, customer.id, data.order_id)
    if order.status != OrderStatus.PENDING_PAYMENT.value:
        raise ConflictError(f"Order is {order.status} and cannot be paid", code="order_not_payable", status=order.status)

    amount = Money(order.total_cents, order.currency)
    key = idempotency_key or generate_reference("auto", 16)
    result = provider.charge(data.card.number, amount, idempotency_key=f"{customer.id}:{key}")
    now = utcnow()
    payment = Payment(
        reference=generate_reference("PAY"),
        order_id=order.id,
        customer_id=customer.id,
        amount_cents=amount.amount_cents,
        currency=amount.currency,
        status=PaymentStatus.CAPTURED.value if result.approved else PaymentStatus.DECLINED.value,
        card_brand=card_brand(data.card.number),
        card_last4=data.card.number[-4:],
        provider_reference=result.provider_reference,
        decline_code=result.decline_code,
        idempotency_key=idempotency_key,
        request_fingerprint=fingerprint,
        captured_at=now if result.approved else None,
    )
    session.add(payment)
    try:
        session.flush()
    except IntegrityError:
        # Two concurrent requests with the same key: the other one won.
        session.rollback()
        existing = _find_by_key(session, customer.id, idempotency_key or "")
        if existing is None:
            raise
        return _replay(existing, fingerprint), True

    if result.approved:
        publish(
            "payment.captured",
            {
                "payment_id": payment.id,
                "payment_reference": payment.reference,
                "order_id": order.id,
                "order_number": order.number,
                "customer_id": customer.id,
                "customer_email": customer.email,
                "amount_cents": payment.amount_cents,
                "currency": payment.currency,
                "captured_at": now.isoformat(),
            },
            session=session,
        )
    session.commit()
    logger.info("payment %s for order %s: %s", payment.reference, order.number, payment.status)
    return payment, False


def get_payment_for_customer(session: Session, customer_id: int, payment_id: int) -> Payment:
    payment = session.get(Payment, payment_id)
    if payment is None or payment.customer_id != customer_id:
        raise NotFoundError("Payment not found", code="payment_not_found")
    return payment


def list_payments(session: Session, customer_id: int, *, order_id: int | None = None) -> list[Payment]:
    stmt = select(Payment).where(Payment.customer_id == customer_id).order_by(Payment.id)
    if order_id is not None:
        stmt = stmt.where(Payment.order_id == order_id)
    return list(session.scalars(stmt))


def refund_payment(session: Session, payment_id: int, data: RefundIn) -> tuple[Payment, Refund]:
    """Refund all or part of a captured payment (back-office only)."""
    payment = session.get(Payment, payment_id)
    if payment is None:
        raise NotFoundError("Payment not found", code="payment_not_found")
    if payment.status not in (PaymentStatus.CAPTURED.value, PaymentStatus.PARTIALLY_REFUNDED.value):
        raise ConflictError(f"Payment is {payment.status} and cannot be refunded", code="not_refundable")
    remaining = payment.amount_cents - payment.refunded_cents
    amount_cents = data.amount_cents if data.amount_cents is not None else remaining
    if amount_cents > remaining:
        raise ConflictError(
            f"Refund exceeds the refundable amount of {remaining} cents", code="refund_exceeds_payment",
            refundable_cents=remaining,
        )
    assert payment.provider_reference is not None
    result = provider.refund(
        payment.provider_reference, Money(amount_cents, payment.currency), refund_number=len(payment.refunds) + 1
    )
    refund = Refund(amount_cents=amount_cents, reason=data.reason, provider_reference=result.provider_reference)
    payment.refunds.append(refund)
    payment.refunded_cents += amount_cents
    payment.status = (
        PaymentStatus.REFUNDED.value if payment.refunded_cents >= payment.amount_cents
        else PaymentStatus.PARTIALLY_REFUNDED.value
    )
    session.flush()
    order = orders_services.get_order(session, payment.order_id)
    publish(
        "payment.refunded",
        {
            "payment_id": payment.id,
            "refund_id": refund.id,
            "order_id": payment.order_id,
            "order_number": order.number,
            "customer_email": order.customer_email,
            "customer_id": payment.customer_id,
            "amount_cents": amount_cents,
            "currency": payment.currency,
            "refunded_at": refund.created_at.isoformat(),
        },
        session=session,
    )
    session.commit()
    return payment, refund
