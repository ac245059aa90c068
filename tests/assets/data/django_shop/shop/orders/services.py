from django.contrib.auth import get_user_model
from django.db import connection
from django.shortcuts import get_object_or_404

from shop.catalog.models import Product
from shop.orders import models
from shop.orders.models import Order, OrderLine


def list_open_orders():
    return Order.objects.filter(closed=False).select_related("customer")


def place_order(user, sku: str, quantity: int) -> Order:
    product = get_object_or_404(Product, sku=sku)
    order = Order(customer=user)
    order.save()
    OrderLine.objects.create(order=order, product=product, quantity=quantity)
    return order


def close_all(user_id: int) -> None:
    Order.objects.filter(customer_id=user_id).update(closed=True)


def forget(line: OrderLine) -> None:
    line.delete()


def reopen(order_id: int) -> None:
    order = models.Order.objects.get(pk=order_id)
    order.closed = False
    order.save()


def find_customer(email: str):
    return get_user_model().objects.get(email=email)


def sales_report() -> list:
    with connection.cursor() as cursor:
        cursor.execute("SELECT o.id, SUM(l.quantity) FROM sales_order o JOIN sales_orderline l ON l.order_id = o.id GROUP BY o.id")
        return cursor.fetchall()


def purge_lines(order_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM sales_orderline WHERE order_id = {order_id}")


class OrderService:
    def archive(self, order: Order) -> None:
        order.delete()


def describe() -> str:
    """Select the orders from sales_order that matter: a docstring is not SQL."""
    return "orders"
