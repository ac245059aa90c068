"""HTTP API of the payments domain: ``/api/payments``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Response, status

from sample_monolith.common.auth import AdminOnly, CurrentCustomer, DbSession
from sample_monolith.payments import services
from sample_monolith.payments.models import PaymentStatus
from sample_monolith.payments.schemas import PaymentIn, PaymentOut, RefundIn

router = APIRouter(prefix="/api/payments", tags=["payments"])


@router.post(
    "",
    response_model=PaymentOut,
    status_code=status.HTTP_201_CREATED,
    responses={200: {"description": "Replay of an earlier request with the same Idempotency-Key"},
               402: {"description": "The card was declined"}},
)
def create_payment(
    data: PaymentIn,
    customer: CurrentCustomer,
    session: DbSession,
    response: Response,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key", max_length=255)] = None,
) -> PaymentOut:
    """Pay an order by card."""
    payment, replayed = services.create_payment(session, customer, data, idempotency_key=idempotency_key)
    if payment.status == PaymentStatus.DECLINED.value:
        raise services.declined_error(payment)
    if replayed:
        response.status_code = status.HTTP_200_OK
        response.headers["Idempotent-Replayed"] = "true"
    return PaymentOut.from_payment(payment)


@router.get("", response_model=list[PaymentOut])
def list_payments(customer: CurrentCustomer, session: DbSession, order_id: int | None = None) -> list[PaymentOut]:
    return [PaymentOut.from_payment(p) for p in services.list_payments(session, customer.id, order_id=order_id)]


@router.get("/{payment_id}", response_model=PaymentOut)
def get_payment(payment_id: int, customer: CurrentCustomer, session: DbSession) -> PaymentOut:
    return PaymentOut.from_payment(services.get_payment_for_customer(session, customer.id, payment_id))


@router.post(
    "/{payment_id}/refunds", response_model=PaymentOut, status_code=status.HTTP_201_CREATED, dependencies=[AdminOnly]
)
def refund_payment(payment_id: int, data: RefundIn, session: DbSession) -> PaymentOut:
    payment, _refund = services.refund_payment(session, payment_id, data)
    return PaymentOut.from_payment(payment)
