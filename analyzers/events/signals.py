"""Which signal a name is, who sends it, and the event a signal and sender make."""

from __future__ import annotations

from analyzers.events.facts import Arg, Site
from analyzers.events.signal_defs import SignalDefinitions
from analyzers.events.site_args import _external_framework
from analyzers.events.values import _Module, _Signal
from analyzers.events.vocabulary import FLASK_SIGNALS, MODEL_SIGNALS
from analyzers.events.written import _last
from migrator.model.facts import EdgeKind, NodeKind


class SignalLinker(SignalDefinitions):
    """Signals as used: the receiver of ``.send``/``.connect``, its sender, its event."""

    def signal(self, where: _Module, site: Site, expr: str, receiver_args: tuple[Arg, ...] = ()) -> _Signal | None:
        """The signal that ``expr`` (the receiver of ``.send``/``.connect``) is, if it is one."""
        if expr.endswith("()"):  # ``signal("name").send()``
            factory = self.resolve(where, expr[:-2], site)
            literal = receiver_args[0].value if receiver_args and receiver_args[0].tag == "str" else None
            namespace = self._namespace_of(factory, "") if factory and literal else None
            if namespace is None:
                return None
            defined = next((self.signals[v] for v, n, k, _ in self.named if (n, k) == (literal, namespace)), None)
            return defined or _Signal(f"event:{literal}", "blinker", (("name", literal),))
        if "()" in expr:
            return None
        qualified = self.resolve_name(where, expr, site)
        found = self._known_signal(qualified)
        if found is None and qualified and self.names.kind(qualified) in ("function", "class"):
            # a function-local ``from .signals import x`` inside a function also named x
            imported = self.imported(where, expr)
            found = self._known_signal(imported) if imported != qualified else None
        return found

    def _known_signal(self, qualified: str | None) -> _Signal | None:
        if qualified is None:
            return None
        if qualified in MODEL_SIGNALS:
            return _Signal(f"event:{qualified}", "django-signal", model_signal=qualified)
        if qualified in self.signals:
            return self.signals[qualified]
        if not self.is_external(qualified):
            return None
        if qualified.startswith("flask.") and _last(qualified) in FLASK_SIGNALS:
            qualified = f"flask.signals.{_last(qualified)}"
        if "signals" in qualified.split(".")[1:-1]:
            return _Signal(f"event:{qualified}", _external_framework(qualified))
        return None

    def sender(self, where: _Module, site: Site, arg: Arg | None) -> str | None:
        """The class a ``sender=`` argument names: a reference, or an "app_label.Model" string."""
        if arg is None:
            return None
        if arg.tag == "str":
            return self._model_by_label(arg.value)
        if arg.tag != "name" or arg.value.partition(".")[0] in ("self", "cls"):
            return None  # ``sender=cls`` in ``contribute_to_class(self, cls, ...)`` is any model
        qualified = self.names.resolve(where.name, arg.value, scope=where.scope(site))
        if qualified is None:
            return None
        if self.names.is_internal(qualified):
            parts = qualified.split(".")
            for end in range(len(parts), 0, -1):  # ``Order.items.through`` is about Order
                candidate = ".".join(parts[:end])
                if self.names.kind(candidate) == "class":
                    return candidate
            return None
        return qualified if _last(qualified)[:1].isupper() else None

    def _model_by_label(self, label: str) -> str | None:
        if label not in self._labels:
            app, _, model = label.rpartition(".")
            found = [
                f"{module}.{model}"
                for module, summary in self.names.summaries.items()
                if app and app in module.split(".") and getattr(summary.definitions.get(model), "kind", None) == "class"
            ]
            self._labels[label] = found[0] if len(found) == 1 else None
        return self._labels[label]

    def signal_event(self, signal: _Signal, sender: str | None, where: _Module, site: Site) -> str:
        """The event id of a signal used with ``sender``; emits its node (and the model's edge)."""
        place = (where.relpath, site.line)
        if signal.model_signal and sender:
            short = _last(signal.model_signal)
            event = f"event:{short}:{sender}"
            attrs = {"framework": "django-signal", "signal": signal.model_signal, "sender": sender}
            self.node(event, NodeKind.EVENT, attrs, place)
            self.edge(sender, event, EdgeKind.PUBLISHES, where, site, implicit=True)
            return event
        self.node(signal.event, NodeKind.EVENT, signal.node_attrs(), place)
        return signal.event
