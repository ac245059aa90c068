from sqlalchemy import select

from shop.db import engine, stock
from shop.events import on


@on("order_placed")
def note_sale(sku, qty):
    with engine.connect() as connection:
        return connection.execute(select(stock.c.qty).where(stock.c.sku == sku)).scalar()
