"""Use cases of the notifications domain."""

from __future__ import annotations

import logging
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from sample_monolith.common.pagination import Page, PageParams, paginate
from sample_monolith.notifications.models import EmailStatus, OutboxEmail
from sample_monolith.notifications.schemas import EmailOut
from sample_monolith.notifications.templates import render
from sample_monolith.utils import is_valid_email, mask_email, truncate, utcnow

logger = logging.getLogger(__name__)

SHOP_NAME = "Sample Shop"
MAX_ATTEMPTS = 3


class EmailBackend(Protocol):
    def send(self, to: str, subject: str, body: str) -> None: ...


class LoggingBackend:
    """Default backend: "sends" by logging.  There is no SMTP in this project."""

    def send(self, to: str, subject: str, body: str) -> None:
        logger.info("email to %s: %s", mask_email(to), subject)


backend: EmailBackend = LoggingBackend()


def queue_email(
    session: Session,
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    customer_id: int | None = None,
) -> OutboxEmail | None:
    """Put an e-mail into the outbox, in the caller's transaction.

    Never raises: callers treat e-mail as fire-and-forget, so problems are
    logged and ``None`` is returned.
    """
    try:
        if not is_valid_email(to):
            raise ValueError(f"invalid recipient {to!r}")
        subject, body = render(template, {"shop_name": SHOP_NAME, **context})
    except Exception:  # noqa: BLE001 - deliberately swallowing, see docstring
        logger.exception("could not queue %s e-mail", template)
        return None
    email = OutboxEmail(
        customer_id=customer_id, to_address=to, template=template, subject=truncate(subject, 200), body=body
    )
    session.add(email)
    return email


def list_outbox(
    session: Session,
    params: PageParams,
    *,
    to: str | None = None,
    template: str | None = None,
    status: str | None = None,
) -> Page[EmailOut]:
    stmt = select(OutboxEmail)
    if to:
        stmt = stmt.where(OutboxEmail.to_address == to.strip().lower())
    if template:
        stmt = stmt.where(OutboxEmail.template == template)
    if status:
        stmt = stmt.where(OutboxEmail.status == status)
    return paginate(session, stmt.order_by(OutboxEmail.id.desc()), params, EmailOut.model_validate)


def list_for_recipient(session: Session, email: str) -> list[OutboxEmail]:
    stmt = select(OutboxEmail).where(OutboxEmail.to_address == email).order_by(OutboxEmail.id)
    return list(session.scalars(stmt))


def deliver_pending(session: Session, *, limit: int = 100) -> tuple[int, int]:
    """Hand pending e-mails to the backend; returns ``(sent, failed)``."""
    stmt = (
        select(OutboxEmail)
        .where(OutboxEmail.status == EmailStatus.PENDING.value)
        .order_by(OutboxEmail.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    sent = failed = 0
    for email in list(session.scalars(stmt)):
        email.attempts += 1
        try:
            backend.send(email.to_address, email.subject, email.body)
        except Exception as exc:  # noqa: BLE001
            email.last_error = truncate(str(exc), 255)
            if email.attempts >= MAX_ATTEMPTS:
                email.status = EmailStatus.FAILED.value
                failed += 1
            continue
        email.status = EmailStatus.SENT.value
        email.sent_at = utcnow()
        sent += 1
    session.commit()
    return sent, failed
