"""Link: the methods a view serves and the functions that serve them."""

from __future__ import annotations

from collections.abc import Iterable

from analyzers.routes.facts import ClassFacts, ViewRef
from analyzers.routes.link_base import Target, _LinkBase
from analyzers.routes.vocabulary import DJANGO, GENERIC_VIEW_METHODS, HTTP_ORDER, VIEW_VERBS


class _ViewLinks(_LinkBase):
    """Resolves views to (METHOD, handler) targets: functions, class-based views, viewsets."""

    def _view_targets(
        self, module: str, view: ViewRef, framework: str, methods: tuple[str, ...] | None, depth: int = 0
    ) -> list[Target]:
        """The methods a view serves and the functions that serve them."""
        default = "ANY" if framework == DJANGO else "GET"
        qualified = self.names.canonical(view.expr) if view.dotted_string else self.names.resolve(module, view.expr)
        kind = self.names.kind(qualified) if qualified else None
        if kind == "variable" and depth < 3 and qualified:  # order_list = OrderListView.as_view()
            alias = self._split(qualified)
            aliased = self.facts[alias[0]].view_aliases.get(alias[1]) if alias else None
            if alias and aliased:
                return self._view_targets(alias[0], aliased, framework, methods, depth + 1)
        handler = qualified or view.expr or module
        if view.actions:
            return [(m, self._member(handler, action) or handler, ()) for m, action in view.actions]
        if view.as_view or kind == "class":
            return self._class_targets(handler, methods, default)
        allowed = methods or self._restricted(handler) or (default,)
        return [(m, handler, ()) for m in allowed]

    def _class_targets(self, klass: str, methods: tuple[str, ...] | None, default: str) -> list[Target]:
        defined = self._class_methods(klass)
        allowed = methods or tuple(sorted(defined, key=_method_order)) or self._class_attribute_methods(klass) or (default,)
        dispatch = self._member(klass, "dispatch_request")  # a Flask View serves every method there
        return [(m, klass, (defined[m],) if defined.get(m) else (dispatch,) if dispatch else ()) for m in allowed]

    def _class_methods(self, klass: str) -> dict[str, str | None]:
        """METHOD -> the method of ours that serves it (None when a known generic base does)."""
        found: dict[str, str | None] = {}
        external = [klass]
        if self.names.is_internal(klass):
            ancestry = list(self.names.ancestry(klass))
            for owner in ancestry:
                for verb in VIEW_VERBS:
                    if verb.upper() not in found and self.names.kind(f"{owner}.{verb}") == "method":
                        found[verb.upper()] = f"{owner}.{verb}"
            external = [b for owner in ancestry for b in self.names.bases(owner) if not self.names.is_internal(b)]
        for base in external:
            if base.split(".")[0] in ("django", "rest_framework"):
                for method in GENERIC_VIEW_METHODS.get(base.rpartition(".")[2], ()):
                    found.setdefault(method, None)
        return found

    def _class_facts(self, klass: str) -> Iterable[ClassFacts]:
        for owner in self.names.ancestry(klass) if self.names.is_internal(klass) else ():
            split = self._split(owner)
            found = self.facts[split[0]].classes.get(split[1]) if split else None
            if found is not None:
                yield found

    def _class_attribute_methods(self, klass: str) -> tuple[str, ...] | None:
        return next((f.methods for f in self._class_facts(klass) if f.methods), None)

    def _restricted(self, function: str) -> tuple[str, ...] | None:
        split = self._split(function)
        return self.facts[split[0]].restricted.get(split[1]) if split else None

    def _member(self, klass: str, member: str) -> str | None:
        return self.names.find_member(klass, member) if self.names.is_internal(klass) else None


def _method_order(method: str) -> int:
    return HTTP_ORDER.index(method) if method in HTTP_ORDER else len(HTTP_ORDER)
