"""HTTP API of the orders domain: ``/api/orders``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, status

from sample_monolith.common.auth import CurrentCustomer, DbSession
from sample_monolith.common.pagination import Page, PageParams, page_params
from sample_monolith.config import Settings, get_settings
from sample_monolith.orders import services
from sample_monolith.orders.models import OrderStatus
from sample_monolith.orders.schemas import CancelIn, CheckoutIn, OrderOut, OrderSummaryOut

router = APIRouter(prefix="/api/orders", tags=["orders"])


@router.post("/checkout", response_model=OrderOut, status_code=status.HTTP_201_CREATED)
def checkout(
    data: CheckoutIn,
    customer: CurrentCustomer,
    session: DbSession,
    settings: Annotated[Settings, Depends(get_settings)],
) -> OrderOut:
    """Place an order for everything in the cart.  Stock is held until ``payment_due_at``."""
    return OrderOut.from_order(services.place_order(session, customer, data, settings))


@router.get("", response_model=Page[OrderSummaryOut])
def list_orders(
    customer: CurrentCustomer,
    session: DbSession,
    params: Annotated[PageParams, Depends(page_params)],
    status: OrderStatus | None = None,
) -> Page[OrderSummaryOut]:
    return services.list_orders_for_customer(session, customer.id, params, status=status)


@router.get("/{order_id}", response_model=OrderOut)
def get_order(order_id: int, customer: CurrentCustomer, session: DbSession) -> OrderOut:
    return OrderOut.from_order(services.get_order_for_customer(session, customer.id, order_id))


@router.post("/{order_id}/cancel", response_model=OrderOut)
def cancel_order(
    order_id: int,
    customer: CurrentCustomer,
    session: DbSession,
    data: Annotated[CancelIn | None, Body()] = None,
) -> OrderOut:
    reason = data.reason if data is not None else "customer_request"
    return OrderOut.from_order(services.cancel_order(session, customer.id, order_id, reason))
