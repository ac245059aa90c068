"""Request/response models of the catalog API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from sample_monolith.common.money import MoneyOut


class CategoryIn(BaseModel):
    name: str = Field(min_length=1, max_length=120)
    slug: str | None = Field(default=None, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=140)
    description: str | None = None
    parent_id: int | None = None


class CategoryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    slug: str
    description: str | None
    parent_id: int | None


class ProductIn(BaseModel):
    sku: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    name: str = Field(min_length=1, max_length=200)
    description: str = ""
    category_id: int | None = None
    price_cents: int = Field(gt=0, le=100_000_000)
    weight_grams: int = Field(default=500, ge=0, le=1_000_000)


class ProductUpdate(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = None
    category_id: int | None = None
    weight_grams: int | None = Field(default=None, ge=0, le=1_000_000)
    is_active: bool | None = None


class PriceIn(BaseModel):
    amount_cents: int = Field(gt=0, le=100_000_000)


class PriceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    amount_cents: int
    currency: str
    valid_from: datetime
    valid_to: datetime | None


class ProductOut(BaseModel):
    id: int
    sku: str
    name: str
    slug: str
    description: str
    category_id: int | None
    weight_grams: int
    is_active: bool
    price: MoneyOut | None
    created_at: datetime


ProductSort = Literal["name", "newest", "sku"]
