from django.db import models

from shop.common.models import TimeStamped


class Category(TimeStamped):
    name = models.CharField(max_length=100)
    parent = models.ForeignKey("self", null=True, on_delete=models.CASCADE)


class Tag(models.Model):
    label = models.SlugField()

    class Meta:
        db_table = "catalog_labels"


class Product(TimeStamped):
    sku = models.CharField(max_length=20, unique=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT)
    tags = models.ManyToManyField("Tag", blank=True)


class ActiveProduct(Product):
    class Meta:
        proxy = True
