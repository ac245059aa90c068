"""Pipenv's Pipfile (``[packages]``, and ``[dev-packages]`` or another category when asked) and
Pipfile.lock (its ``default`` section already holds every distribution, pinned)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from migrator.model.dependencies.declared import Declaration, assembled, git_url, table

_MARKER_KEYS = ("os_name", "sys_platform", "platform_machine", "platform_python_implementation", "platform_system", "python_version",
                "python_full_version", "implementation_name")
_DEV = {"dev": "dev-packages", "develop": "dev-packages"}


def pipfile_declaration(data: Mapping[str, Any], *, groups: Collection[str] = ()) -> Declaration:
    """What a Pipfile declares: ``[packages]`` and the categories asked for (``dev``: ``[dev-packages]``)."""
    categories = ["packages", *(_DEV.get(group, group) for group in groups)]
    lines: list[str] = []
    notes: list[str] = []
    for category in dict.fromkeys(categories):
        for name, spec in table(data.get(category)).items():
            line = _requirement(name, spec if isinstance(spec, dict) else {"version": spec}, notes, "Pipfile")
            if line:
                lines.append(line)
    python = table(data.get("requires")).get("python_version") or table(data.get("requires")).get("python_full_version")
    present = [k for k in data if k not in ("source", "requires", "pipenv", "scripts", "packages")]
    return Declaration(requirements=tuple(lines), declares="packages" in data, requires_python=f"=={python}.*" if python else "",
                       groups=tuple(sorted("dev" if k == "dev-packages" else k for k in present)), notes=tuple(notes))


def pipfile_lock_declaration(data: Mapping[str, Any], *, groups: Collection[str] = ()) -> Declaration:
    """The pins of Pipfile.lock: ``default``, and ``develop`` when ``dev`` is asked for."""
    sections = ["default", *(("develop",) if {"dev", "develop"} & set(groups) else ()), *(g for g in groups if g not in _DEV)]
    lines: list[str] = []
    notes: list[str] = []
    for section in dict.fromkeys(sections):
        for name, spec in table(data.get(section)).items():
            line = _requirement(name, table(spec), notes, "Pipfile.lock")
            if line:
                lines.append(line)
    return Declaration(requirements=tuple(lines), declares="default" in data, notes=tuple(notes))


def _requirement(name: str, spec: Mapping[str, Any], notes: list[str], where: str) -> str:
    if "path" in spec or (isinstance(spec.get("file"), str) and "://" not in spec["file"]):
        notes.append(f"{where}: {name} is a local path: left out")
        return ""
    reference = str(spec.get("ref") or spec.get("tag") or spec.get("branch") or "")
    url = git_url(str(spec["git"]), reference) if "git" in spec else str(spec.get("file") or "")
    version = str(spec.get("version") or "*")
    markers = [str(spec.get("markers") or ""), *(f"{k} {spec[k]}" for k in _MARKER_KEYS if isinstance(spec.get(k), str))]
    line = assembled(name, extras=spec.get("extras") or (), specifier="" if version == "*" else version, url=url, markers=markers)
    if not line:
        notes.append(f"{where}: {name} = {dict(spec)} is not a requirement uv understands: left out")
    return line
