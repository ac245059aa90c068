"""Background jobs of the notifications domain."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from sample_monolith.notifications.services import deliver_pending


def flush_email_outbox(session: Session, *, limit: int = 100) -> dict[str, Any]:
    """Deliver queued e-mails.  Scheduled alongside the inventory job."""
    sent, failed = deliver_pending(session, limit=limit)
    return {"sent": sent, "failed": failed}
