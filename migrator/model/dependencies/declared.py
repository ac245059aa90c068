"""The values every format reads into, and the one way requirement lines are combined: the same
distribution twice becomes one line, and a tool's own requirements adapt to the project's."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from packaging.markers import Marker
from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name


@dataclass(frozen=True)
class Declaration:
    """What one file (or one file and its lock) declares."""

    requirements: tuple[str, ...] = ()
    """PEP 508 lines."""
    declares: bool = False
    """True when the file declares the project's dependencies at all (even none): a pyproject.toml
    of tool settings only does not."""
    includes: tuple[str, ...] = ()
    """Requirements files it takes its dependencies from (setuptools' ``dynamic``, setup.cfg's ``file:``)."""
    name: str = ""
    """The project's own name, which its lock knows it by."""
    requires_python: str = ""
    groups: tuple[str, ...] = ()
    """The optional groups it has (extras, dependency groups), asked for or not."""
    notes: tuple[str, ...] = ()
    """What was left out, and why."""


@dataclass(frozen=True)
class DeclaredRequirements:
    """What the monolith declares it needs, as pinned as the project pins it."""

    requirements: tuple[str, ...] = ()
    """PEP 508 lines, one per distribution (and marker), sorted by name."""
    sources: tuple[str, ...] = ()
    """The files read, relative to the project's folder, the one chosen first."""
    root: str = ""
    """The project's folder: where the first source is."""
    requires_python: str = ""
    notes: tuple[str, ...] = ()
    """What was left out, and why."""


def parsed(line: str) -> Requirement | None:
    """``line`` as a requirement; None when it is not one."""
    try:
        return Requirement(line)
    except InvalidRequirement:
        return None


def assembled(name: str, *, extras: Sequence[str] = (), specifier: str = "", url: str = "", markers: Sequence[str] = ()) -> str:
    """A requirement from the parts a table of Poetry or Pipenv gives it (every one of ``markers``
    holds); "" when they make none."""
    head = name + (f"[{','.join(extras)}]" if extras else "") + (f" @ {url}" if url else specifier)
    kept = [marker for marker in markers if marker]
    requirement = parsed(head + (" ; " + " and ".join(f"({m})" if len(kept) > 1 else m for m in kept) if kept else ""))
    return str(requirement) if requirement is not None else ""


def git_url(repository: str, reference: str = "", subdirectory: str = "") -> str:
    """The direct URL of a distribution in a git repository, at ``reference`` when there is one."""
    return f"git+{repository}" + (f"@{reference}" if reference else "") + (f"#subdirectory={subdirectory}" if subdirectory else "")


def table(value: object) -> Mapping[str, Any]:
    """``value`` when it is a TOML or JSON table, else an empty one."""
    return value if isinstance(value, dict) else {}


def key(requirement: Requirement) -> str:
    """The distribution's canonical name: ``Flask_SQLAlchemy`` and ``flask-sqlalchemy`` are one."""
    return canonicalize_name(requirement.name)


def merged(lines: Iterable[str]) -> list[str]:
    """One line per distribution and marker, sorted by name: the extras of both and the
    specifiers of both (``Flask>=1`` and ``flask==1.0.4`` become ``Flask==1.0.4,>=1``); lines
    that are not requirements are dropped (the readers note them)."""
    combined: dict[tuple[str, str], Requirement] = {}
    for line in lines:
        requirement = parsed(line)
        if requirement is None:
            continue
        slot = (key(requirement), str(requirement.marker or ""))
        if slot in combined:
            requirement = _both(combined[slot], requirement)
        combined[slot] = requirement
    return [str(combined[slot]) for slot in sorted(combined)]


def _both(first: Requirement, second: Requirement) -> Requirement:
    both = Requirement(str(first))
    both.extras |= second.extras
    both.specifier = SpecifierSet(str(first.specifier & second.specifier))
    both.url = first.url or second.url
    return both


def overridden(declared: DeclaredRequirements, overrides: Sequence[str]) -> DeclaredRequirements:
    """``declared`` with each of ``overrides`` in place of every line naming its distribution
    (``[tool.migrator] overrides``: a pin of the project that cannot install or run here, replaced
    the way uv's ``override-dependencies`` does), and a note of each."""
    if not overrides:
        return declared
    replacing = {key(r): line for line in overrides if (r := parsed(line)) is not None}
    kept = [line for line in declared.requirements if (r := parsed(line)) is None or key(r) not in replacing]
    replaced = sorted(set(declared.requirements) - set(kept))
    note = f"[tool.migrator] overrides: {', '.join(replacing.values())}" + (f" in place of {', '.join(replaced)}" if replaced else "")
    return replace(declared, requirements=tuple(merged([*kept, *replacing.values()])), notes=(*declared.notes, note))


def adapted(project: Sequence[str], own: Sequence[str]) -> list[str]:
    """The project's requirements and a tool's ``own``, where the project's win: a distribution
    the project already names keeps the project's pin (with ``own``'s extras added), so that
    ``pydantic>=2`` of a tool never fights a project's ``pydantic==1.10.13``; the others are added."""
    declared = {key(r): r for r in map(parsed, project) if r is not None}
    widened = {name: set() for name in declared}
    added = []
    for line in own:
        requirement = parsed(line)
        if requirement is None:
            continue
        if key(requirement) in declared:
            widened[key(requirement)] |= requirement.extras
        else:
            added.append(line)
    lines = []
    for line in project:
        requirement = parsed(line)
        if requirement is not None and widened.get(key(requirement)):
            requirement.extras |= widened[key(requirement)]
            line = str(requirement)
        lines.append(line)
    return merged([*lines, *added])


def joined_markers(alternatives: Iterable[Iterable[str]]) -> str:
    """A marker that holds when every marker of one of the ``alternatives`` holds ("" always)."""
    terms = []
    for conjunction in alternatives:
        atoms = sorted(set(conjunction))
        if not atoms:
            return ""
        terms.append(" and ".join(f"({atom})" if len(atoms) > 1 else atom for atom in atoms))
    if not terms:
        return ""
    text = " or ".join(f"({term})" if len(terms) > 1 else term for term in sorted(set(terms)))
    return str(Marker(text))
