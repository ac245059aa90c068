"""Use cases of the reviews domain."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sample_monolith.accounts import services as accounts_services
from sample_monolith.accounts.models import Customer
from sample_monolith.catalog import services as catalog_services
from sample_monolith.common.errors import ConflictError, NotFoundError, PermissionDeniedError
from sample_monolith.common.pagination import Page, PageParams, paginate
from sample_monolith.orders import services as orders_services
from sample_monolith.reviews.models import Review
from sample_monolith.reviews.schemas import RatingSummary, ReviewIn, ReviewOut


def _to_out(reviews: list[Review], names: dict[int, str]) -> list[ReviewOut]:
    return [
        ReviewOut(
            id=r.id,
            product_id=r.product_id,
            rating=r.rating,
            title=r.title,
            body=r.body,
            author=names.get(r.customer_id, "Former customer"),
            verified_purchase=r.verified_purchase,
            created_at=r.created_at,
        )
        for r in reviews
    ]


def to_review_out(session: Session, reviews: list[Review]) -> list[ReviewOut]:
    names = accounts_services.get_display_names(session, {r.customer_id for r in reviews})
    return _to_out(reviews, names)


def create_review(session: Session, customer: Customer, product_id: int, data: ReviewIn) -> Review:
    """Only customers with a paid order for the product may review it, once."""
    catalog_services.get_product(session, product_id)
    if not orders_services.customer_has_purchased(session, customer.id, product_id):
        raise PermissionDeniedError("Only customers who bought this product can review it", code="not_a_buyer")
    existing = session.scalar(
        select(Review.id).where(Review.product_id == product_id, Review.customer_id == customer.id)
    )
    if existing is not None:
        raise ConflictError("You already reviewed this product", code="already_reviewed", review_id=existing)
    review = Review(
        product_id=product_id,
        customer_id=customer.id,
        rating=data.rating,
        title=data.title.strip(),
        body=data.body.strip(),
        verified_purchase=True,
    )
    session.add(review)
    try:
        session.commit()
    except IntegrityError as exc:
        session.rollback()
        raise ConflictError("You already reviewed this product", code="already_reviewed") from exc
    return review


def list_reviews(session: Session, product_id: int, params: PageParams, *, min_rating: int | None = None) -> Page[ReviewOut]:
    catalog_services.get_product(session, product_id)
    stmt = select(Review).where(Review.product_id == product_id)
    if min_rating is not None:
        stmt = stmt.where(Review.rating >= min_rating)
    page = paginate(session, stmt.order_by(Review.created_at.desc(), Review.id.desc()), params)
    page.items = to_review_out(session, page.items)
    return page


def list_customer_reviews(session: Session, customer_id: int) -> list[Review]:
    return list(session.scalars(select(Review).where(Review.customer_id == customer_id).order_by(Review.id)))


def rating_summary(session: Session, product_id: int) -> RatingSummary:
    catalog_services.get_product(session, product_id)
    rows = session.execute(
        select(Review.rating, func.count()).where(Review.product_id == product_id).group_by(Review.rating)
    ).all()
    histogram = {str(star): 0 for star in range(1, 6)}
    for rating, count in rows:
        histogram[str(rating)] = count
    total = sum(histogram.values())
    average = round(sum(int(k) * v for k, v in histogram.items()) / total, 2) if total else None
    return RatingSummary(product_id=product_id, count=total, average=average, histogram=histogram)


def delete_review(session: Session, customer_id: int, review_id: int) -> None:
    review = session.get(Review, review_id)
    if review is None or review.customer_id != customer_id:
        raise NotFoundError("Review not found", code="review_not_found")
    session.delete(review)
    session.commit()
