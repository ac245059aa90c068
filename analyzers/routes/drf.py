"""Link: the routes a Django REST framework router makes of its registered viewsets."""

from __future__ import annotations

from analyzers.routes.facts import Action
from analyzers.routes.link_base import _Site
from analyzers.routes.views import _ViewLinks
from analyzers.routes.vocabulary import DJANGO, VIEWSET_ACTIONS, VIEWSET_BASE_ACTIONS


class _RouterLinks(_ViewLinks):
    """Routes of a DRF router: the standard actions and ``@action`` methods of each viewset."""

    def _router_routes(self, router: str, prefix: str, mounted: bool) -> None:
        slash = "/" if self.objects[router].trailing_slash else ""
        for module, registration in self.registered.get(router, ()):
            assert registration.target is not None and registration.path is not None
            local = self.text(module, registration.path, registration.line).lstrip("^").rstrip("$")
            viewset = self.names.resolve(module, registration.target.expr) or registration.target.expr
            for method, tail, handler, suffix in self._viewset_routes(viewset):
                name = f"{registration.name}-{suffix}" if registration.name else None
                path = f"/{prefix}{_drf_path(local, tail)}{slash}"
                self._emit((method, handler, ()), path, _Site(module, registration.line, DJANGO, name), mounted=mounted)

    def _viewset_routes(self, viewset: str) -> list[tuple[str, str, str, str]]:
        """(METHOD, path after the register prefix, handler, route name suffix) of a viewset."""
        lookup = f"<{self._lookup(viewset)}>"
        present = self._viewset_actions(viewset)
        found = [
            (method, f"/{lookup}" if detail else "", self._member(viewset, action) or viewset, "detail" if detail else "list")
            for action, (detail, method) in VIEWSET_ACTIONS.items()
            if action in present
        ]
        for owner, extra in self._extra_actions(viewset):
            tail = f"/{lookup}/{extra.url_path}" if extra.detail else f"/{extra.url_path}"
            found.extend((method, tail, f"{owner}.{extra.method}", extra.url_name) for method in extra.methods)
        return found

    def _viewset_actions(self, viewset: str) -> set[str]:
        present: set[str] = set()
        external = [viewset]
        if self.names.is_internal(viewset):
            ancestry = list(self.names.ancestry(viewset))
            present = {a for owner in ancestry for a in VIEWSET_ACTIONS if self.names.kind(f"{owner}.{a}") == "method"}
            external = [b for owner in ancestry for b in self.names.bases(owner) if not self.names.is_internal(b)]
        for base in external:
            present.update(VIEWSET_BASE_ACTIONS.get(base.rpartition(".")[2], ()))
        return present

    def _extra_actions(self, viewset: str) -> list[tuple[str, Action]]:
        found: dict[str, tuple[str, Action]] = {}
        for owner in self.names.ancestry(viewset) if self.names.is_internal(viewset) else ():
            split = self._split(owner)
            facts = self.facts[split[0]].classes.get(split[1]) if split else None
            for action in facts.actions if facts else ():
                found.setdefault(action.method, (owner, action))  # a subclass overrides its bases
        return list(found.values())

    def _lookup(self, viewset: str) -> str:
        return next((f.lookup for f in self._class_facts(viewset) if f.lookup), "pk")


def _drf_path(prefix: str, tail: str) -> str:
    """DRF drops the slash after an empty prefix (``router.register(r"", ...)``)."""
    return f"{prefix}{tail}" if prefix else tail.lstrip("/")
