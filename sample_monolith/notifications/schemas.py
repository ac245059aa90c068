"""Response models of the notifications API."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict


class EmailOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    to_address: str
    template: str
    subject: str
    body: str
    status: str
    created_at: datetime
    sent_at: datetime | None


class FlushResult(BaseModel):
    sent: int
    failed: int
