"""HTTP API of the cart domain: ``/api/cart``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response, status

from sample_monolith.cart import services
from sample_monolith.cart.schemas import CartItemIn, CartItemUpdate, CartOut
from sample_monolith.common.auth import CurrentCustomer, DbSession
from sample_monolith.config import Settings, get_settings

router = APIRouter(prefix="/api/cart", tags=["cart"])

SettingsDep = Annotated[Settings, Depends(get_settings)]


@router.get("", response_model=CartOut)
def get_cart(customer: CurrentCustomer, session: DbSession, settings: SettingsDep) -> CartOut:
    cart = services.get_or_create_cart(session, customer.id)
    session.commit()
    return services.view_cart(session, cart, currency=settings.currency)


@router.post("/items", response_model=CartOut, status_code=status.HTTP_201_CREATED)
def add_item(data: CartItemIn, customer: CurrentCustomer, session: DbSession, settings: SettingsDep) -> CartOut:
    cart = services.add_item(session, customer.id, data.product_id, data.quantity)
    return services.view_cart(session, cart, currency=settings.currency)


@router.put("/items/{product_id}", response_model=CartOut)
def update_item(
    product_id: int, data: CartItemUpdate, customer: CurrentCustomer, session: DbSession, settings: SettingsDep
) -> CartOut:
    cart = services.set_item_quantity(session, customer.id, product_id, data.quantity)
    return services.view_cart(session, cart, currency=settings.currency)


@router.delete("/items/{product_id}", response_model=CartOut)
def remove_item(product_id: int, customer: CurrentCustomer, session: DbSession, settings: SettingsDep) -> CartOut:
    cart = services.remove_item(session, customer.id, product_id)
    return services.view_cart(session, cart, currency=settings.currency)


@router.delete("", status_code=status.HTTP_204_NO_CONTENT)
def clear_cart(customer: CurrentCustomer, session: DbSession) -> Response:
    services.clear_cart(session, customer.id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
