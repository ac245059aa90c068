from shop import catalog, inventory  # noqa: F401  (inventory registers its handlers)
from shop.db import engine, orders, stock
from shop.events import dispatch


def place(sku, qty):
    try:
        total = catalog.price(sku) * qty
    except catalog.UnknownSku:
        return None
    with engine.begin() as connection:
        connection.execute(orders.insert().values(sku=sku, qty=qty))
        connection.execute(stock.update().where(stock.c.sku == sku).values(qty=stock.c.qty - qty))
    dispatch("order_placed", sku=sku, qty=qty)
    return total
