"""HTTP API of the notifications domain: ``/api/notifications``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from sample_monolith.common.auth import AdminOnly, CurrentCustomer, DbSession
from sample_monolith.common.pagination import Page, PageParams, page_params
from sample_monolith.notifications import services
from sample_monolith.notifications.models import EmailStatus
from sample_monolith.notifications.schemas import EmailOut

router = APIRouter(prefix="/api/notifications", tags=["notifications"])


@router.get("/me", response_model=list[EmailOut])
def my_emails(customer: CurrentCustomer, session: DbSession) -> list[EmailOut]:
    """E-mails the shop sent (or is about to send) to the current customer."""
    return [EmailOut.model_validate(e) for e in services.list_for_recipient(session, customer.email)]


@router.get("/outbox", response_model=Page[EmailOut], dependencies=[AdminOnly])
def outbox(
    session: DbSession,
    params: Annotated[PageParams, Depends(page_params)],
    to: str | None = None,
    template: str | None = None,
    status: EmailStatus | None = None,
) -> Page[EmailOut]:
    return services.list_outbox(
        session, params, to=to, template=template, status=status.value if status is not None else None
    )
