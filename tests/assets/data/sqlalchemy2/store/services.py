from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.orm import Session

from store import models
from store.models import Customer, Order, OrderLine, Product, order_tags


def get_customer(session: Session, customer_id: int) -> Customer:
    return session.get(Customer, customer_id)


def list_orders(session: Session, customer_id: int) -> list[Order]:
    stmt = select(Order).join(Customer).where(Customer.id == customer_id)
    return list(session.scalars(stmt))


def skus(session: Session) -> list[str]:
    return list(session.scalars(select(Product.sku)))


def place_order(session: Session, customer_id: int, product_id: int) -> Order:
    order = Order(customer_id=customer_id)
    order.lines.append(OrderLine(product_id=product_id))
    session.add(order)
    session.commit()
    return order


def rename(session: Session, customer_id: int, email: str) -> None:
    customer = get_customer(session, customer_id)
    customer.email = email
    session.commit()


def forget(session: Session, order_id: int) -> None:
    order = session.get(models.Order, order_id)
    session.delete(order)


def bulk(session: Session) -> None:
    session.execute(insert(Product).values(sku="x"))
    session.execute(update(Customer).values(email=""))
    session.execute(delete(OrderLine).where(OrderLine.quantity == 0))
    session.execute(order_tags.delete())


def legacy_query(session: Session) -> int:
    return session.query(Order).filter(Order.customer_id == 1).count()


def purge_old(session: Session) -> None:
    session.query(OrderLine).filter(OrderLine.quantity == 0).delete()


def raw(session: Session) -> None:
    session.execute(text("UPDATE customers SET email = '' WHERE id IN (SELECT customer FROM orders)"))
    session.execute(text("insert into order_lines (order_id) values (1)"))
    session.execute(text("SELECT * FROM audit_log"))


RECENT = text("""
    WITH recent AS (SELECT * FROM orders WHERE id > 10)
    SELECT r.id FROM recent r JOIN "products" p ON p.id = r.id
""")
