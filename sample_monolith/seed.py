"""Demo data: ``python -m sample_monolith seed``.

Idempotent – running it twice does not duplicate anything.
"""

from __future__ import annotations

import logging

from sqlalchemy import select

from sample_monolith.accounts import services as accounts_services
from sample_monolith.accounts.models import Customer
from sample_monolith.accounts.schemas import AddressIn, RegisterIn
from sample_monolith.catalog import services as catalog_services
from sample_monolith.catalog.models import Category, Product
from sample_monolith.catalog.schemas import CategoryIn, ProductIn
from sample_monolith.config import Settings
from sample_monolith.db import Database
from sample_monolith.inventory import services as inventory_services

logger = logging.getLogger(__name__)

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "demo-password"

CATEGORIES = {
    "coffee": ("Coffee", "Beans and ground coffee"),
    "brewing": ("Brewing", "Everything to make it"),
    "books": ("Books", "Reading for the long pour-over"),
    "merch": ("Merchandise", "Mugs, shirts and stickers"),
}

# sku, name, category, price in cents, stock
PRODUCTS = [
    ("COF-ETH-250", "Ethiopia Yirgacheffe 250g", "coffee", 1290, 120),
    ("COF-COL-250", "Colombia Huila 250g", "coffee", 1090, 150),
    ("COF-BRA-1000", "Brazil Cerrado 1kg", "coffee", 2990, 60),
    ("COF-KEN-250", "Kenya AA 250g", "coffee", 1490, 40),
    ("COF-DEC-250", "Swiss Water Decaf 250g", "coffee", 1190, 35),
    ("COF-ESP-1000", "House Espresso Blend 1kg", "coffee", 2690, 80),
    ("BRW-V60-02", "Ceramic Dripper 02", "brewing", 2490, 25),
    ("BRW-FLT-100", "Paper Filters (100)", "brewing", 590, 300),
    ("BRW-KTL-GOOSE", "Gooseneck Kettle", "brewing", 5990, 12),
    ("BRW-GRD-HAND", "Hand Grinder", "brewing", 8900, 8),
    ("BRW-SCL-01", "Brew Scale with Timer", "brewing", 3490, 20),
    ("BRW-AERO", "AeroPress Original", "brewing", 3990, 30),
    ("BRW-FRENCH-1L", "French Press 1l", "brewing", 2990, 18),
    ("BOK-WORLD-ATLAS", "The World Atlas of Coffee", "books", 3200, 15),
    ("BOK-BARISTA", "The Professional Barista's Handbook", "books", 4500, 6),
    ("BOK-BLUE-BOTTLE", "The Blue Bottle Craft of Coffee", "books", 2800, 9),
    ("MRC-MUG-WHITE", "Logo Mug, white", "merch", 1400, 70),
    ("MRC-MUG-BLACK", "Logo Mug, black", "merch", 1400, 4),
    ("MRC-TEE-M", "Barista T-Shirt M", "merch", 2200, 22),
    ("MRC-STICKERS", "Sticker Pack", "merch", 350, 500),
]


def seed(settings: Settings) -> dict[str, int]:
    database = Database(settings.database_url)
    database.create_all()
    created = {"categories": 0, "products": 0, "customers": 0}
    with database.session() as session:
        category_ids: dict[str, int] = {}
        for slug, (name, description) in CATEGORIES.items():
            existing = session.scalar(select(Category).where(Category.slug == slug))
            if existing is None:
                existing = catalog_services.create_category(
                    session, CategoryIn(name=name, slug=slug, description=description)
                )
                created["categories"] += 1
            category_ids[slug] = existing.id

        for sku, name, category, price, stock in PRODUCTS:
            if session.scalar(select(Product.id).where(Product.sku == sku)) is not None:
                continue
            product = catalog_services.create_product(
                session,
                ProductIn(sku=sku, name=name, category_id=category_ids[category], price_cents=price,
                          description=f"{name} from the Sample Shop demo catalog."),
                currency=settings.currency,
            )
            inventory_services.set_stock(session, product.id, stock, reason="initial stock (seed)")
            created["products"] += 1

        if session.scalar(select(Customer.id).where(Customer.email == DEMO_EMAIL)) is None:
            customer = accounts_services.register_customer(
                session, RegisterIn(email=DEMO_EMAIL, password=DEMO_PASSWORD, full_name="Demo Customer")
            )
            accounts_services.add_address(
                session,
                customer.id,
                AddressIn(recipient_name="Demo Customer", line1="Kaffeestraße 1", city="Berlin",
                          postal_code="10115", country="DE", is_default=True),
            )
            created["customers"] += 1
    database.dispose()
    logger.info("seed complete: %s", created)
    return created
