"""HTTP API of the accounts domain: ``/api/accounts``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Response, status

from sample_monolith.accounts import services
from sample_monolith.accounts.schemas import (
    AddressIn,
    AddressOut,
    CustomerOut,
    LoginIn,
    PasswordChange,
    ProfileUpdate,
    RegisterIn,
    TokenOut,
)
from sample_monolith.common.auth import CurrentCustomer, DbSession, get_bearer_token
from sample_monolith.config import Settings, get_settings

router = APIRouter(prefix="/api/accounts", tags=["accounts"])

BearerToken = Annotated[str, Depends(get_bearer_token)]


@router.post("/register", response_model=CustomerOut, status_code=status.HTTP_201_CREATED)
def register(data: RegisterIn, session: DbSession) -> CustomerOut:
    """Create a new customer account."""
    return CustomerOut.model_validate(services.register_customer(session, data))


@router.post("/login", response_model=TokenOut)
def login(
    data: LoginIn,
    session: DbSession,
    settings: Annotated[Settings, Depends(get_settings)],
    user_agent: Annotated[str | None, Header()] = None,
) -> TokenOut:
    """Exchange e-mail and password for a bearer token."""
    raw, token = services.login(
        session, data.email, data.password, ttl_minutes=settings.token_ttl_minutes, user_agent=user_agent
    )
    return TokenOut(access_token=raw, expires_at=token.expires_at)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(_customer: CurrentCustomer, token: BearerToken, session: DbSession) -> Response:
    """Revoke the token used for this request."""
    services.revoke_token(session, token)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/me", response_model=CustomerOut)
def me(customer: CurrentCustomer) -> CustomerOut:
    return CustomerOut.model_validate(customer)


@router.patch("/me", response_model=CustomerOut)
def update_me(data: ProfileUpdate, customer: CurrentCustomer, session: DbSession) -> CustomerOut:
    return CustomerOut.model_validate(services.update_profile(session, customer, data))


@router.post("/me/password", status_code=status.HTTP_204_NO_CONTENT)
def change_password(
    data: PasswordChange, customer: CurrentCustomer, token: BearerToken, session: DbSession
) -> Response:
    """Change the password; all other sessions of the customer are logged out."""
    services.change_password(session, customer, data, keep_token=token)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/me/addresses", response_model=list[AddressOut])
def list_addresses(customer: CurrentCustomer, session: DbSession) -> list[AddressOut]:
    return [AddressOut.model_validate(a) for a in services.list_addresses(session, customer.id)]


@router.post("/me/addresses", response_model=AddressOut, status_code=status.HTTP_201_CREATED)
def add_address(data: AddressIn, customer: CurrentCustomer, session: DbSession) -> AddressOut:
    return AddressOut.model_validate(services.add_address(session, customer.id, data))


@router.get("/me/addresses/{address_id}", response_model=AddressOut)
def get_address(address_id: int, customer: CurrentCustomer, session: DbSession) -> AddressOut:
    return AddressOut.model_validate(services.get_address_for_customer(session, customer.id, address_id))


@router.post("/me/addresses/{address_id}/default", response_model=AddressOut)
def make_default_address(address_id: int, customer: CurrentCustomer, session: DbSession) -> AddressOut:
    return AddressOut.model_validate(services.set_default_address(session, customer.id, address_id))


@router.delete("/me/addresses/{address_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_address(address_id: int, customer: CurrentCustomer, session: DbSession) -> Response:
    services.delete_address(session, customer.id, address_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
