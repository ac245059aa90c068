"""Offset pagination shared by every listing endpoint."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")

MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class PageParams:
    page: int = 1
    page_size: int = 20

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


def page_params(
    page: int = Query(1, ge=1, description="1-based page number"),
    page_size: int = Query(20, ge=1, le=MAX_PAGE_SIZE, description="items per page"),
) -> PageParams:
    """FastAPI dependency turning query parameters into :class:`PageParams`."""
    return PageParams(page=page, page_size=page_size)


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    page: int
    page_size: int
    pages: int

    @classmethod
    def build(cls, items: Sequence[Any], total: int, params: PageParams) -> Page[Any]:
        return cls(
            items=list(items),
            total=total,
            page=params.page,
            page_size=params.page_size,
            pages=math.ceil(total / params.page_size) if total else 0,
        )


def paginate(
    session: Session,
    stmt: Select[Any],
    params: PageParams,
    transform: Callable[[Any], Any] | None = None,
) -> Page[Any]:
    """Run ``stmt`` for one page and count the total number of rows.

    ``stmt`` must select ORM entities (or rows) and should already be ordered.
    """
    count_stmt = select(func.count()).select_from(stmt.order_by(None).subquery())
    total = session.execute(count_stmt).scalar_one()
    rows = session.execute(stmt.limit(params.page_size).offset(params.offset)).scalars().all()
    items = [transform(row) for row in rows] if transform else list(rows)
    return Page[Any].build(items, total, params)
