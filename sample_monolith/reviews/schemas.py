"""Request/response models of the reviews API."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class ReviewIn(BaseModel):
    rating: int = Field(ge=1, le=5)
    title: str = Field(min_length=1, max_length=120)
    body: str = Field(default="", max_length=5000)


class ReviewOut(BaseModel):
    id: int
    product_id: int
    rating: int
    title: str
    body: str
    author: str
    verified_purchase: bool
    created_at: datetime


class RatingSummary(BaseModel):
    product_id: int
    count: int
    average: float | None
    histogram: dict[str, int]
