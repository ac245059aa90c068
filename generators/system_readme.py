"""The README of the generated system: what is there, on which port, behind which gateway path."""

from __future__ import annotations

from migrator.model.service_plan import ServicePlan


def render_readme(plan: ServicePlan) -> dict[str, str]:
    lines = [
        f"# {plan.system}: the generated system",
        "",
        "Written by `migrator generate`. Regenerating keeps your edits: a file you changed is never",
        "replaced without `--force` (`.migrator/manifest.json` records what migrator wrote).",
        "",
        "| service | port | public routes | internal endpoints | sends | receives |",
        "|---|---|---|---|---|---|",
    ]
    for service in plan.services:
        lines.append(
            f"| {service.name} | {service.port} | {len(service.routes)} | {len(service.internal)} | "
            f"{', '.join(service.publishes) or '-'} | {', '.join(service.subscribes) or '-'} |"
        )
    lines += ["", "## Gateway", "", "`gateway/nginx.conf`: each prefix goes to its service; every other path still goes to the",
              "monolith (strangler fig). Run it with `nginx -p gateway -c nginx.conf -g 'daemon off;'`.", ""]
    lines += [f"- `{route.prefix}` -> {route.service}" for route in plan.gateway]
    lines += ["", "## Contracts", "", "`contracts/<service>.openapi.json` (OpenAPI 3.1) and `contracts/<service>.asyncapi.yaml`",
              f"(AsyncAPI 3.0, on {plan.event_bus}) describe what each service serves and which events it sends and receives.", ""]
    if plan.shared_modules:
        lines += ["## Shared library", "", ", ".join(f"`{m}`" for m in plan.shared_modules), ""]
    return {"README.md": "\n".join(lines)}
