"""Per-service OpenAPI 3.1 documents, cut from the monolith's own document.

For a FastAPI monolith the monolith's OpenAPI document is the best source of truth for the
shapes of requests and responses: each service's contract keeps the paths and methods it owns
(from the ServicePlan) and exactly the component schemas those reach.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

from generators.deploy.text import to_sorted_json
from migrator.model.deployment import LIVE_PATH, METRICS_PATH, READY_PATH, Topology
from migrator.model.service_plan import ServicePlan, ServiceSpec

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def render_openapi(plan: ServicePlan, monolith: Mapping[str, Any] | None) -> dict[str, str]:
    """``{contracts/<service>.openapi.json: text}`` for every service. Without the monolith's own
    document (Django, Flask) the paths come from the routes the analyzers found, without schemas."""
    files = {}
    topology = Topology(plan)
    for spec in plan.services:
        service = replace(spec, routes=plan.served_routes(spec))  # a route whose full path is unknown is documented nowhere
        document = service_document(service, monolith) if monolith is not None else route_document(service)
        if document["paths"]:  # every service serves health and metrics at least
            files[topology.workload(service.name).openapi_contract] = to_sorted_json(document)
    return files


def service_document(service: ServiceSpec, monolith: Mapping[str, Any]) -> dict[str, Any]:
    # FastAPI writes paths as the routes analyzer does (``/api/orders/{order_id}``)
    owned = {(route.method.lower(), route.path) for route in service.routes}
    paths: dict[str, Any] = {}
    for path, operations in sorted((monolith.get("paths") or {}).items()):
        kept = {m: copy.deepcopy(op) for m, op in operations.items() if m in METHODS and (m, path) in owned}
        if kept:
            shared = {k: copy.deepcopy(v) for k, v in operations.items() if k not in METHODS}
            paths[path] = {**shared, **kept}
    schemas = (monolith.get("components") or {}).get("schemas") or {}
    needed = _reachable_schemas(paths, schemas)
    document: dict[str, Any] = {
        "openapi": monolith.get("openapi", "3.1.0"),
        "info": {"title": f"{service.name} service", "version": str((monolith.get("info") or {}).get("version", "0.1.0")),
                 "description": f"The public API of the {service.name} service, cut from the monolith's own document."},
        "paths": paths,
    }
    if needed:
        document["components"] = {"schemas": {name: copy.deepcopy(schemas[name]) for name in sorted(needed)}}
    paths.update(_platform_paths(service))
    return document


_DJANGO_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")
_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")
_FLASK_OR_FASTAPI = re.compile(r"\{(\w+)(?::[^}]*)?\}")


def openapi_path(path: str) -> str:
    """A route's path as an OpenAPI path template: ``(?P<pk>[^/]+)``, ``<int:pk>`` and ``{pk:path}``
    become ``{pk}``; what is left of a regular expression becomes a parameter of its own."""
    text = path.strip().lstrip("^").rstrip("$")
    text = _DJANGO_GROUP.sub(lambda m: "{" + m.group(1) + "}", text)
    text = _CONVERTER.sub(lambda m: "{" + m.group(1) + "}", text)
    text = _FLASK_OR_FASTAPI.sub(lambda m: "{" + m.group(1) + "}", text)
    segments = []
    for index, segment in enumerate(text.split("/")):
        if re.search(r"[()\[\]*+?|\\^$]", segment):
            segment = "{part%d}" % index
        segments.append(segment)
    result = "/".join(segments)
    return result if result.startswith("/") else "/" + result


def route_document(service: ServiceSpec) -> dict[str, Any]:
    """The service's public routes as the analyzers found them (paths and methods, no schemas)."""
    paths: dict[str, Any] = {}
    for endpoint in sorted(service.routes, key=lambda e: (e.path, e.method)):
        path = openapi_path(endpoint.path)
        methods = [endpoint.method.lower()] if endpoint.method.lower() in METHODS else ["get", "post"]
        for method in methods:
            operations = paths.setdefault(path, {})
            if method in operations:
                continue
            parameters = [{"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                          for name in dict.fromkeys(re.findall(r"\{(\w+)\}", path))]
            operations[method] = {
                "summary": f"Served by {endpoint.handler}" if endpoint.handler else "Served by the monolith's handler",
                "operationId": re.sub(r"\W+", "_", f"{method}_{path}").strip("_"),
                **({"parameters": parameters} if parameters else {}),
                "responses": {"default": {"description": "as the monolith answers"}},
            }
    paths.update(_platform_paths(service))
    return {
        "openapi": "3.1.0",
        "info": {"title": f"{service.name} service", "version": "0.1.0",
                 "description": f"The public routes of the {service.name} service as migrator found them in the code (no schemas: "
                                "the monolith publishes no OpenAPI document)."},
        "paths": paths,
    }


def system_document(monolith: Mapping[str, Any]) -> dict[str, Any]:
    """The whole public API, as the gateway serves it at ``/openapi.json``: the monolith's own."""
    return copy.deepcopy(dict(monolith))


_CALL_SCHEMA = {
    "type": "object",
    "properties": {"args": {"type": "object", "description": "the function's arguments by parameter name, encoded by the runtime's codec"}},
}


def _platform_paths(service: ServiceSpec) -> dict[str, Any]:
    """Health, metrics and the internal endpoints every generated service serves."""
    json_object = {"content": {"application/json": {"schema": {"type": "object"}}}}
    paths: dict[str, Any] = {
        LIVE_PATH: {"get": {"tags": ["health"], "summary": "The process runs", "operationId": "health_live",
                            "responses": {"200": {"description": "alive", **json_object}}}},
        READY_PATH: {"get": {"tags": ["health"], "summary": "Its database and broker answer", "operationId": "health_ready",
                             "responses": {"200": {"description": "ready", **json_object}, "503": {"description": "a dependency does not answer", **json_object}}}},
        METRICS_PATH: {"get": {"tags": ["health"], "summary": "Prometheus metrics", "operationId": "metrics",
                               "responses": {"200": {"description": "Prometheus text format", "content": {"text/plain": {"schema": {"type": "string"}}}}}}},
    }
    for endpoint in service.internal:
        paths[endpoint.path] = {"post": {
            "tags": ["internal"], "summary": f"Call {endpoint.function} (for {', '.join(endpoint.callers)})",
            "operationId": "internal_" + endpoint.function.replace(".", "_"),
            "requestBody": {"required": True, "content": {"application/json": {"schema": _CALL_SCHEMA}}},
            "responses": {"200": {"description": "the result", **json_object},
                          "422": {"description": "the function raised: the error, for the caller to raise again", **json_object}},
        }}
    return paths


def _reachable_schemas(root: Any, schemas: Mapping[str, Any]) -> set[str]:
    found: set[str] = set()
    pending = list(_refs(root))
    while pending:
        name = pending.pop()
        if name in found or name not in schemas:
            continue
        found.add(name)
        pending.extend(_refs(schemas[name]))
    return found


def _refs(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        ref = value.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            yield ref.rsplit("/", 1)[-1]
        for item in value.values():
            yield from _refs(item)
    elif isinstance(value, list):
        for item in value:
            yield from _refs(item)
