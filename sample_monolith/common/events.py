"""In-process publish/subscribe event bus.

Domains announce facts (``order.placed``, ``payment.captured`` …) with
:func:`publish`; other domains react with handlers registered through the
:func:`subscribe` decorator in their ``handlers.py`` module.  Registration
happens as an import side effect, so :func:`sample_monolith.app.create_app`
imports every ``handlers`` module at start-up.

Handlers run **synchronously, in the publisher's thread and database
session**.  A handler that raises aborts the publisher's transaction – which
is how an out-of-stock reservation cancels a checkout.  (This is convenient
and also the main obstacle to moving a subscriber into its own service.)

Known events::

    customer.registered   accounts  -> notifications
    order.placed          orders    -> inventory, notifications, reporting
    order.cancelled       orders    -> inventory
    payment.captured      payments  -> orders, inventory, notifications, reporting
    payment.refunded      payments  -> orders, notifications, reporting
    reservation.expired   inventory -> orders
    shipment.dispatched   shipping  -> orders, notifications
    shipment.delivered    shipping  -> orders
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from sample_monolith.utils import utcnow

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    """An event as delivered to handlers."""

    name: str
    payload: Mapping[str, Any]
    session: Session | None = None
    occurred_at: Any = field(default_factory=utcnow)

    def require_session(self) -> Session:
        if self.session is None:
            raise RuntimeError(f"event {self.name!r} was published without a session")
        return self.session


Handler = Callable[[Event], None]


class EventBus:
    """A registry of handlers per event name."""

    def __init__(self) -> None:
        self._handlers: dict[str, list[Handler]] = defaultdict(list)

    def subscribe(self, event_name: str, handler: Handler) -> None:
        if handler not in self._handlers[event_name]:
            self._handlers[event_name].append(handler)

    def unsubscribe(self, event_name: str, handler: Handler) -> None:
        if handler in self._handlers.get(event_name, []):
            self._handlers[event_name].remove(handler)

    def handlers_for(self, event_name: str) -> list[Handler]:
        return list(self._handlers.get(event_name, []))

    def publish(self, event_name: str, payload: Mapping[str, Any], *, session: Session | None = None) -> Event:
        event = Event(name=event_name, payload=dict(payload), session=session)
        handlers = self.handlers_for(event_name)
        logger.debug("publishing %s to %d handler(s)", event_name, len(handlers))
        for handler in handlers:
            handler(event)
        return event

    def describe(self) -> dict[str, list[str]]:
        """``{event name: [dotted handler names]}`` for the admin endpoint."""
        return {
            name: [f"{h.__module__}.{h.__qualname__}" for h in handlers]
            for name, handlers in sorted(self._handlers.items())
            if handlers
        }


#: The process-wide bus.  There is exactly one; tests never replace it.
bus = EventBus()


def subscribe(event_name: str) -> Callable[[Handler], Handler]:
    """Decorator registering the function as a handler of ``event_name``."""

    def decorator(handler: Handler) -> Handler:
        bus.subscribe(event_name, handler)
        return handler

    return decorator


def publish(event_name: str, payload: Mapping[str, Any], *, session: Session | None = None) -> Event:
    """Deliver ``payload`` to every handler of ``event_name`` right now."""
    return bus.publish(event_name, payload, session=session)
