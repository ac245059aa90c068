"""Settings from ``[tool.migrator]`` in the analysed project's pyproject.toml.

Every option of the stages that belongs to the project can be set there (analyze's exclude,
include_tests, include_migrations, history_commits; propose's services, seed, resolution, unit,
weights, constraints, shared; generate's event_bus, requirements, extras). Command-line options
win over the file; the file wins over the defaults. A key that is not one of these, or a value of
the wrong type, is an error naming the file and line: a misspelled key silently ignored, or
``include_tests = "yes"`` read as true, would change the result with no word said.
"""

from __future__ import annotations

import difflib
import json
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, TypeVar

from migrator.errors import MigratorError
from migrator.model.deployment import BUSES

TABLE = "tool.migrator"
T = TypeVar("T")


class InvalidProjectConfig(MigratorError):
    """``[tool.migrator]`` holds a key or a value migrator does not understand."""


class _Expected(Exception):
    """A value of the wrong type or range; ``what`` says what was expected."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


def _flag(value: object) -> bool:
    if isinstance(value, bool):
        return value
    raise _Expected("true or false")


def _whole(minimum: int) -> Callable[[object], int]:
    def read(value: object) -> int:
        if isinstance(value, int) and not isinstance(value, bool) and value >= minimum:
            return value
        raise _Expected(f"a whole number >= {minimum}")

    return read


def _positive(value: object) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        return float(value)
    raise _Expected("a number > 0")


def _one_of(*choices: str) -> Callable[[object], str]:
    def read(value: object) -> str:
        if isinstance(value, str) and value in choices:
            return value
        raise _Expected(f"one of {', '.join(choices)}")

    return read


def _globs(value: object) -> tuple[str, ...]:
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    raise _Expected("a list of glob strings")


def _path(value: object) -> Path:
    if isinstance(value, str) and value:
        return Path(value)
    raise _Expected("a path, relative to the project")


def _paths(value: object) -> tuple[Path, ...]:
    if isinstance(value, list) and value and all(isinstance(item, str) and item for item in value):
        return tuple(Path(item) for item in value)
    raise _Expected("a list of paths, relative to the project")


def _names(value: object) -> tuple[str, ...]:
    if isinstance(value, list) and all(isinstance(item, str) and item for item in value):
        return tuple(value)
    raise _Expected("a list of names")


def _weights(value: object) -> dict[str, float]:
    if isinstance(value, dict) and all(isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0 for v in value.values()):
        return {str(kind): float(number) for kind, number in value.items()}
    raise _Expected("a table of KIND = NUMBER >= 0")


def _variables(value: object) -> dict[str, str]:
    if isinstance(value, dict) and all(isinstance(k, str) and k and isinstance(v, (str, int, float, bool)) for k, v in value.items()):
        return {k: (str(v).lower() if isinstance(v, bool) else str(v)) for k, v in value.items()}
    raise _Expected("a table of NAME = value")


def _option(read: Callable[[object], Any], example: str, *, default: Any = None, factory: Callable[[], Any] | None = None) -> Any:
    metadata = {"read": read, "example": example}
    return field(default_factory=factory, metadata=metadata) if factory else field(default=default, metadata=metadata)


@dataclass(frozen=True)
class ProjectConfig:
    """``[tool.migrator]``, typed; None (or empty) where the file leaves the stage's own default."""

    exclude: tuple[str, ...] = _option(_globs, 'exclude = ["legacy/**"]', default=())
    include_tests: bool | None = _option(_flag, "include_tests = true")
    include_migrations: bool | None = _option(_flag, "include_migrations = true")
    history_commits: int | None = _option(_whole(0), "history_commits = 500")
    services: int | None = _option(_whole(1), "services = 8")
    seed: int | None = _option(_whole(0), "seed = 42")
    resolution: float | None = _option(_positive, "resolution = 1.0")
    unit: str | None = _option(_one_of("module", "class"), 'unit = "module"')
    weights: Mapping[str, float] = _option(_weights, "[tool.migrator.weights] calls = 2", factory=dict)
    constraints: Path | None = _option(_path, 'constraints = "constraints.yaml"')
    """Resolved against the project's folder."""
    shared: bool | None = _option(_flag, "shared = false")
    event_bus: str | None = _option(_one_of(*BUSES), 'event_bus = "nats"')
    database: str | None = _option(_one_of("per-service", "shared"), 'database = "shared"')
    """A database per service, or the monolith's shared by all (the first step of a strangler fig)."""
    requirements: tuple[Path, ...] = _option(_paths, 'requirements = ["requirements/prod.txt"]', default=())
    """The requirements files the services install, resolved against the project's folder (default: found)."""
    extras: tuple[str, ...] = _option(_names, 'extras = ["postgres"]', default=())
    """The optional dependencies the services install too: extras, dependency groups, Poetry groups, Pipfile categories."""
    overrides: tuple[str, ...] = _option(_names, 'overrides = ["Werkzeug==0.16.1"]', default=())
    """Requirements that replace the project's own pins of the same distributions (a pin that
    cannot install or run on this Python), as uv's override-dependencies."""
    env: Mapping[str, str] = _option(_variables, '[tool.migrator.env] SERVER_NAME = "localhost"', factory=dict)
    """Variables every service starts with (the application's own settings: what its settings
    module is, keys it requires); the environment of a deployment may still set others."""
    where: Mapping[str, str] = field(default_factory=dict, compare=False)
    """Key -> ``file:line`` of the key, for the messages of later checks (the weights' kinds)."""


KEYS = tuple(f.name for f in fields(ProjectConfig) if "read" in f.metadata)


def load_project_config(src: Path) -> ProjectConfig:
    """Read ``[tool.migrator]`` from the project's pyproject.toml (``project_file``), if there is one."""
    path = project_file(src)
    if path is None:
        return ProjectConfig()
    src = path.parent
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidProjectConfig(f"{path}: not valid TOML ({exc})", hint="fix the file or remove its [tool.migrator] table") from None
    table = data.get("tool", {}).get("migrator", {}) if isinstance(data.get("tool"), dict) else {}
    lines = _key_lines(text)
    where = {key: f"{path}:{line}" for key, line in lines.items()}
    if not isinstance(table, dict):
        raise InvalidProjectConfig(f"{where.get('', path)}: [{TABLE}] must be a table", hint=f"[{TABLE}]\nexclude = [...]")
    config = ProjectConfig(**{key: _read(key, value, where.get(key, str(path))) for key, value in table.items()}, where=where)
    config = replace(config, requirements=tuple(src / path for path in config.requirements))
    return replace(config, constraints=src / config.constraints) if config.constraints else config


def project_file(src: Path, *, levels: int = 3) -> Path | None:
    """The pyproject.toml of the project SRC is in: ``src/pyproject.toml``, else the first one in
    the folders above it (at most ``levels`` up, not past a repository's root), as a FastAPI
    application in ``backend/app`` has its project in ``backend/``. None when there is none."""
    folder = src.resolve()
    for _ in range(levels + 1):
        if (folder / "pyproject.toml").is_file():
            return folder / "pyproject.toml"
        if (folder / ".git").exists() or folder.parent == folder:
            return None
        folder = folder.parent
    return None


def _read(key: str, value: object, where: str) -> Any:
    if key not in KEYS:
        close = difflib.get_close_matches(key, KEYS, n=1)
        guess = f" (did you mean {close[0]!r}?)" if close else ""
        raise InvalidProjectConfig(f"{where}: [{TABLE}] unknown key {key!r}{guess}", hint=f"the keys are {', '.join(KEYS)}")
    option = next(f for f in fields(ProjectConfig) if f.name == key)
    try:
        return option.metadata["read"](value)
    except _Expected as expected:
        shown = json.dumps(value, default=str)
        raise InvalidProjectConfig(f"{where}: [{TABLE}] {key} must be {expected.what}, not {shown}", hint=option.metadata["example"]) from None


HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]")
KEY = re.compile(r"""^\s*["']?([A-Za-z0-9_.-]+?)["']?\s*=""")


def _key_lines(text: str) -> dict[str, int]:
    """Key of ``[tool.migrator]`` -> the line it is set on (``""``: the table's header); a
    sub-table such as ``[tool.migrator.weights]`` counts as its key."""
    lines: dict[str, int] = {}
    table = ""
    for number, line in enumerate(text.splitlines(), start=1):
        header = HEADER.match(line)
        if header:
            table = re.sub(r"""\s|["']""", "", header.group(1))
            if table == TABLE or table.startswith(TABLE + "."):
                lines.setdefault(table.removeprefix(TABLE).lstrip(".").split(".")[0], number)
            continue
        key = KEY.match(line)
        name = f"{table}.{key.group(1)}" if key and table else (key.group(1) if key else "")
        if name.startswith(TABLE + "."):
            lines.setdefault(name.removeprefix(TABLE + ".").split(".")[0], number)
    return lines


def pick(*values: T | None, default: T) -> T:
    """The first value that is set: the command line's, then the file's, then the default."""
    return next((value for value in values if value is not None), default)
