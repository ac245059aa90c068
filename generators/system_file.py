"""``system.json``: what ``migrator verify`` runs (format in docs/generated-system.md). Every
service's folder, package, application, port and variables come from the deployment view, as they
do in every other artifact."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from typing import Any

from migrator.model.deployment import GATEWAY_PORT, Topology
from migrator.model.service_plan import ServicePlan

SCHEMA = "migrator.system/1"
SHARED_FOLDER = "shared"
GATEWAY_CONFIG = "gateway/nginx.conf"


def render_system_file(
    plan: ServicePlan, *, source: str, tests: Mapping[str, str] | None, written: Collection[str]
) -> dict[str, str]:
    """``{system.json: text}``. ``source`` is the monolith's folder, ``tests`` its HTTP suite
    (``path``, ``base_url_variable``) if it has one, ``written`` the other files of the system (a
    service's contract is named only when it was written)."""
    topology = Topology(plan)
    document: dict[str, Any] = {
        "schema": SCHEMA,
        "system": plan.system,
        "source": source,
        "tests": dict(tests) if tests else None,
        "event_bus": plan.event_bus,
        "shared": SHARED_FOLDER,
        "gateway": {"config": GATEWAY_CONFIG, "port": GATEWAY_PORT},
        "services": [
            {
                "name": workload.key, "title": workload.name, "package": workload.package, "dir": workload.folder, "app": workload.app,
                "server": workload.server, "serve": workload.serve("{host}", "{port}"), "prepare": True,
                "port": workload.port, "env": dict(workload.env), "kind": workload.spec.kind,
                "openapi": workload.openapi_contract if workload.openapi_contract in written else None,
                "calls": list(workload.calls),
            }
            for workload in (topology.workload(spec.name) for spec in plan.services)
        ],
        "plan": plan.to_dict(),
    }
    return {"system.json": json.dumps(document, indent=2, sort_keys=True) + "\n"}
