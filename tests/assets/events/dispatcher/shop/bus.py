"""The project's own publish/subscribe registry."""

from collections import defaultdict

_handlers = defaultdict(list)


class EventBus:
    def register(self, name, handler):
        _handlers[name].append(handler)

    def emit(self, name, payload=None):
        for handler in _handlers[name]:
            handler(payload)


event_bus = EventBus()


def subscribe(name, handler=None):
    def decorator(fn):
        event_bus.register(name, fn)
        return fn
    return decorator(handler) if handler else decorator


def handles(event_class):
    return subscribe(event_class.__name__)


def publish(name, payload=None):
    event_bus.emit(name, payload)
