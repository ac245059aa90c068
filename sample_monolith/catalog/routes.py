"""HTTP API of the catalog domain: ``/api/catalog``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from sample_monolith.catalog import services
from sample_monolith.catalog.schemas import (
    CategoryIn,
    CategoryOut,
    PriceIn,
    PriceOut,
    ProductIn,
    ProductOut,
    ProductSort,
    ProductUpdate,
)
from sample_monolith.common.auth import AdminOnly, DbSession
from sample_monolith.common.pagination import Page, PageParams, page_params
from sample_monolith.config import Settings, get_settings

router = APIRouter(prefix="/api/catalog", tags=["catalog"])


@router.get("/categories", response_model=list[CategoryOut])
def list_categories(session: DbSession) -> list[CategoryOut]:
    return [CategoryOut.model_validate(c) for c in services.list_categories(session)]


@router.post(
    "/categories", response_model=CategoryOut, status_code=status.HTTP_201_CREATED, dependencies=[AdminOnly]
)
def create_category(data: CategoryIn, session: DbSession) -> CategoryOut:
    return CategoryOut.model_validate(services.create_category(session, data))


@router.get("/categories/{category_id}", response_model=CategoryOut)
def get_category(category_id: int, session: DbSession) -> CategoryOut:
    return CategoryOut.model_validate(services.get_category(session, category_id))


@router.get("/products", response_model=Page[ProductOut])
def list_products(
    session: DbSession,
    params: Annotated[PageParams, Depends(page_params)],
    q: Annotated[str | None, Query(max_length=100)] = None,
    category_id: int | None = None,
    include_inactive: bool = False,
    sort: ProductSort = "name",
) -> Page[ProductOut]:
    """Browse/search the catalog (active products only unless asked otherwise)."""
    return services.search_products(
        session, params, q=q, category_id=category_id, include_inactive=include_inactive, sort=sort
    )


@router.post("/products", response_model=ProductOut, status_code=status.HTTP_201_CREATED, dependencies=[AdminOnly])
def create_product(
    data: ProductIn, session: DbSession, settings: Annotated[Settings, Depends(get_settings)]
) -> ProductOut:
    product = services.create_product(session, data, currency=settings.currency)
    return services.to_product_out(product, services.get_current_price(session, product.id))


@router.get("/products/by-sku/{sku}", response_model=ProductOut)
def get_product_by_sku(sku: str, session: DbSession) -> ProductOut:
    product = services.get_product_by_sku(session, sku)
    return services.to_product_out(product, services.get_current_prices(session, [product.id]).get(product.id))


@router.get("/products/{product_id}", response_model=ProductOut)
def get_product(product_id: int, session: DbSession) -> ProductOut:
    product = services.get_product(session, product_id)
    return services.to_product_out(product, services.get_current_prices(session, [product_id]).get(product_id))


@router.patch("/products/{product_id}", response_model=ProductOut, dependencies=[AdminOnly])
def update_product(product_id: int, data: ProductUpdate, session: DbSession) -> ProductOut:
    product = services.update_product(session, product_id, data)
    return services.to_product_out(product, services.get_current_prices(session, [product_id]).get(product_id))


@router.delete("/products/{product_id}", status_code=status.HTTP_204_NO_CONTENT, dependencies=[AdminOnly])
def deactivate_product(product_id: int, session: DbSession) -> Response:
    """Soft-delete: the product disappears from listings but old orders keep working."""
    services.deactivate_product(session, product_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.put("/products/{product_id}/price", response_model=PriceOut, dependencies=[AdminOnly])
def set_price(
    product_id: int, data: PriceIn, session: DbSession, settings: Annotated[Settings, Depends(get_settings)]
) -> PriceOut:
    return PriceOut.model_validate(
        services.set_price(session, product_id, data.amount_cents, currency=settings.currency)
    )


@router.get("/products/{product_id}/prices", response_model=list[PriceOut])
def price_history(product_id: int, session: DbSession) -> list[PriceOut]:
    return [PriceOut.model_validate(p) for p in services.price_history(session, product_id)]
