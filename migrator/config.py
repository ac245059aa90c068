"""Settings from ``[tool.migrator]`` in the analysed project's pyproject.toml.

Command-line options win over the file; the file wins over the defaults.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from migrator.errors import MigratorError


@dataclass(frozen=True)
class ProjectConfig:
    exclude: tuple[str, ...] = ()
    include_tests: bool = False
    include_migrations: bool = False
    history_commits: int | None = None
    raw: dict[str, Any] = field(default_factory=dict)
    """The whole ``[tool.migrator]`` table, for later stages (weights, services...)."""


def load_project_config(src: Path) -> ProjectConfig:
    """Read ``[tool.migrator]`` from ``src/pyproject.toml`` if there is one."""
    path = src / "pyproject.toml"
    if not path.is_file():
        return ProjectConfig()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise MigratorError(f"{path}: not valid TOML ({exc})", hint="fix the file or remove its [tool.migrator] table") from None
    table = data.get("tool", {}).get("migrator", {})
    if not isinstance(table, dict):
        raise MigratorError(f"{path}: [tool.migrator] must be a table")
    exclude = table.get("exclude", [])
    if not isinstance(exclude, list) or not all(isinstance(x, str) for x in exclude):
        raise MigratorError(f"{path}: [tool.migrator] exclude must be a list of glob strings", hint='exclude = ["legacy/**"]')
    history = table.get("history_commits")
    if history is not None and (not isinstance(history, int) or history < 0):
        raise MigratorError(f"{path}: [tool.migrator] history_commits must be a whole number >= 0")
    return ProjectConfig(
        exclude=tuple(exclude),
        include_tests=bool(table.get("include_tests", False)),
        include_migrations=bool(table.get("include_migrations", False)),
        history_commits=history,
        raw=table,
    )
