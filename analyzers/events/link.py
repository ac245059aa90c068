"""The link: the passes over all sites, and what each call site means."""

from __future__ import annotations

from analyzers.base import Contribution
from analyzers.events.facts import Site
from analyzers.events.site_args import _first, _first_kw, _kw
from analyzers.events.subscribers import SubscriberLinker
from analyzers.events.task_calls import TaskCallLinker
from analyzers.events.values import _Module, _Signal
from analyzers.events.vocabulary import (
    BUS_LIKE,
    ENQUEUE_NAMES,
    EVENT_KEYWORDS,
    HANDLER_KEYWORDS,
    PUBLISH_NAME,
    SUBSCRIBE_CALLS,
    TASK_CALL_METHODS,
)
from analyzers.events.written import _last
from migrator.model.facts import EdgeKind


class Linker(SubscriberLinker, TaskCallLinker):
    """All parts of the link together; ``run`` orders the passes."""

    def run(self) -> Contribution:
        for where, site in self._of("class"):
            resolved = (self.names.resolve(where.name, base.value) for base in site.args)
            self.signal_bases[f"{where.name}.{site.scope}"] = [b for b in resolved if b]
        for where, site in self._of("assign"):
            self._construct(where, site, namespaces_only=True)
        for where, site in self._of("assign"):
            self._construct(where, site, namespaces_only=False)
        self._name_blinker_signals()
        for where, site in self._of("decorator"):
            self._task_decorator(where, site)
        for where, site in self._of("call"):
            self._job_registration(where, site)
        for where, site in self._of("decorator"):
            self._subscribe_decorator(where, site)
        for where, site in self._of("call"):
            self._call(where, site)
        for where, site in self._of("beat"):
            self._beat(where, site)
        self.out.nodes.extend(p.node(i) for i, p in sorted(self.pending.items()))
        return self.out

    def _call(self, where: _Module, site: Site) -> None:
        name = _last(site.callee)
        owner = site.callee.rpartition(".")[0]
        caller = where.scope(site)
        if owner and (name.startswith(("send", "asend")) or name in ("connect", "connect_via")):
            signal = self.signal(where, site, owner, site.receiver_args)
            if signal is not None:
                self._signal_call(signal, name, caller, where, site)
                return
        if owner and name in TASK_CALL_METHODS:
            self._task_call(where, site, owner, name, caller)
        elif name in ENQUEUE_NAMES:
            self._enqueue(where, site, caller)
        elif name == "send_task":
            self._send_task(where, site, caller)
        elif name == "add_periodic_task":
            self._periodic(where, site)
        elif PUBLISH_NAME.fullmatch(name):
            self._publish(where, site, caller)
        elif name in SUBSCRIBE_CALLS:
            self._subscribe_call(where, site, owner)

    def _signal_call(self, signal: _Signal, method: str, caller: str, where: _Module, site: Site) -> None:
        if method.startswith(("send", "asend")):
            # Django: send(sender, **kwargs); blinker: send(sender, **kwargs) as well
            sender = self.sender(where, site, _kw(site, "sender") or (site.args[0] if site.args else None))
            self.edge(caller, self.signal_event(signal, sender, where, site), EdgeKind.PUBLISHES, where, site)
            return
        handler_arg = site.args[0] if site.args else _kw(site, "receiver")
        sender_arg = _kw(site, "sender") or (site.args[1] if len(site.args) > 1 else None)
        sender = self.sender(where, site, sender_arg)
        event = self.signal_event(signal, sender, where, site)
        handler = self.callable(where, handler_arg, site) if handler_arg else None
        if handler is None:
            self.skip(where, site, f"events: the receiver connected to {event} could not be resolved")
            return
        self._subscribe(event, handler, where, site, sender)

    def _publish(self, where: _Module, site: Site, caller: str) -> None:
        if self.is_external(self.resolve(where, site.callee, site)):
            return
        for event in self._dispatcher_events(where, site, _first(site, EVENT_KEYWORDS)):
            self.edge(caller, event, EdgeKind.PUBLISHES, where, site)

    def _subscribe_call(self, where: _Module, site: Site, owner: str) -> None:
        name = _last(site.callee)
        if name == "register" and not BUS_LIKE.search(owner):
            return
        if len(site.args) < 1 or self.is_external(self.resolve(where, site.callee, site)):
            return
        handler_arg = site.args[1] if len(site.args) > 1 else _first_kw(site, HANDLER_KEYWORDS)
        if handler_arg is None or site.args[0].tag not in ("str", "name"):
            return
        handler = self.callable(where, handler_arg, site)
        if handler is None or self.names.kind(handler) == "class":  # ``router.register("x", ViewSet)``
            return
        for event in self._dispatcher_events(where, site, site.args[0]):
            self._subscribe(event, handler, where, site, None)
