from typing import Generic, TypeVar

import django.dispatch
from django.dispatch import Signal

T = TypeVar("T")

order_placed = Signal()
order_paid = django.dispatch.Signal()


class PluginSignal(Generic[T], Signal):
    """A subclass of Django's Signal, as pretix writes them."""


class OrderPluginSignal(PluginSignal[int]):
    pass


plugin_hook = OrderPluginSignal()
not_a_signal = dict()
