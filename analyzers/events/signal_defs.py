"""Definitions: Django and blinker signals, blinker namespaces, task apps and schedulers."""

from __future__ import annotations

from analyzers.events.facts import Site
from analyzers.events.link_base import LinkerBase
from analyzers.events.values import _Module, _Signal
from analyzers.events.vocabulary import APP_CLASSES, BLINKER_ANONYMOUS, BLINKER_NAMED, BLINKER_NAMESPACES, FRAMEWORK_PACKAGES
from migrator.model.facts import NodeKind


class SignalDefinitions(LinkerBase):
    """Module- and class-level definitions: what each ``x = Factory(...)`` makes."""

    def _construct(self, where: _Module, site: Site, *, namespaces_only: bool) -> None:
        variable = f"{where.name}.{site.scope}"
        factory = self.resolve(where, site.callee, site)
        if factory is None:
            return
        literal = site.args[0].value if site.args and site.args[0].tag == "str" else None
        if namespaces_only:
            if factory in BLINKER_NAMESPACES:
                self.namespaces.add(variable)
            return
        place = (where.relpath, site.line)
        namespace = self._namespace_of(factory, variable)
        if self.is_signal_class(factory):
            self._define(variable, _Signal(f"event:{variable}", "django-signal"), place)
        elif factory in BLINKER_ANONYMOUS:
            self._define(variable, _Signal(f"event:{variable}", "blinker"), place)
        elif literal and namespace is not None:
            self.named.append((variable, literal, namespace, place))
        elif factory in APP_CLASSES:
            self.apps[variable] = APP_CLASSES[factory]
        elif factory.startswith(("apscheduler.", "huey.")):
            self.apps[variable] = FRAMEWORK_PACKAGES[factory.split(".")[0]]

    def _define(self, variable: str, signal: _Signal, place: tuple[str, int]) -> None:
        self.signals[variable] = signal
        self.node(signal.event, NodeKind.EVENT, signal.node_attrs(), place, definition=True)

    def _name_blinker_signals(self) -> None:
        """``event:<name>``, unless two namespaces define the name: then ``event:<variable>``."""
        namespaces: dict[str, set[str]] = {}
        for _, literal, namespace, _ in self.named:
            namespaces.setdefault(literal, set()).add(namespace)
        for variable, literal, namespace, place in self.named:
            shared = namespace == "" or len(namespaces[literal]) == 1
            event = f"event:{literal}" if shared else f"event:{variable}"
            self._define(variable, _Signal(event, "blinker", (("name", literal),)), place)

    def _namespace_of(self, factory: str, variable: str) -> str | None:
        """Which registry a named-signal factory uses: "" for blinker's global ``signal()``, the
        namespace variable for ``ns.signal``; None when the factory makes no named signal."""
        if factory in BLINKER_NAMED:
            return ""
        owner, _, method = factory.rpartition(".")
        if method != "signal":
            return None
        if owner in self.namespaces:
            return owner
        return variable if owner.removesuffix("()") in BLINKER_NAMESPACES else None
