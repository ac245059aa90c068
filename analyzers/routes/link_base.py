"""What every part of the routes link shares: the facts, the objects found, and the output."""

from __future__ import annotations

from dataclasses import dataclass

from analyzers.base import Project, Skipped
from analyzers.routes.facts import Registration, RouteFacts
from analyzers.routes.vocabulary import FRAMEWORK_OF, Text
from migrator.model.facts import Edge, EdgeKind, Node, NodeKind


@dataclass(frozen=True)
class _Object:
    """An app, blueprint or router found in the code, and where it is defined."""

    id: str
    kind: str
    module: str
    prefix: Text | None
    line: int
    trailing_slash: bool

    @property
    def framework(self) -> str:
        return FRAMEWORK_OF[self.kind]


@dataclass(frozen=True)
class _Mount:
    """The child object is registered on ``parent`` (None: an app we cannot name) with a prefix."""

    parent: str | None
    prefix: Text | None
    module: str
    line: int


@dataclass(frozen=True)
class _Site:
    """Where a route is registered, by which framework, under which route name."""

    module: str
    line: int
    framework: str
    name: str | None = None


Target = tuple[str, str, tuple[str, ...]]
"""(METHOD, handler, more functions that serve it, e.g. the ``get`` of a class-based view)."""
ListKey = tuple[str, str, str]
"""("list", module, variable) for a Django pattern list, ("router", router id, "") for a DRF router."""


class _LinkBase:
    """The state of one link and the verbs all its parts use: output, constants, names."""

    def __init__(self, project: Project, analyzer: str) -> None:
        self.names = project.names
        self.files = project.files
        self.facts: dict[str, RouteFacts] = {m: f for m, f in sorted(project.facts(analyzer).items()) if f is not None}
        self.objects: dict[str, _Object] = {}
        self.mounts: dict[str, list[_Mount]] = {}
        self.registered: dict[str, list[tuple[str, Registration]]] = {}
        self.pattern_keys: set[ListKey] = {("list", m, v) for m, f in self.facts.items() for v in f.patterns}
        self.reached: set[ListKey] = set()
        self._bases_cache: dict[str, list[tuple[str, bool]]] = {}
        self._settings: dict[str, str] | None = None
        self.nodes: dict[str, Node] = {}
        self.edges: dict[tuple[str, str], Edge] = {}
        self.skipped: dict[tuple[str, int, str], Skipped] = {}
        self.notes: list[str] = []

    # -- output -----------------------------------------------------------------------------------
    def _emit(self, target: Target, path: str, site: _Site, *, mounted: bool) -> None:
        method, handler, also = target
        route_id = f"route:{method} {path}"
        relpath = self.files[site.module].relpath
        existing = self.nodes.get(route_id)
        if existing is None or (mounted and not existing.attrs["mounted"]):
            attrs = {"method": method, "path": path, "handler": handler, "framework": site.framework,
                     "name": site.name, "mounted": mounted}
            self.nodes[route_id] = Node(route_id, NodeKind.ROUTE, relpath, site.line, (), attrs)
        evidence = (f"{relpath}:{site.line}",)
        for function in (handler, *also):
            self.edges.setdefault((route_id, function), Edge(route_id, function, EdgeKind.HANDLES, 1.0, evidence))

    def _skip(self, module: str, line: int, reason: str) -> None:
        relpath = self.files[module].relpath
        self.skipped.setdefault((relpath, line, reason), Skipped(relpath, reason, line))

    # -- names ------------------------------------------------------------------------------------
    def text(self, module: str, text: Text, line: int) -> str:
        """The path a ``Text`` spells; a part that is not a string constant becomes ``{?}``."""
        out: list[str] = []
        for kind, value in text:
            if kind == "config":
                found = self._setting(value)
            else:
                found = value if kind == "lit" else self._constant(module, value) if kind == "name" else None
            if found is None:
                self._skip(module, line, f"route path part {value or '?'} is not a string constant; kept as {{?}}")
                found = "{?}"
            out.append(found)
        return "".join(out)

    def _constant(self, module: str, expr: str) -> str | None:
        qualified = self.names.resolve(module, expr)
        owner = self.names.module_prefix(qualified) if qualified else None
        if qualified is None or owner is None or owner == qualified or owner not in self.facts:
            return None
        return self.facts[owner].constants.get(qualified[len(owner) + 1 :])

    def _setting(self, key: str) -> str | None:
        """``app.config["KEY"]``: the one value every ``KEY = "..."`` of the project (a config
        module's, a config class's) gives it; None when they disagree or there is none."""
        if self._settings is None:
            found: dict[str, set[str]] = {}
            for facts in self.facts.values():
                for name, value in facts.constants.items():
                    found.setdefault(name.rpartition(".")[2], set()).add(value)
            self._settings = {k: next(iter(v)) for k, v in found.items() if len(v) == 1}
        return self._settings.get(key)

    def _split(self, qualified: str) -> tuple[str, str] | None:
        """(module, qualified name inside it) of a name of ours that has route facts."""
        owner = self.names.module_prefix(qualified)
        if owner is None or owner == qualified or owner not in self.facts:
            return None
        return owner, qualified[len(owner) + 1 :]

    def _object_at(self, module: str, scope: str, expr: str) -> str | None:
        """The app/blueprint/router ``expr`` names: a local of the enclosing function first."""
        if expr in self.objects:  # already a qualified name (an element of a resolved sequence)
            return expr
        parts = scope.split(".") if scope else []
        for end in range(len(parts), 0, -1):
            local = f"{module}.{'.'.join(parts[:end])}.{expr}"
            if local in self.objects:
                return local
        qualified = self.names.resolve(module, expr)
        return qualified if qualified in self.objects else None
