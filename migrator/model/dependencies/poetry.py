"""Poetry's ``[tool.poetry]``: dependencies with its own constraints (``^1.2``, ``~1.2.3``,
``1.2.*``, ``>=1 <2``, ``^1 || ^2``) written as PEP 440, the ``python`` and ``platform`` keys as
markers, optional dependencies through the extras asked for, and groups when asked."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import Any

from packaging.utils import canonicalize_name

from migrator.model.dependencies.declared import Declaration, assembled, git_url, table

_CLAUSE = re.compile(r"(\^|~=|~|===|==|!=|>=|<=|>|<|=)?\s*(\*|[0-9][0-9A-Za-z.*+!-]*)")
_RELEASE = re.compile(r"^(\d+(?:\.\d+)*)(.*)$")


def poetry_specifier(constraint: str) -> str:
    """A Poetry constraint as a PEP 440 specifier: ``^1.2.3`` is ``>=1.2.3,<2.0.0``, ``~1.2`` is
    ``>=1.2,<1.3``, ``1.2.3`` is ``==1.2.3``, ``*`` is "". PEP 440 has no "or": alternatives
    (``^1 || ^2``) become the range that holds them all."""
    alternatives = [a for a in (part.strip() for part in constraint.split("||")) if a]
    if len(alternatives) > 1:
        return _hull([_and(a) for a in alternatives])
    return ",".join(_and(alternatives[0])) if alternatives else ""


def _and(constraint: str) -> list[str]:
    clauses: list[str] = []
    for operator, version in _CLAUSE.findall(constraint.replace(",", " ")):
        if version == "*":
            continue
        if operator == "^":
            clauses += [f">={version}", f"<{_bump(version, caret=True)}"]
        elif operator == "~":
            clauses += [f">={version}", f"<{_bump(version, caret=False)}"]
        elif operator in ("", "="):
            clauses.append(f"=={version}")
        else:
            clauses.append(f"{operator}{version}")
    return clauses


def _bump(version: str, *, caret: bool) -> str:
    """The first version a caret (``^``) or tilde (``~``) constraint leaves out."""
    match = _RELEASE.match(version)
    parts = [int(p) for p in (match.group(1) if match else "0").split(".")]
    if caret:
        index = next((i for i, part in enumerate(parts) if part), len(parts) - 1)
    else:
        index = 1 if len(parts) > 1 else 0
    bumped = [*parts[:index], parts[index] + 1] + [0] * (len(parts) - index - 1)
    return ".".join(map(str, bumped))


def _hull(alternatives: list[list[str]]) -> str:
    lowers = [c for a in alternatives for c in a if c.startswith((">=", "=="))]
    uppers = [c for a in alternatives for c in a if c.startswith("<") and not c.startswith("<=")]
    clauses = []
    if len(lowers) == len(alternatives):
        clauses.append(">=" + min((c.lstrip(">=") for c in lowers), key=_sortable))
    if len(uppers) == len(alternatives):
        clauses.append("<" + max((c.lstrip("<") for c in uppers), key=_sortable))
    return ",".join(clauses)


def _sortable(version: str) -> tuple[int, ...]:
    match = _RELEASE.match(version)
    return tuple(int(p) for p in (match.group(1) if match else "0").split("."))


def python_marker(constraint: str) -> str:
    """A Poetry ``python`` constraint as a marker (``^3.8``: ``python_version >= "3.8" and python_version < "4.0"``)."""
    clauses = [c for c in poetry_specifier(constraint).split(",") if c]
    atoms = []
    for clause in clauses:
        operator, version = re.match(r"([<>=!~]+)(.*)", clause).groups()  # type: ignore[union-attr]
        variable = "python_full_version" if version.count(".") >= 2 else "python_version"
        atoms.append(f'{variable} {operator} "{version}"')
    return " and ".join(atoms)


def poetry_declaration(data: Mapping[str, Any], *, groups: Collection[str] = ()) -> Declaration:
    """What ``[tool.poetry]`` declares."""
    poetry = table(table(data.get("tool")).get("poetry"))
    if "dependencies" not in poetry:
        return Declaration()
    dependencies = dict(table(poetry.get("dependencies")))
    python = dependencies.pop("python", "")
    extras = {name: {canonicalize_name(d) for d in members} for name, members in table(poetry.get("extras")).items()}
    wanted = {d for name, members in extras.items() if name in groups for d in members}
    tables = {name: table(table(group).get("dependencies")) for name, group in table(poetry.get("group")).items()}
    if "dev-dependencies" in poetry:
        tables.setdefault("dev", table(poetry.get("dev-dependencies")))
    lines: list[str] = []
    notes: list[str] = []
    for name, spec in [*dependencies.items(), *(item for group in groups for item in tables.get(group, {}).items())]:
        lines += poetry_requirements(name, spec, notes, optional_ok=canonicalize_name(name) in wanted)
    return Declaration(requirements=tuple(lines), declares=True, name=str(poetry.get("name") or ""),
                       requires_python=poetry_specifier(python) if isinstance(python, str) else "",
                       groups=tuple(sorted({*extras, *tables})), notes=tuple(notes))


def poetry_requirements(name: str, spec: object, notes: list[str], *, optional_ok: bool = True) -> list[str]:
    """One dependency of Poetry's tables as PEP 508 lines (several for a list of constraints)."""
    lines = []
    for item in spec if isinstance(spec, list) else [spec]:
        line = _requirement(name, item if isinstance(item, dict) else {"version": item}, notes, optional_ok=optional_ok)
        if line:
            lines.append(line)
    return lines


def _requirement(name: str, spec: Mapping[str, Any], notes: list[str], *, optional_ok: bool) -> str:
    if spec.get("optional") and not optional_ok:
        return ""
    if "path" in spec:
        notes.append(f"pyproject.toml: {name} is a local path ({spec['path']}): left out")
        return ""
    reference = str(spec.get("rev") or spec.get("tag") or spec.get("branch") or "")
    url = git_url(str(spec["git"]), reference, str(spec.get("subdirectory") or "")) if "git" in spec else str(spec.get("url") or "")
    markers = [str(spec.get("markers") or ""), python_marker(str(spec["python"])) if spec.get("python") else "",
               f'sys_platform == "{spec["platform"]}"' if spec.get("platform") else ""]
    line = assembled(name, extras=spec.get("extras") or (), specifier=poetry_specifier(str(spec.get("version") or "*")), url=url,
                     markers=markers)
    if not line:
        notes.append(f"pyproject.toml: {name} = {dict(spec)} is not a requirement uv understands: left out")
    return line
