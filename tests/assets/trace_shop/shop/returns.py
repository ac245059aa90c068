from sqlalchemy import select

from shop.db import engine, orders, stock


def checked_session(sku):
    """Begins the transaction and reads, as a request's authentication dependency does."""
    connection = engine.connect()
    transaction = connection.begin()
    known = connection.execute(select(stock.c.qty).where(stock.c.sku == sku)).scalar() is not None
    return connection, transaction, known


def take_back(sku, qty):
    connection, transaction, known = checked_session(sku)
    with connection:
        if known:
            connection.execute(stock.update().where(stock.c.sku == sku).values(qty=stock.c.qty + qty))
            connection.execute(orders.delete().where(orders.c.sku == sku))
        transaction.commit()
    return known
