"""Use cases of the accounts domain."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sample_monolith.accounts import security
from sample_monolith.accounts.models import Address, Customer, LoginToken
from sample_monolith.accounts.schemas import AddressIn, PasswordChange, ProfileUpdate, RegisterIn
from sample_monolith.common.errors import AuthenticationError, ConflictError, NotFoundError
from sample_monolith.common.events import publish
from sample_monolith.utils import mask_email, normalize_email, utcnow

logger = logging.getLogger(__name__)


# --------------------------------------------------------------------------- customers

def register_customer(session: Session, data: RegisterIn) -> Customer:
    """Create a customer account and announce it (welcome e-mail etc.)."""
    email = normalize_email(data.email)
    if session.scalar(select(Customer.id).where(Customer.email == email)) is not None:
        raise ConflictError("An account with this e-mail already exists", code="email_taken")
    customer = Customer(
        email=email,
        full_name=data.full_name,
        password_hash=security.hash_password(data.password),
        marketing_opt_in=data.marketing_opt_in,
    )
    session.add(customer)
    try:
        session.flush()
    except IntegrityError as exc:  # concurrent registration with the same e-mail
        session.rollback()
        raise ConflictError("An account with this e-mail already exists", code="email_taken") from exc
    publish(
        "customer.registered",
        {"customer_id": customer.id, "email": customer.email, "full_name": customer.full_name},
        session=session,
    )
    session.commit()
    logger.info("registered customer %s", mask_email(email))
    return customer


def get_customer(session: Session, customer_id: int) -> Customer:
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFoundError("Customer not found")
    return customer


def get_display_names(session: Session, customer_ids: Iterable[int]) -> dict[int, str]:
    """Public display names ("Jane D.") for a set of customers, used by reviews."""
    ids = set(customer_ids)
    if not ids:
        return {}
    rows = session.execute(select(Customer.id, Customer.full_name).where(Customer.id.in_(ids)))
    names: dict[int, str] = {}
    for customer_id, full_name in rows:
        parts = full_name.split()
        names[customer_id] = f"{parts[0]} {parts[-1][0]}." if len(parts) > 1 else (parts[0] if parts else "Customer")
    return names


def update_profile(session: Session, customer: Customer, data: ProfileUpdate) -> Customer:
    if data.full_name is not None:
        customer.full_name = data.full_name.strip()
    if data.marketing_opt_in is not None:
        customer.marketing_opt_in = data.marketing_opt_in
    session.add(customer)
    session.commit()
    return customer


def change_password(session: Session, customer: Customer, data: PasswordChange, *, keep_token: str) -> None:
    """Change the password and revoke every other token of the customer."""
    if not security.verify_password(data.current_password, customer.password_hash):
        raise AuthenticationError("Current password is incorrect", code="invalid_credentials")
    customer.password_hash = security.hash_password(data.new_password)
    session.add(customer)
    session.execute(
        update(LoginToken)
        .where(
            LoginToken.customer_id == customer.id,
            LoginToken.revoked_at.is_(None),
            LoginToken.token_hash != security.hash_token(keep_token),
        )
        .values(revoked_at=utcnow())
    )
    session.commit()


# --------------------------------------------------------------------------- tokens

def authenticate(session: Session, email: str, password: str) -> Customer:
    customer = session.scalar(select(Customer).where(Customer.email == normalize_email(email)))
    if customer is None or not customer.is_active or not security.verify_password(password, customer.password_hash):
        raise AuthenticationError("Invalid e-mail or password", code="invalid_credentials")
    return customer


def login(
    session: Session, email: str, password: str, *, ttl_minutes: int, user_agent: str | None = None
) -> tuple[str, LoginToken]:
    """Check credentials and issue a new bearer token."""
    customer = authenticate(session, email, password)
    raw = security.new_token()
    token = LoginToken(
        customer_id=customer.id,
        token_hash=security.hash_token(raw),
        expires_at=utcnow() + timedelta(minutes=ttl_minutes),
        user_agent=(user_agent or "")[:255] or None,
    )
    session.add(token)
    session.commit()
    return raw, token


def resolve_token(session: Session, raw_token: str, *, now: datetime | None = None) -> Customer | None:
    """Return the active customer owning ``raw_token`` or ``None``."""
    token = session.scalar(select(LoginToken).where(LoginToken.token_hash == security.hash_token(raw_token)))
    if token is None or not token.is_valid(now or utcnow()):
        return None
    customer = session.get(Customer, token.customer_id)
    if customer is None or not customer.is_active:
        return None
    return customer


def revoke_token(session: Session, raw_token: str) -> None:
    session.execute(
        update(LoginToken)
        .where(LoginToken.token_hash == security.hash_token(raw_token), LoginToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    session.commit()


# --------------------------------------------------------------------------- addresses

def list_addresses(session: Session, customer_id: int) -> list[Address]:
    stmt = select(Address).where(Address.customer_id == customer_id).order_by(Address.id)
    return list(session.scalars(stmt))


def get_address_for_customer(session: Session, customer_id: int, address_id: int) -> Address:
    """Fetch one address, hiding other customers' addresses behind a 404."""
    address = session.get(Address, address_id)
    if address is None or address.customer_id != customer_id:
        raise NotFoundError("Address not found", code="address_not_found")
    return address


def _clear_default(session: Session, customer_id: int) -> None:
    session.execute(update(Address).where(Address.customer_id == customer_id).values(is_default=False))


def add_address(session: Session, customer_id: int, data: AddressIn) -> Address:
    existing = list_addresses(session, customer_id)
    make_default = data.is_default or not existing
    if make_default:
        _clear_default(session, customer_id)
    address = Address(customer_id=customer_id, **data.model_dump(exclude={"is_default"}), is_default=make_default)
    session.add(address)
    session.commit()
    return address


def set_default_address(session: Session, customer_id: int, address_id: int) -> Address:
    address = get_address_for_customer(session, customer_id, address_id)
    _clear_default(session, customer_id)
    address.is_default = True
    session.commit()
    session.refresh(address)
    return address


def delete_address(session: Session, customer_id: int, address_id: int) -> None:
    """Delete an address.  Orders keep their own snapshot, so this is safe."""
    address = get_address_for_customer(session, customer_id, address_id)
    was_default = address.is_default
    session.delete(address)
    session.flush()
    if was_default:
        remaining = list_addresses(session, customer_id)
        if remaining:
            remaining[0].is_default = True
    session.commit()
