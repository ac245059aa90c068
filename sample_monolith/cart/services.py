"""Use cases of the cart domain.

The cart stores only product ids and quantities; names and prices are looked
up in the catalog every time the cart is shown, so customers always see
current prices.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sample_monolith.cart.models import Cart, CartItem
from sample_monolith.cart.schemas import MAX_QUANTITY_PER_LINE, CartLineOut, CartOut
from sample_monolith.catalog import services as catalog_services
from sample_monolith.common.errors import BusinessRuleError, ConflictError, NotFoundError, OutOfStockError
from sample_monolith.common.money import Money, MoneyOut
from sample_monolith.inventory import services as inventory_services


def get_or_create_cart(session: Session, customer_id: int) -> Cart:
    cart = session.scalar(select(Cart).where(Cart.customer_id == customer_id))
    if cart is None:
        cart = Cart(customer_id=customer_id)
        session.add(cart)
        try:
            session.flush()
        except IntegrityError:  # created concurrently by another request
            session.rollback()
            cart = session.scalars(select(Cart).where(Cart.customer_id == customer_id)).one()
    return cart


def _find_item(cart: Cart, product_id: int) -> CartItem | None:
    return next((item for item in cart.items if item.product_id == product_id), None)


def _check_sellable(session: Session, product_id: int, quantity: int) -> None:
    product = catalog_services.get_product(session, product_id)
    if not product.is_active:
        raise ConflictError("Product is no longer available", code="product_unavailable", product_id=product_id)
    available = inventory_services.get_availability(session, [product_id])[product_id]
    if quantity > available:
        raise OutOfStockError(
            f"Only {available} unit(s) available",
            shortages=[{"product_id": product_id, "requested": quantity, "available": available}],
        )


def add_item(session: Session, customer_id: int, product_id: int, quantity: int) -> Cart:
    """Add ``quantity`` units; adding an existing product increases its quantity."""
    cart = get_or_create_cart(session, customer_id)
    item = _find_item(cart, product_id)
    new_quantity = quantity + (item.quantity if item else 0)
    if new_quantity > MAX_QUANTITY_PER_LINE:
        raise BusinessRuleError(f"At most {MAX_QUANTITY_PER_LINE} units per product", code="quantity_limit")
    _check_sellable(session, product_id, new_quantity)
    if item is None:
        cart.items.append(CartItem(product_id=product_id, quantity=quantity))
    else:
        item.quantity = new_quantity
    session.commit()
    return cart


def set_item_quantity(session: Session, customer_id: int, product_id: int, quantity: int) -> Cart:
    cart = get_or_create_cart(session, customer_id)
    item = _find_item(cart, product_id)
    if item is None:
        raise NotFoundError("Product is not in the cart", code="cart_item_not_found")
    _check_sellable(session, product_id, quantity)
    item.quantity = quantity
    session.commit()
    return cart


def remove_item(session: Session, customer_id: int, product_id: int) -> Cart:
    cart = get_or_create_cart(session, customer_id)
    item = _find_item(cart, product_id)
    if item is None:
        raise NotFoundError("Product is not in the cart", code="cart_item_not_found")
    cart.items.remove(item)
    session.commit()
    return cart


def clear_cart(session: Session, customer_id: int, *, commit: bool = True) -> None:
    """Empty the cart.  Checkout calls this with ``commit=False`` inside its transaction."""
    cart = session.scalar(select(Cart).where(Cart.customer_id == customer_id))
    if cart is not None:
        cart.items.clear()
        session.flush()
    if commit:
        session.commit()


def get_checkout_items(session: Session, customer_id: int) -> dict[int, int]:
    """``{product_id: quantity}`` of the customer's cart, for checkout."""
    cart = session.scalar(select(Cart).where(Cart.customer_id == customer_id))
    if cart is None:
        return {}
    return {item.product_id: item.quantity for item in cart.items}


def view_cart(session: Session, cart: Cart, *, currency: str = "EUR") -> CartOut:
    """Price the cart with the catalog's current prices."""
    product_ids = [item.product_id for item in cart.items]
    products = catalog_services.get_products_by_ids(session, product_ids)
    prices = catalog_services.get_current_prices(session, product_ids)
    availability = inventory_services.get_availability(session, product_ids)
    lines: list[CartLineOut] = []
    subtotal = Money.zero(currency)
    for item in cart.items:
        product = products[item.product_id]
        unit_price = prices.get(item.product_id, Money.zero(currency))
        line_total = unit_price * item.quantity
        subtotal = subtotal + line_total
        lines.append(
            CartLineOut(
                product_id=item.product_id,
                sku=product.sku,
                name=product.name,
                quantity=item.quantity,
                unit_price=MoneyOut.of(unit_price),
                line_total=MoneyOut.of(line_total),
                available=product.is_active and availability.get(item.product_id, 0) >= item.quantity,
            )
        )
    return CartOut(
        id=cart.id,
        items=lines,
        item_count=sum(item.quantity for item in cart.items),
        subtotal=MoneyOut.of(subtotal),
    )
