from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from shop.common.models import TimeStamped


class OrderManager(models.Manager):
    def open(self):
        return self.filter(closed=False)


class Order(TimeStamped):
    customer = models.ForeignKey("accounts.User", on_delete=models.CASCADE)
    closed = models.BooleanField(default=False)
    objects = OrderManager()
    archived = OrderManager()


class OrderLine(models.Model):
    order = models.ForeignKey("sales.Order", on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey("catalog.Product", to_field="sku", db_column="product_sku", on_delete=models.PROTECT)
    quantity = models.PositiveIntegerField()


class GiftOrder(Order):
    message = models.TextField()


class Note(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    author = models.ForeignKey("accounts.Ghost", on_delete=models.CASCADE)
