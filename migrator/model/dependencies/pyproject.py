"""pyproject.toml's ``[project]``: ``dependencies``, the ``optional-dependencies`` and
``[dependency-groups]`` asked for (a group may include another, an extra may name the project's
own other extras), and dependencies that setuptools reads from requirements files (``dynamic``)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from packaging.utils import canonicalize_name

from migrator.model.dependencies.declared import Declaration, parsed, table


def project_declaration(data: Mapping[str, Any], *, groups: Collection[str] = ()) -> Declaration:
    """What ``[project]`` declares: ``declares`` is False without ``[project]``, or when its
    dependencies are dynamic and not in requirements files (setup.py or setup.cfg has them)."""
    project = data.get("project")
    if not isinstance(project, dict):
        return Declaration()
    name = str(project.get("name") or "")
    extras = table(project.get("optional-dependencies"))
    dependency_groups = table(data.get("dependency-groups"))
    dynamic = "dependencies" in (project.get("dynamic") or ())
    includes = _dynamic_files(data) if dynamic else ()
    if dynamic and not includes:  # setup.py or setup.cfg declares them
        return Declaration(name=name)
    lines = [*_strings(project.get("dependencies")), *_extras(name, extras, groups), *_groups(dependency_groups, groups)]
    notes = [f"pyproject.toml: {line!r} is not a requirement: left out" for line in lines if parsed(line) is None]
    return Declaration(
        requirements=tuple(line for line in lines if parsed(line) is not None), declares=True, includes=includes, name=name,
        requires_python=str(project.get("requires-python") or ""), groups=tuple(sorted({*extras, *dependency_groups})), notes=tuple(notes),
    )


def _extras(name: str, extras: Mapping[str, Any], asked: Collection[str]) -> list[str]:
    """The lines of the extras asked for, the project's own extras they name expanded (``app[db]``)."""
    own, lines, pending, seen = canonicalize_name(name or "-"), [], [e for e in extras if e in asked], set()
    while pending:
        extra = pending.pop(0)
        if extra in seen:
            continue
        seen.add(extra)
        for line in _strings(extras.get(extra)):
            requirement = parsed(line)
            if requirement is not None and canonicalize_name(requirement.name) == own:
                pending += [e for e in extras if canonicalize_name(e) in {canonicalize_name(x) for x in requirement.extras}]
            else:
                lines.append(line)
    return lines


def _groups(groups: Mapping[str, Any], asked: Collection[str]) -> list[str]:
    """PEP 735 groups asked for, with the groups they include."""
    lines, pending, seen = [], [g for g in groups if g in asked], set()
    while pending:
        group = pending.pop(0)
        if group in seen:
            continue
        seen.add(group)
        for item in groups.get(group) or ():
            if isinstance(item, dict) and isinstance(item.get("include-group"), str):
                pending.append(item["include-group"])
            elif isinstance(item, str):
                lines.append(item)
    return lines


def _dynamic_files(data: Mapping[str, Any]) -> tuple[str, ...]:
    setuptools = table(table(data.get("tool")).get("setuptools"))
    files = table(table(setuptools.get("dynamic")).get("dependencies")).get("file")
    return (files,) if isinstance(files, str) else tuple(_strings(files))


def _strings(value: object) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []
