"""The README of the generated system: what is there, on which port, behind which gateway path."""

from __future__ import annotations

from migrator.markdown import code, markdown_text
from migrator.model.deployment import Topology
from migrator.model.service_plan import ServicePlan


def _service_cell(key: str, name: str) -> str:
    return key if key == name else f"{key} ({markdown_text(name)})"


def render_readme(plan: ServicePlan) -> dict[str, str]:
    topology = Topology(plan)
    lines = [
        f"# {markdown_text(plan.system)}: the generated system",
        "",
        "Written by `migrator generate`. Regenerating keeps your edits: it writes every file you did not",
        "change, keeps and names each one you changed (`--force` replaces them), and leaves the files of a",
        "service that no longer exists unless `--prune`, which removes those you did not change",
        "(`.migrator/manifest.json` records what migrator wrote; `--dry-run` tells what would happen).",
        "",
        "| service | port | public routes | internal endpoints | sends | receives |",
        "|---|---|---|---|---|---|",
    ]
    for service in plan.services:
        key = topology.key_of(service.name)
        lines.append(
            f"| {_service_cell(key, service.name)} | {service.port} | {len(service.routes)} | {len(service.internal)} | "
            f"{markdown_text(', '.join(service.publishes)) or '-'} | {markdown_text(', '.join(service.subscribes)) or '-'} |"
        )
    lines += ["", "## Gateway", "", "`gateway/nginx.conf`: each prefix (with what is under it) and each route goes to its service,",
              "matched as its framework matches it, most specific first; every other path still goes to the",
              "monolith (strangler fig). Run it with `nginx -p gateway -c nginx.conf -g 'daemon off;'`.", ""]
    lines += [f"- {code(path.route.prefix)}{'' if path.pattern.whole else ' and below'} -> {path.workload.key}" for path in topology.gateway]
    if plan.held_routes:
        lines += ["", "These routes stay with the monolith at the gateway:", ""]
        lines += [f"- {code(held.route)} of {markdown_text(held.service)}: {markdown_text(held.reason)}" for held in plan.held_routes]
    lines += ["", "## Contracts", "", "`contracts/<service>.openapi.json` (OpenAPI 3.1) and `contracts/<service>.asyncapi.yaml`",
              f"(AsyncAPI 3.0, on {plan.event_bus}) describe what each service serves and which events it sends and receives.", ""]
    if plan.shared_modules:
        lines += ["## Shared library", "", ", ".join(code(m) for m in plan.shared_modules), ""]
    return {"README.md": "\n".join(lines)}
