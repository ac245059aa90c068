"""Subscribers: ``@receiver``, ``@sig.connect``, and dispatcher decorators of ours."""

from __future__ import annotations

from analyzers.events.facts import Arg, Site
from analyzers.events.signals import SignalLinker
from analyzers.events.site_args import _first, _kw, _references
from analyzers.events.values import _Module, _Signal
from analyzers.events.vocabulary import DJANGO_RECEIVERS, EVENT_KEYWORDS, EVENT_NAME, LIFECYCLE_EVENTS, SUBSCRIBE_DECORATORS
from analyzers.events.written import _last
from migrator.model.facts import EdgeKind, NodeKind


class SubscriberLinker(SignalLinker):
    """Handlers subscribed by decorators, and the events dispatchers name."""

    def _subscribe_decorator(self, where: _Module, site: Site) -> None:
        handler = f"{where.name}.{site.scope}"
        name = _last(site.callee)
        if name == "receiver":
            self._receiver(where, site, handler)
        elif name in ("connect", "connect_via"):
            signal = self.signal(where, site, site.callee.rpartition(".")[0], site.receiver_args)
            given = site.args[0] if name == "connect_via" and site.args else _kw(site, "sender")
            sender = self.sender(where, site, given)
            if signal is not None:
                self._subscribe(self.signal_event(signal, sender, where, site), handler, where, site, sender)
        elif name in SUBSCRIBE_DECORATORS and not self.is_external(self.resolve(where, site.callee, site)):
            for event in self._dispatcher_events(where, site, _first(site, EVENT_KEYWORDS)):
                self._subscribe(event, handler, where, site, None)

    def _receiver(self, where: _Module, site: Site, handler: str) -> None:
        resolved = self.resolve(where, site.callee, site)
        if self.is_external(resolved) and resolved not in DJANGO_RECEIVERS:
            return
        exprs = _references(_first(site, ("signal",)))
        if not exprs:
            self.skip(where, site, "events: the signal of this @receiver is not a name we can follow")
            return
        sender = self.sender(where, site, _kw(site, "sender"))
        for expr in exprs:
            signal = self.signal(where, site, expr) or self._any_signal(where, site, expr)
            if signal is None:
                self.skip(where, site, f"events: signal {expr!r} of @receiver could not be resolved")
                continue
            self._subscribe(self.signal_event(signal, sender, where, site), handler, where, site, sender)

    def _any_signal(self, where: _Module, site: Site, expr: str) -> _Signal | None:
        """Whatever ``@receiver`` gets is a Django signal, even one we did not see defined."""
        qualified = self.resolve_name(where, expr, site)
        return _Signal(f"event:{qualified}", "django-signal") if qualified else None

    def _subscribe(self, event: str, handler: str, where: _Module, site: Site, sender: str | None) -> None:
        attrs = {"sender": sender} if sender else {}
        self.edge(event, handler, EdgeKind.SUBSCRIBES, where, site, **attrs)

    def _dispatcher_events(self, where: _Module, site: Site, arg: Arg | None) -> list[str]:
        """Event ids named by a dispatcher's argument: an event-like literal or classes of ours."""
        if arg is None:
            return []
        place = (where.relpath, site.line)
        if arg.tag == "str":
            if not EVENT_NAME.fullmatch(arg.value):
                return []
            if arg.value in LIFECYCLE_EVENTS and _last(site.callee) in ("on_event", "add_event_handler"):
                return []
            event = f"event:{arg.value}"
            self.node(event, NodeKind.EVENT, {"framework": "dispatcher", "name": arg.value}, place)
            return [event]
        exprs = (arg.value,) if arg.tag == "new" else _references(arg)
        events = []
        for expr in exprs:
            qualified = self.resolve_name(where, expr, site)
            if qualified and self.names.is_internal(qualified) and self.names.kind(qualified) == "class":
                self.node(f"event:{qualified}", NodeKind.EVENT, {"framework": "dispatcher", "class": qualified}, place)
                events.append(f"event:{qualified}")
        return events
