"""The boundaries of the proposed services as files the teams' own tools check: ``.importlinter``
(import-linter's INI) and ``tach.toml``, rendered from the contracts planning computed
(``MigrationPlan.contracts``).

Service and module names come from user code and a hand-edited decomposition. The TOML is built
as data by tomlkit. INI has no quoting, so every section name and value goes through
``ini_section`` and ``ini_value``: a service's contract is identified by a token made of safe
characters, and values are written as configparser reads them back (import-linter reads with
interpolation, so ``%`` is doubled).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import tomlkit

from generators.deploy.text import one_line
from migrator.errors import MigratorError
from migrator.model.decomposition import SHARED
from migrator.model.deployment import digest
from migrator.model.plan import BoundaryContract

IMPORTLINTER = ".importlinter"
TACH = "tach.toml"
_SAFE_ID = re.compile(r"[A-Za-z0-9_.-]+")
_INI_COMMENT = ("#", ";")

Options = Mapping[str, str | Sequence[str]]


def render_boundaries(contracts: Sequence[BoundaryContract]) -> dict[str, str]:
    """``{.importlinter: text, tach.toml: text}``."""
    return {IMPORTLINTER: render_importlinter(contracts), TACH: render_tach(contracts)}


def contract_title(part: str) -> str:
    return "The shared library imports no service" if part == SHARED else f"Service {part} imports no other service"


def contract_id(part: str) -> str:
    """The contract's id in ``.importlinter`` (``lint-imports --contract ID``): the part's name when
    it is made of ``[A-Za-z0-9_.-]``, else those characters of it and a digest of the whole."""
    if _SAFE_ID.fullmatch(part):
        return part
    readable = re.sub(r"[^A-Za-z0-9_.-]+", "-", part).strip("-")
    return f"{readable}-{digest(part)}" if readable else digest(part)


def render_importlinter(contracts: Sequence[BoundaryContract]) -> str:
    """One ``forbidden`` contract per part; every part's modules under the root packages."""
    ordered = sorted(contracts, key=lambda c: c.part)
    roots = sorted({name.split(".")[0] for c in ordered for name in (*c.sources, *c.forbidden)})
    sections: dict[str, Options] = {"importlinter": {"root_packages": roots}}
    for contract in ordered:
        sections[f"importlinter:contract:{contract_id(contract.part)}"] = {
            "name": contract_title(contract.part),
            "type": "forbidden",
            "source_modules": contract.sources,
            "forbidden_modules": contract.forbidden,
            "allow_indirect_imports": "True",
        }
    header = [
        "# Boundaries proposed by `migrator plan`: direct imports across services break them.",
        "# Check with: lint-imports --config .importlinter",
    ]
    return "\n".join(header) + "\n" + ini(sections)


def render_tach(contracts: Sequence[BoundaryContract]) -> str:
    """tach.toml: each service's modules may depend on each other and on the shared library."""
    shared = next((c.sources for c in contracts if c.part == SHARED), ())
    document = tomlkit.document()
    document.add(tomlkit.comment("Boundaries proposed by `migrator plan`, for teams that use tach: `tach check`."))
    document["source_roots"] = ["."]
    document["exclude"] = ["**/tests", "**/migrations"]
    modules = tomlkit.aot()
    for contract in sorted(contracts, key=lambda c: c.part):
        for module in contract.sources:
            allowed = [m for m in contract.sources if m != module] + ([] if contract.part == SHARED else list(shared))
            table = tomlkit.table()
            table["path"] = module
            table["depends_on"] = sorted(allowed)
            if contract.part == SHARED:
                table["utility"] = True
            modules.append(table)
    if modules:
        document.add(tomlkit.nl())
        document["modules"] = modules
    return tomlkit.dumps(document)


def ini(sections: Mapping[str, Options]) -> str:
    """INI text: ``key = value`` for a string, a list one item per indented line (as import-linter
    reads lists), a blank line after each section."""
    lines: list[str] = []
    for section, options in sections.items():
        lines.append(f"[{ini_section(section)}]")
        for key, value in options.items():
            if isinstance(value, str):
                lines.append(f"{key} = {ini_value(value)}")
            else:
                lines += [f"{key} =", *(f"    {_ini_item(item)}" for item in value)]
        lines.append("")
    return "\n".join(lines)


def ini_section(name: str) -> str:
    """A section name configparser reads back as it is (one line, no ``]``: ids are tokens)."""
    if name != one_line(name) or "]" in name or name != name.strip():
        raise ValueError(f"not a section name INI can hold: {name!r}")
    return name


def ini_value(text: str) -> str:
    """``text`` as an INI value that configparser, with interpolation, reads back unchanged: on one
    line (control characters become spaces), ``%`` doubled. configparser strips the value, so
    surrounding blanks are the one thing lost."""
    return one_line(text).replace("%", "%%")


def _ini_item(text: str) -> str:
    """An item of a list value: a continuation line that starts like a comment would be skipped."""
    value = ini_value(text).strip()
    if not value or value.startswith(_INI_COMMENT):
        raise MigratorError(f"the module name {text!r} cannot be written into .importlinter",
                            hint="rename the module, or leave it out of the decomposition")
    return value
