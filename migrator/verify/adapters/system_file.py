"""``OUT/system.json`` read back and checked against the folder (format in docs/generated-system.md):
the system a run boots."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from generators.system_file import SCHEMA
from migrator.errors import MigratorError
from migrator.model.service_plan import ServicePlan
from migrator.verify.adapters.own_suite import find_own_suite
from migrator.verify.adapters.suite import import_root
from migrator.verify.domain.system import MonolithSuite, RunnableService, SystemDescription

_REGENERATE = "generate it again: migrator generate SRC --decomposition D -o OUT"


def load_system(out: Path) -> SystemDescription:
    """Read and check ``out/system.json``; a MigratorError that says what to do when it is unusable."""
    path = out / "system.json"
    if not path.is_file():
        raise MigratorError(f"{out} holds no generated system ({path.name} is missing)", hint=_REGENERATE)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise MigratorError(f"cannot read {path}: {error}", hint=_REGENERATE) from error
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise MigratorError(f"{path} is not a {SCHEMA} file", hint=_REGENERATE)
    try:
        return _description(out.resolve(), data)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise MigratorError(f"{path} is malformed ({type(error).__name__}: {error})", hint=_REGENERATE) from error


def _description(root: Path, data: dict[str, Any]) -> SystemDescription:
    services = tuple(
        RunnableService(
            name=str(item["name"]), package=str(item["package"]), dir=str(item["dir"]), app=str(item["app"]), port=int(item["port"]),
            env={str(k): str(v) for k, v in (item.get("env") or {}).items()}, openapi=item.get("openapi"),
            calls=tuple(str(c) for c in item.get("calls") or ()), title=str(item.get("title") or item["name"]),
            server=str(item.get("server") or "uvicorn"), prepare=bool(item.get("prepare", False)),
            serve=tuple(str(a) for a in item.get("serve") or (item["app"], "--host", "{host}", "--port", "{port}")),
        )
        for item in data["services"]
    )
    tests = data.get("tests")
    description = SystemDescription(
        root=root,
        system=str(data["system"]),
        source=Path(data["source"]) if data.get("source") else None,
        tests=MonolithSuite(Path(tests["path"]), str(tests["base_url_variable"])) if tests else None,
        event_bus=str(data.get("event_bus") or "nats"),
        shared=data.get("shared"),
        services=services,
        plan=ServicePlan.from_dict(data["plan"]),
        own_suite=find_own_suite(import_root(Path(data["source"]))) if data.get("source") else None,
    )
    _check_paths(description)
    return description


def _check_paths(description: SystemDescription) -> None:
    if not description.services:
        raise MigratorError(f"{description.root / 'system.json'} lists no service to run", hint=_REGENERATE)
    for service in description.services:
        if not description.service_dir(service).is_dir():
            raise MigratorError(f"the folder of service {service.name} is missing: {description.service_dir(service)}", hint=_REGENERATE)
        if service.openapi and not (description.root / service.openapi).is_file():
            raise MigratorError(f"the OpenAPI document of service {service.name} is missing: {description.root / service.openapi}", hint=_REGENERATE)
    if description.tests is not None and not description.tests.path.exists():
        raise MigratorError(
            f"the monolith's test suite is not at {description.tests.path} any more",
            hint="put the source back where it was generated from, or generate the system again from where it is now",
        )
