import logging
import signal

import requests

from shop.bus import event_bus, publish
from shop.events import OrderPlaced

logger = logging.getLogger(__name__)


def place_order(order_id):
    publish("order.placed", {"id": order_id})
    publish(OrderPlaced(order_id))
    logger.info("order.placed")
    requests.post("https://example.com/hook", json={})


def ship(order_id):
    event_bus.emit(
        "order.shipped",
        {"id": order_id},
    )


def cancel(order_id, notify):
    publish(name="order.cancelled")
    notify("Order cancelled, sorry")  # a message, not an event name


def shutdown(signum, frame):
    pass


signal.signal(signal.SIGTERM, shutdown)
publish("shop.started")
