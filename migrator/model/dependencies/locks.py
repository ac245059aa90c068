"""The pins of uv.lock and poetry.lock: from the project's own dependencies down through the
lock, every distribution it reaches at its locked version, under the markers of the paths that
reach it (a Windows-only dependency stays Windows-only)."""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from migrator.model.dependencies.declared import git_url, joined_markers, merged, parsed
from migrator.model.dependencies.poetry import poetry_specifier, python_marker

_MOST_ALTERNATIVES = 16
"""Past this many ways to reach one distribution, keep only the markers they all share."""


@dataclass(frozen=True)
class Edge:
    """A dependency as the lock records it."""

    name: str
    marker: str = ""
    extras: tuple[str, ...] = ()
    specifier: str = ""
    """Which of several locked versions it takes."""


@dataclass(frozen=True)
class Locked:
    """A distribution of the lock."""

    name: str
    version: str
    url: str = ""
    """Where it comes from when not from an index (``git+...@commit``, a wheel's URL)."""
    local: bool = False
    """A folder of the project (its own package, a workspace member): followed, never pinned."""
    dependencies: tuple[Edge, ...] = ()
    optional: Mapping[str, tuple[Edge, ...]] = field(default_factory=dict)
    """Extra -> what it adds."""


def pinned_closure(roots: Iterable[Edge], packages: Sequence[Locked]) -> tuple[list[str], list[str]]:
    """Every locked distribution ``roots`` reach, pinned, with its markers; and the notes."""
    by_name: dict[str, list[Locked]] = {}
    for package in packages:
        by_name.setdefault(package.name, []).append(package)
    ways: dict[tuple[str, str], frozenset[frozenset[str]]] = {}
    extras: dict[tuple[str, str], frozenset[str]] = {}
    found: dict[tuple[str, str], Locked] = {}
    missing: set[str] = set()
    pending: deque[tuple[str, str]] = deque()

    def reach(edge: Edge, under: frozenset[frozenset[str]]) -> None:
        package = _choose(by_name.get(edge.name, []), edge.specifier)
        if package is None:
            missing.add(edge.name)
            return
        slot = (package.name, package.version)
        atoms = frozenset({edge.marker}) if edge.marker and "extra" not in edge.marker else frozenset()
        combined = _fewest(ways.get(slot, frozenset()) | {way | atoms for way in under})
        wider = extras.get(slot, frozenset()) | set(edge.extras)
        if combined != ways.get(slot) or wider != extras.get(slot):
            ways[slot], extras[slot], found[slot] = combined, wider, package
            pending.append(slot)

    for root in roots:
        reach(root, frozenset({frozenset()}))
    while pending:
        slot = pending.popleft()
        package = found[slot]
        for edge in [*package.dependencies, *(e for extra in sorted(extras[slot]) for e in package.optional.get(extra, ()))]:
            reach(edge, ways[slot])
    lines = [_pin(found[slot], extras[slot], joined_markers(ways[slot])) for slot in sorted(found) if not found[slot].local]
    notes = [f"the lock has no {name}: left out" for name in sorted(missing)]
    return merged(lines), notes


def _choose(candidates: list[Locked], specifier: str) -> Locked | None:
    try:
        wanted = SpecifierSet(specifier)
    except InvalidSpecifier:
        wanted = SpecifierSet()
    fitting = [c for c in candidates if _fits(c.version, wanted)] or candidates
    return max(fitting, key=lambda c: _version(c.version), default=None)


def _fits(version: str, wanted: SpecifierSet) -> bool:
    try:
        return wanted.contains(version, prereleases=True)
    except InvalidVersion:
        return True


def _version(text: str) -> Version:
    try:
        return Version(text)
    except InvalidVersion:
        return Version("0")


def _fewest(ways: frozenset[frozenset[str]]) -> frozenset[frozenset[str]]:
    """The same condition, without the ways another, weaker one already covers."""
    kept = frozenset(way for way in ways if not any(other < way for other in ways))
    if len(kept) > _MOST_ALTERNATIVES:
        return frozenset({frozenset.intersection(*kept)})
    return kept


def _pin(package: Locked, extras: Collection[str], marker: str) -> str:
    head = package.name + (f"[{','.join(sorted(extras))}]" if extras else "")
    head += f" @ {package.url}" if package.url else f"=={package.version}"
    return head + (f" ; {marker}" if marker else "")


def uv_lock_packages(data: Mapping[str, Any]) -> list[Locked]:
    """uv.lock's ``[[package]]`` tables."""
    return [_uv_package(item) for item in data.get("package") or () if isinstance(item, dict) and item.get("name")]


def uv_lock_roots(data: Mapping[str, Any], project: str, *, groups: Collection[str] = ()) -> list[Edge] | None:
    """What the project ``project`` depends on in uv.lock, with the extras and dependency groups
    asked for; None when the lock does not hold that project."""
    name = canonicalize_name(project)
    root = next((item for item in data.get("package") or () if isinstance(item, dict) and canonicalize_name(str(item.get("name"))) == name), None)
    if root is None:
        return None
    edges = [*_uv_edges(root.get("dependencies"))]
    for table in ("optional-dependencies", "dev-dependencies"):
        for group, items in (root.get(table) or {}).items():
            if group in groups:
                edges += _uv_edges(items)
    return edges


def _uv_package(item: Mapping[str, Any]) -> Locked:
    source = item.get("source") or {}
    optional = {extra: tuple(_uv_edges(items)) for extra, items in (item.get("optional-dependencies") or {}).items()}
    return Locked(canonicalize_name(str(item["name"])), str(item.get("version") or ""), url=_uv_url(source),
                  local=bool({"editable", "virtual", "directory", "path"} & set(source)),
                  dependencies=tuple(_uv_edges(item.get("dependencies"))), optional=optional)


def _uv_edges(items: object) -> list[Edge]:
    edges = []
    for item in items if isinstance(items, list) else ():
        if isinstance(item, dict) and item.get("name"):
            version = f"=={item['version']}" if item.get("version") else ""
            edges.append(Edge(canonicalize_name(str(item["name"])), str(item.get("marker") or ""), tuple(item.get("extra") or ()), version))
    return edges


def _uv_url(source: Mapping[str, Any]) -> str:
    if "git" in source:
        location, _, commit = str(source["git"]).partition("#")
        parts = urlsplit(location)
        subdirectory = parse_qs(parts.query).get("subdirectory", [""])[0]
        return git_url(parts._replace(query="", fragment="").geturl(), commit, subdirectory)
    return str(source["url"]) if "url" in source else ""


def poetry_lock_packages(data: Mapping[str, Any]) -> list[Locked]:
    """poetry.lock's ``[[package]]`` tables."""
    return [_poetry_package(item) for item in data.get("package") or () if isinstance(item, dict) and item.get("name")]


def edges_of(lines: Iterable[str]) -> list[Edge]:
    """Requirement lines (the project's own, as Poetry declares them) as the lock's edges."""
    edges = []
    for line in lines:
        requirement = parsed(line)
        if requirement is not None:
            edges.append(Edge(canonicalize_name(requirement.name), str(requirement.marker or ""), tuple(sorted(requirement.extras)),
                              str(requirement.specifier)))
    return edges


def _poetry_package(item: Mapping[str, Any]) -> Locked:
    source = item.get("source") or {}
    kind = source.get("type")
    url = ""
    if kind == "git":
        url = git_url(str(source.get("url")), str(source.get("resolved_reference") or source.get("reference") or ""),
                      str(source.get("subdirectory") or ""))
    elif kind == "url":
        url = str(source.get("url"))
    required, optional_by_name = [], {}
    for name, spec in (item.get("dependencies") or {}).items():
        for one in spec if isinstance(spec, list) else [spec]:
            edge, optional = _poetry_edge(name, one)
            (optional_by_name.setdefault(edge.name, []) if optional else required).append(edge)
    optional = {extra: tuple(e for member in members for e in optional_by_name.get(canonicalize_name(str(member).split()[0].split(";")[0]), ()))
                for extra, members in (item.get("extras") or {}).items()}
    return Locked(canonicalize_name(str(item["name"])), str(item.get("version") or ""), url=url, local=kind in ("directory", "file"),
                  dependencies=tuple(required), optional=optional)


def _poetry_edge(name: str, spec: object) -> tuple[Edge, bool]:
    if not isinstance(spec, dict):
        return Edge(canonicalize_name(name), specifier=poetry_specifier(str(spec))), False
    markers = [m for m in (str(spec.get("markers") or ""), python_marker(str(spec["python"])) if spec.get("python") else "") if m]
    marker = " and ".join(f"({m})" for m in markers) if len(markers) > 1 else "".join(markers)
    return (Edge(canonicalize_name(name), marker, tuple(spec.get("extras") or ()), poetry_specifier(str(spec.get("version") or "*"))),
            bool(spec.get("optional")))
