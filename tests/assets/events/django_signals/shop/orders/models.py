from django.db import models


class Order(models.Model):
    tags = models.ManyToManyField("Tag")


class Item(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE)


class Tag(models.Model):
    name = models.CharField(max_length=20)
