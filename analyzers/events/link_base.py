"""The link's shared state: sites by module, name resolution, and emitting nodes and edges."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from analyzers.base import Contribution, Project, Skipped
from analyzers.events.facts import Arg, Site
from analyzers.events.values import _Module, _Pending, _Signal
from analyzers.events.vocabulary import DJANGO_SIGNAL_CLASSES
from migrator.model.facts import Edge, EdgeKind, NodeKind


class LinkerBase:
    """What every part of the link shares; the parts are mixed into ``Linker``."""

    def __init__(self, project: Project, analyzer: str) -> None:
        self.project = project
        self.names = project.names
        self.out = Contribution()
        self.pending: dict[str, _Pending] = {}
        self.signals: dict[str, _Signal] = {}
        self.namespaces: set[str] = set()
        self.named: list[tuple[str, str, str, tuple[str, int]]] = []
        """Blinker named signals: variable, name, namespace ("" for the global one), place."""
        self.apps: dict[str, str] = {}
        self.tasks: dict[str, str] = {}
        """Function -> task id."""
        self.task_names: dict[str, str] = {}
        """Celery task name (default or explicit) -> task id."""
        self.sites: list[tuple[_Module, Site]] = []
        for module, facts in sorted(project.facts(analyzer).items()):
            if facts is not None:
                where = _Module(module, project.files[module].relpath)
                self.sites.extend((where, site) for site in facts.sites)
        self._signal_classes: dict[str, bool] = {}
        self.signal_bases: dict[str, list[str]] = {}
        """Bases of classes deriving from ``*Signal`` classes, as the scan saw them."""
        self._labels: dict[str, str | None] = {}

    def _of(self, kind: str) -> Iterator[tuple[_Module, Site]]:
        return ((w, s) for w, s in self.sites if s.kind == kind)

    # -- names ----------------------------------------------------------------------------------

    def resolve(self, where: _Module, expr: str, site: Site) -> str | None:
        """The canonical name of a chain as written; a call inside it is kept as "()"."""
        head, marker, rest = expr.partition("()")
        resolved = self.names.resolve(where.name, head, scope=where.scope(site)) if head else None
        return f"{resolved}{marker}{rest}" if resolved else None

    def resolve_name(self, where: _Module, expr: str, site: Site) -> str | None:
        """Resolve a dotted name; a decorator's argument is read before the function shadows it."""
        qualified = self.names.resolve(where.name, expr, scope=where.scope(site))
        if site.kind == "decorator" and qualified == f"{where.name}.{site.scope}":
            # ``@receiver(order_paid) def order_paid(...)``: the name still means the import
            return self.imported(where, expr)
        return qualified

    def imported(self, where: _Module, expr: str) -> str | None:
        """What ``expr`` means through the module's imports alone, even where a definition shadows them."""
        head, _, rest = expr.partition(".")
        binding = self.names.summaries[where.name].bindings.get(head)
        return self.names.canonical(".".join(p for p in (binding, rest) if p)) if binding else None

    def is_external(self, qualified: str | None) -> bool:
        return qualified is not None and not self.names.is_internal(qualified)

    def callable(self, where: _Module, arg: Arg, site: Site) -> str | None:
        """The function, method or class of ours an argument refers to (a name or a dotted string)."""
        if arg.tag in ("name", "sig"):
            target = self.names.resolve(where.name, arg.value, scope=where.scope(site))
        elif arg.tag == "str":
            target = arg.value.replace(":", ".")
        else:
            return None
        return self._as_callable(target)

    def _as_callable(self, target: str | None) -> str | None:
        if target is None or not self.names.is_internal(target):
            return None
        kind = self.names.kind(target)
        if kind == "variable":
            followed = self.names.follow_variable(target)
            target, kind = (followed, self.names.kind(followed)) if followed else (target, kind)
        elif kind is None and "." in target:
            owner, _, member = target.rpartition(".")
            found = self.names.find_member(owner, member) if self.names.kind(owner) == "class" else None
            target, kind = (found, self.names.kind(found)) if found else (target, kind)
        return target if kind in ("function", "method", "class") and target else None

    def is_signal_class(self, qualified: str) -> bool:
        """Whether a class is Django's ``Signal`` or derives from it."""
        if qualified not in self._signal_classes:
            self._signal_classes[qualified] = False  # a cycle of bases is no signal
            bases = self.signal_bases.get(qualified) or self.names.bases(qualified)
            found = qualified in DJANGO_SIGNAL_CLASSES or any(self.is_signal_class(b) for b in bases)
            self._signal_classes[qualified] = found
        return self._signal_classes[qualified]

    # -- nodes and edges ------------------------------------------------------------------------

    def node(
        self,
        node_id: str,
        kind: NodeKind,
        attrs: dict[str, Any],
        place: tuple[str, int] | None = None,
        *,
        definition: bool = False,
    ) -> _Pending:
        """Emit (or complete) a node: first attributes win; the definition, else the first place, locates it."""
        pending = self.pending.setdefault(node_id, _Pending(kind, {}))
        for key, value in attrs.items():
            pending.attrs.setdefault(key, value)
        if place is not None:
            if definition and pending.definition is None:
                pending.definition = place
            pending.places.append(place)
        return pending

    def edge(self, source: str, target: str, kind: EdgeKind, where: _Module, site: Site, **attrs: Any) -> None:
        self.out.edges.append(Edge(source, target, kind, 1.0, (where.place(site),), attrs))

    def skip(self, where: _Module, site: Site, reason: str) -> None:
        self.out.skipped.append(Skipped(where.relpath, reason, site.line))
