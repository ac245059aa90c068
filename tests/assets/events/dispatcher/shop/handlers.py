from shop.bus import event_bus, handles, subscribe
from shop.events import OrderPlaced


@subscribe("order.placed")
def reserve_stock(payload):
    pass


@handles(OrderPlaced)
def send_confirmation(event):
    pass


def on_shipped(payload):
    pass


def on_cancelled(payload):
    pass


event_bus.register("order.shipped", on_shipped)
subscribe("order.cancelled", on_cancelled)


def install_refunds():
    @subscribe("order.refunded")
    def on_refund(payload):
        """A nested handler: its code belongs to the function that registers it."""
