from django.core.signals import request_finished
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from shop.orders.models import Item, Order
from shop.orders.signals import order_paid, order_placed, plugin_hook


@receiver(order_placed)
def on_placed(sender, **kwargs):
    pass


@receiver([order_placed, order_paid], sender=Order)
def on_both(sender, **kwargs):
    pass


@receiver(post_save, sender=Order)
def order_saved(sender, instance, **kwargs):
    pass


@receiver(post_save, sender="orders.Item")
def item_saved(sender, instance, **kwargs):
    pass


@receiver(signal=post_delete)
def anything_deleted(sender, **kwargs):
    pass


@receiver(request_finished)
def flush_metrics(sender, **kwargs):
    pass


@receiver(plugin_hook)
def plugin_hook(sender, **kwargs):
    """Shadows the imported signal's name: the decorator still means the signal."""


def on_paid(sender, **kwargs):
    pass


def item_changed(sender, instance, **kwargs):
    pass


def tags_changed(sender, **kwargs):
    pass


def connect_all():
    order_paid.connect(on_paid)
    post_save.connect(item_changed, sender=Item)
    m2m_changed.connect(tags_changed, sender=Order.tags.through)
    order_paid.connect(lambda sender, **kw: None)
