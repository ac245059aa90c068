"""The README of the generated system: what is there, on which port, behind which gateway path."""

from __future__ import annotations

from migrator.markdown import code, markdown_text
from migrator.model.deployment import Topology
from migrator.model.hosting import DJANGO
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
    lines += _databases(plan, topology)
    return {"README.md": "\n".join(lines)}


def _databases(plan: ServicePlan, topology: Topology) -> list[str]:
    """Where each service keeps its data, and in a shared database what the split still needs."""
    lines = ["## Databases", ""]
    owned = [(topology.key_of(s.name), s.tables, s.replicas) for s in plan.services]
    if plan.database != "shared":
        lines += ["Each service has a database of its own (`DATABASE_URL`), its schema made by the monolith's own tooling",
                  "(`python -m <package>.prepare`); the tables another service reads come to it as a read model fed by",
                  "their owner's row changes.", ""]
        if plan.hosting.framework == DJANGO:
            lines += ["Django's sessions are kept in a signed cookie (`SESSION_ENGINE` is",
                      "`django.contrib.sessions.backends.signed_cookies` where the project kept them in its database, `db` or",
                      "`cached_db`): a login made through one service is every service's, where a `django_session` row would be",
                      "in one service's database only. The services sign it with the `SECRET_KEY` they share. Its limits: a",
                      "cookie holds 4 kB at most, and a session cannot be ended on the server before it expires (logging out",
                      "clears the browser's cookie only; a copied cookie stays valid until `SESSION_COOKIE_AGE`).", ""]
        return lines
    lines += ["Every service keeps the monolith's database (`--database shared`): the first step of the strangler fig.",
              "What the split still needs before each service owns its data:", ""]
    for key, tables, replicas in owned:
        if tables or replicas:
            parts = [f"owns {', '.join(code(t) for t in tables)}" if tables else "",
                     f"reads {', '.join(code(t) for t in replicas)} of other services: a read model to build" if replicas else ""]
            lines.append(f"- {key}: " + "; ".join(p for p in parts if p))
    lines += ["", "Then generate again with `--database per-service`: each service gets its own database.", ""]
    return lines
