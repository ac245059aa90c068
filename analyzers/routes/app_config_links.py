"""Link: the URL patterns of Django app configs (``get_urls``), reached by their app label."""

from __future__ import annotations

from dataclasses import replace

from analyzers.routes.drf import _RouterLinks
from analyzers.routes.facts import ViewRef
from analyzers.routes.link_base import ListKey


class _ConfigLinks(_RouterLinks):
    """``apps.get_app_config("label").urls``: the ``get_urls`` of the config with that label,
    its ``self.<attr>`` read on that config (the class being expanded, not the one that wrote it)."""

    _configs: dict[str, str] | None = None
    _self_class: str | None = None

    def _config_key(self, label: str) -> ListKey | None:
        if self._configs is None:
            self._configs = self._labels()
        klass = self._configs.get(label)
        return ("config", klass, "") if klass else None

    def _labels(self) -> dict[str, str]:
        """label -> the config class with a ``get_urls``, for every class that names its label or app."""
        found: dict[str, str] = {}
        for module, facts in self.facts.items():
            for key, value in sorted(facts.constants.items()):
                owner, _, attribute = key.rpartition(".")
                klass = f"{module}.{owner}"
                if owner and attribute in ("label", "name") and self._url_method(klass) is not None:
                    label = value if attribute == "label" else value.rpartition(".")[2]
                    if attribute == "label" or f"{owner}.label" not in facts.constants:
                        found.setdefault(label, klass)
        return found

    def _url_method(self, klass: str) -> ListKey | None:
        """The pattern list of the first ``get_urls`` in the class's ancestry."""
        for owner in self.names.ancestry(klass) if self.names.is_internal(klass) else ():
            split = self._split(owner)
            if split and ("list", split[0], f"{split[1]}.get_urls") in self.pattern_keys:
                return ("list", split[0], f"{split[1]}.get_urls")
        return None

    def _expand_config(self, key: ListKey, prefix: str, mounted: bool, stack: frozenset[ListKey]) -> None:
        klass = key[1] if key[0] == "config" else f"{key[1]}.{key[2][: -len('.get_urls')]}"
        patterns = self._url_method(klass) if key[0] == "config" else key
        if patterns is None:
            return
        self.reached.add(patterns)
        outer, self._self_class = self._self_class, klass
        try:
            self._expand_pieces(patterns[1], self.facts[patterns[1]].patterns[patterns[2]], prefix, mounted, stack)
        finally:
            self._self_class = outer

    def _attribute(self, attribute: str) -> tuple[str, str] | None:
        """What ``self.<attribute>`` holds on the config being expanded (or a base of it)."""
        klass = self._self_class
        for owner in self.names.ancestry(klass) if klass and self.names.is_internal(klass) else ():
            split = self._split(owner)
            held = self.facts[split[0]].attributes.get(f"{split[1]}.{attribute}") if split else None
            if held is not None:
                return held
        return None

    def _self_view(self, view: ViewRef) -> ViewRef:
        """``self.login_view.as_view()``: the class the config holds in that attribute."""
        held = self._attribute(view.expr[len("self.") :])
        if held is None or held[0] == "app":
            return view
        qualified = self._loaded_class(held[1]) if held[0] == "class" else self.names.resolve(self._owner_module(), held[1])
        return replace(view, expr=qualified, dotted_string=True) if qualified else view

    def _owner_module(self) -> str:
        return self.names.module_prefix(self._self_class or "") or ""

    def _loaded_class(self, label_and_class: str) -> str | None:
        """``customer.views.LoginView``: the class of that name in the module whose name ends so."""
        label, _, name = label_and_class.rpartition(".")
        candidates = sorted(m for m in self.files if m == label or m.endswith("." + label))
        found = [f"{m}.{name}" for m in candidates if self.names.kind(f"{m}.{name}") == "class"]
        return found[0] if found else None
