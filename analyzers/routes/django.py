"""Link: Django URLconfs, walked down from ROOT_URLCONF through every include."""

from __future__ import annotations

from collections.abc import Iterable

from analyzers.routes.app_config_links import _ConfigLinks
from analyzers.routes.facts import Piece, Ref
from analyzers.routes.link_base import ListKey, _Site
from analyzers.routes.vocabulary import DJANGO, MAX_INCLUDE_DEPTH


class _DjangoLinks(_ConfigLinks):
    """Routes of Django URLconfs, from each root down; what no root reaches stays unmounted."""

    def _django(self) -> None:
        for root in self._root_urlconfs():
            self._expand(("list", root, "urlpatterns"), "", True, frozenset())
        # what no root reaches is kept with its local paths; parents first, so children get their prefix
        pending = sorted((self.pattern_keys | {("router", r, "") for r in self.registered}) - self.reached)
        children = {c for key in pending for c in self._children(key)}
        for key in sorted(pending, key=lambda k: k in children):
            if key not in self.reached:
                self._expand(key, "", False, frozenset())

    def _root_urlconfs(self) -> list[str]:
        declared = {f.constants["ROOT_URLCONF"] for f in self.facts.values() if "ROOT_URLCONF" in f.constants}
        roots = sorted(m for m in declared if ("list", m, "urlpatterns") in self.pattern_keys)
        if roots or not any(key[2] == "urlpatterns" for key in self.pattern_keys):
            return roots
        urlconfs = sorted(key for key in self.pattern_keys if key[2] == "urlpatterns")
        included = {child[1] for key in urlconfs for child in self._children(key) if child[1] != key[1]}
        found = f"ROOT_URLCONF = {', '.join(sorted(declared))} is not an analysed URLconf" if declared else "no ROOT_URLCONF found"
        self.notes.append(f"routes: {found}; every URLconf that no other includes is taken as a root")
        return [key[1] for key in urlconfs if key[1] not in included]

    def _children(self, key: ListKey) -> set[ListKey]:
        if key[0] != "list":
            return set()
        found: set[ListKey] = set()
        stack = list(self.facts[key[1]].patterns[key[2]])
        while stack:
            piece = stack.pop()
            if isinstance(piece, Ref):
                child = self._ref_key(key[1], piece)
                if child is not None:
                    found.add(child)
            elif piece.include:
                stack.extend(piece.include)
        return found

    def _ref_key(self, module: str, ref: Ref) -> ListKey | None:
        """The pattern list or router a name in a URLconf stands for."""
        if ref.app_label:
            return self._config_key(ref.expr)
        if ref.expr.startswith("self.") and ref.expr.endswith(".urls"):
            held = self._attribute(ref.expr[len("self.") : -len(".urls")])
            return self._config_key(held[1]) if held and held[0] == "app" else None
        qualified = ref.expr if ref.module else self.names.resolve(module, ref.expr)
        if qualified is None:
            return None
        if ref.module or self.names.is_module(qualified):
            key: ListKey = ("list", qualified, "urlpatterns")
            return key if key in self.pattern_keys else None
        if qualified.endswith(".urls") and qualified[:-5] in self.registered:
            return ("router", qualified[:-5], "")
        split = self._split(qualified)
        if split and ("list", *split) in self.pattern_keys:
            return ("list", split[0], split[1])
        return None

    def _expand(self, key: ListKey, prefix: str, mounted: bool, stack: frozenset[ListKey]) -> None:
        if key in stack or len(stack) > MAX_INCLUDE_DEPTH:
            return
        self.reached.add(key)
        if key[0] == "router":
            self._router_routes(key[1], prefix, mounted)
        elif key[0] == "config" or key[2].endswith(".get_urls"):
            self._expand_config(key, prefix, mounted, stack | {key})
        else:
            self._expand_pieces(key[1], self.facts[key[1]].patterns[key[2]], prefix, mounted, stack | {key})

    def _expand_pieces(
        self, module: str, pieces: Iterable[Piece], prefix: str, mounted: bool, stack: frozenset[ListKey]
    ) -> None:
        for piece in pieces:
            if isinstance(piece, Ref):
                key = self._ref_key(module, piece)
                if key is not None:
                    self._expand(key, prefix, mounted, stack)
                continue
            route = prefix + _django_piece(self.text(module, piece.route, piece.line), piece.regex)
            if piece.include is not None:
                self._expand_pieces(module, piece.include, route, mounted, stack)
            elif piece.view is not None:
                site = _Site(module, piece.line, DJANGO, piece.name)
                view = self._self_view(piece.view) if piece.view.expr.startswith("self.") else piece.view
                for target in self._view_targets(module, view, DJANGO, None):
                    self._emit(target, "/" + route, site, mounted=mounted)


def _django_piece(route: str, regex: bool) -> str:
    """A ``path()`` route as written; a regex without its ``^`` and ``$`` anchors."""
    if not regex:
        return route
    route = route[1:] if route.startswith("^") else route
    return route[:-1] if route.endswith("$") and not route.endswith("\\$") else route
