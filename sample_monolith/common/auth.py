"""Authentication dependencies shared by all routers.

Customers authenticate with an opaque bearer token obtained from
``POST /api/accounts/login``.  Back-office endpoints require the static admin
token from configuration in the ``X-Admin-Token`` header.

Note: this "shared" module depends on the accounts domain to resolve tokens –
a well-known wart the team never got round to fixing.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from sample_monolith.accounts import services as accounts_services
from sample_monolith.accounts.models import Customer
from sample_monolith.common.errors import AuthenticationError, PermissionDeniedError
from sample_monolith.db import get_session

ADMIN_HEADER = "X-Admin-Token"

_bearer = HTTPBearer(auto_error=False, description="Token from POST /api/accounts/login")
_admin_header = APIKeyHeader(name=ADMIN_HEADER, auto_error=False, description="Back-office token")


def get_bearer_token(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    """The raw bearer token of the request (401 when absent)."""
    if credentials is None or not credentials.credentials:
        raise AuthenticationError("Missing bearer token")
    return credentials.credentials


def get_current_customer(
    token: Annotated[str, Depends(get_bearer_token)],
    session: Annotated[Session, Depends(get_session)],
) -> Customer:
    """Resolve the bearer token to an active customer or fail with 401."""
    customer = accounts_services.resolve_token(session, token)
    if customer is None:
        raise AuthenticationError("Invalid or expired token")
    return customer


def require_admin(request: Request, token: Annotated[str | None, Depends(_admin_header)]) -> None:
    """Guard for back-office endpoints: 401 without token, 403 with a wrong one."""
    if not token:
        raise AuthenticationError(f"Missing {ADMIN_HEADER} header", code="admin_token_required")
    expected: str = request.app.state.settings.admin_token
    if not hmac.compare_digest(token.encode(), expected.encode()):
        raise PermissionDeniedError("Invalid admin token")


CurrentCustomer = Annotated[Customer, Depends(get_current_customer)]
DbSession = Annotated[Session, Depends(get_session)]
AdminOnly = Depends(require_admin)
