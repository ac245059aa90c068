"""Use cases of the catalog domain.

Other domains call :func:`get_current_prices` and :func:`get_products_by_ids`
synchronously – the cart to price itself, orders during checkout.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sample_monolith.catalog.models import Category, Price, Product
from sample_monolith.catalog.schemas import CategoryIn, ProductIn, ProductOut, ProductSort, ProductUpdate
from sample_monolith.common.errors import ConflictError, NotFoundError
from sample_monolith.common.money import Money, MoneyOut
from sample_monolith.common.pagination import Page, PageParams, paginate
from sample_monolith.utils import slugify, utcnow


# --------------------------------------------------------------------------- categories

def list_categories(session: Session) -> list[Category]:
    return list(session.scalars(select(Category).order_by(Category.name, Category.id)))


def get_category(session: Session, category_id: int) -> Category:
    category = session.get(Category, category_id)
    if category is None:
        raise NotFoundError("Category not found", code="category_not_found")
    return category


def create_category(session: Session, data: CategoryIn) -> Category:
    slug = data.slug or slugify(data.name)
    if session.scalar(select(Category.id).where(Category.slug == slug)) is not None:
        raise ConflictError(f"Category slug {slug!r} already exists", code="slug_taken")
    if data.parent_id is not None:
        get_category(session, data.parent_id)
    category = Category(name=data.name, slug=slug, description=data.description, parent_id=data.parent_id)
    session.add(category)
    session.commit()
    return category


def list_product_ids_in_category(session: Session, category_id: int) -> list[int]:
    """IDs of all products (active or not) in a category; used by reporting."""
    get_category(session, category_id)
    return list(session.scalars(select(Product.id).where(Product.category_id == category_id)))


# --------------------------------------------------------------------------- products

def get_product(session: Session, product_id: int) -> Product:
    product = session.get(Product, product_id)
    if product is None:
        raise NotFoundError("Product not found", code="product_not_found", product_id=product_id)
    return product


def get_product_by_sku(session: Session, sku: str) -> Product:
    product = session.scalar(select(Product).where(Product.sku == sku))
    if product is None:
        raise NotFoundError("Product not found", code="product_not_found", sku=sku)
    return product


def get_products_by_ids(session: Session, product_ids: Iterable[int]) -> dict[int, Product]:
    ids = set(product_ids)
    if not ids:
        return {}
    return {p.id: p for p in session.scalars(select(Product).where(Product.id.in_(ids)))}


def create_product(session: Session, data: ProductIn, *, currency: str = "EUR") -> Product:
    if session.scalar(select(Product.id).where(Product.sku == data.sku)) is not None:
        raise ConflictError(f"SKU {data.sku!r} already exists", code="sku_taken")
    if data.category_id is not None:
        get_category(session, data.category_id)
    product = Product(
        sku=data.sku,
        name=data.name,
        slug=slugify(data.name),
        description=data.description,
        category_id=data.category_id,
        weight_grams=data.weight_grams,
    )
    product.prices.append(Price(amount_cents=data.price_cents, currency=currency))
    session.add(product)
    try:
        session.commit()
    except IntegrityError as exc:
        session.rollback()
        raise ConflictError(f"SKU {data.sku!r} already exists", code="sku_taken") from exc
    return product


def update_product(session: Session, product_id: int, data: ProductUpdate) -> Product:
    product = get_product(session, product_id)
    changes = data.model_dump(exclude_unset=True)
    if changes.get("category_id") is not None:
        get_category(session, changes["category_id"])
    for field, value in changes.items():
        if field in {"name", "is_active", "weight_grams"} and value is None:
            continue
        setattr(product, field, value)
    if "name" in changes and changes["name"]:
        product.slug = slugify(changes["name"])
    session.commit()
    return product


def deactivate_product(session: Session, product_id: int) -> None:
    """Products are never deleted: orders and reviews reference them."""
    product = get_product(session, product_id)
    product.is_active = False
    session.commit()


def _search_stmt(q: str | None, category_id: int | None, include_inactive: bool, sort: ProductSort) -> Select:
    stmt = select(Product)
    if not include_inactive:
        stmt = stmt.where(Product.is_active.is_(True))
    if category_id is not None:
        stmt = stmt.where(Product.category_id == category_id)
    if q:
        pattern = f"%{q.strip().lower()}%"
        stmt = stmt.where(or_(Product.name.ilike(pattern), Product.sku.ilike(pattern), Product.description.ilike(pattern)))
    order = {
        "name": (Product.name, Product.id),
        "newest": (Product.created_at.desc(), Product.id.desc()),
        "sku": (Product.sku,),
    }[sort]
    return stmt.order_by(*order)


def search_products(
    session: Session,
    params: PageParams,
    *,
    q: str | None = None,
    category_id: int | None = None,
    include_inactive: bool = False,
    sort: ProductSort = "name",
) -> Page[ProductOut]:
    page = paginate(session, _search_stmt(q, category_id, include_inactive, sort), params)
    prices = get_current_prices(session, [p.id for p in page.items])
    page.items = [to_product_out(p, prices.get(p.id)) for p in page.items]
    return page


def to_product_out(product: Product, price: Money | None) -> ProductOut:
    return ProductOut(
        id=product.id,
        sku=product.sku,
        name=product.name,
        slug=product.slug,
        description=product.description,
        category_id=product.category_id,
        weight_grams=product.weight_grams,
        is_active=product.is_active,
        price=MoneyOut.of(price) if price is not None else None,
        created_at=product.created_at,
    )


# --------------------------------------------------------------------------- prices

def get_current_prices(session: Session, product_ids: Iterable[int]) -> dict[int, Money]:
    """Current unit price per product id.  Products without a price are omitted."""
    ids = set(product_ids)
    if not ids:
        return {}
    stmt = select(Price).where(Price.product_id.in_(ids), Price.valid_to.is_(None))
    return {price.product_id: price.money for price in session.scalars(stmt)}


def get_current_price(session: Session, product_id: int) -> Money:
    price = get_current_prices(session, [product_id]).get(product_id)
    if price is None:
        raise NotFoundError("Product has no price", code="price_not_found")
    return price


def set_price(session: Session, product_id: int, amount_cents: int, *, currency: str = "EUR") -> Price:
    """Close the current price and open a new one starting now."""
    product = get_product(session, product_id)
    now = utcnow()
    for price in product.prices:
        if price.valid_to is None:
            price.valid_to = now
    new_price = Price(product_id=product.id, amount_cents=amount_cents, currency=currency, valid_from=now)
    session.add(new_price)
    session.commit()
    return new_price


def price_history(session: Session, product_id: int) -> list[Price]:
    get_product(session, product_id)
    stmt = select(Price).where(Price.product_id == product_id).order_by(Price.valid_from, Price.id)
    return list(session.scalars(stmt))
