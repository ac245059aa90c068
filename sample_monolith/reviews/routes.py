"""HTTP API of the reviews domain: ``/api/reviews``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from sample_monolith.common.auth import CurrentCustomer, DbSession
from sample_monolith.common.pagination import Page, PageParams, page_params
from sample_monolith.reviews import services
from sample_monolith.reviews.schemas import RatingSummary, ReviewIn, ReviewOut

router = APIRouter(prefix="/api/reviews", tags=["reviews"])


@router.get("/products/{product_id}", response_model=Page[ReviewOut])
def list_reviews(
    product_id: int,
    session: DbSession,
    params: Annotated[PageParams, Depends(page_params)],
    min_rating: Annotated[int | None, Query(ge=1, le=5)] = None,
) -> Page[ReviewOut]:
    return services.list_reviews(session, product_id, params, min_rating=min_rating)


@router.post("/products/{product_id}", response_model=ReviewOut, status_code=status.HTTP_201_CREATED)
def create_review(product_id: int, data: ReviewIn, customer: CurrentCustomer, session: DbSession) -> ReviewOut:
    review = services.create_review(session, customer, product_id, data)
    return services.to_review_out(session, [review])[0]


@router.get("/products/{product_id}/summary", response_model=RatingSummary)
def rating_summary(product_id: int, session: DbSession) -> RatingSummary:
    return services.rating_summary(session, product_id)


@router.get("/me", response_model=list[ReviewOut])
def my_reviews(customer: CurrentCustomer, session: DbSession) -> list[ReviewOut]:
    return services.to_review_out(session, services.list_customer_reviews(session, customer.id))


@router.delete("/{review_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_review(review_id: int, customer: CurrentCustomer, session: DbSession) -> Response:
    services.delete_review(session, customer.id, review_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
