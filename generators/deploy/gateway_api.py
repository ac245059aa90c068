"""The gateway in a cluster, as Gateway API resources: one Gateway and HTTPRoutes that send each
owned prefix to its service and everything else to the monolith. Each rule names both the service
and the monolith with weights, so a cut-over (or a rollback) is one number (strangler fig)."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any
from urllib.parse import quote

from .kubernetes import gateway_name, meta, system_labels
from migrator.model.deployment import Topology, Workload

MAX_RULES = 16
"""Gateway API's limit of rules per HTTPRoute (and of matches per rule: 64)."""
MAX_MATCHES = 64
_TEMPLATE = re.compile(r"\{[^/{}]*\}|<[^/<>]*>")
_SAFE = "/-._~!$&'()*+,;=:@"


def path_match(path: str) -> dict[str, str]:
    """A Gateway API path match for a route prefix: PathPrefix, or a regular expression when the
    prefix holds a path parameter (``/api/items/{item_id}``)."""
    path = "/" + path.strip("/") if path.strip("/") else "/"
    if _TEMPLATE.search(path):
        parts = _TEMPLATE.split(path)
        pattern = "[^/]+".join(re.escape(_encode(part)) for part in parts)
        return {"type": "RegularExpression", "value": f"^{pattern}(/.*)?$"}
    return {"type": "PathPrefix", "value": _encode(path)}


def _encode(path: str) -> str:
    # what Gateway API accepts in a path value; the rest travels percent-encoded on the wire anyway
    return quote(path, safe=_SAFE)


def weight(topology: Topology, workload: Workload) -> int:
    return max(0, min(100, int(topology.options.cutover.get(workload.name, 100))))


def gateway(topology: Topology) -> dict[str, Any]:
    return {
        "apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
        "metadata": meta(topology, gateway_name(topology), system_labels(topology, "gateway")),
        "spec": {"gatewayClassName": topology.options.gateway_class,
                 "listeners": [{"name": "http", "protocol": "HTTP", "port": 80, "allowedRoutes": {"namespaces": {"from": "Same"}}}]},
    }


def http_routes(topology: Topology) -> list[dict[str, Any]]:
    prefixes: dict[str, list[str]] = defaultdict(list)
    for route in topology.plan.gateway:
        if route.service in topology.keys:
            prefixes[route.service].append(route.prefix)
    monolith = topology.monolith
    rules = []
    for workload in topology.workloads:
        if workload is monolith or not prefixes[workload.name]:
            continue
        refs = [{"name": workload.key, "port": workload.port, "weight": weight(topology, workload)}]
        if monolith is not None:
            refs.append({"name": monolith.key, "port": monolith.port, "weight": 100 - refs[0]["weight"]})
        matches = [{"path": path_match(p)} for p in sorted(set(prefixes[workload.name]))]
        for start in range(0, len(matches), MAX_MATCHES):
            rules.append({"matches": matches[start : start + MAX_MATCHES], "backendRefs": refs})
    if monolith is not None:
        rules.append({"matches": [{"path": {"type": "PathPrefix", "value": "/"}}], "backendRefs": [{"name": monolith.key, "port": monolith.port}]})
    routes = []
    for index, start in enumerate(range(0, len(rules), MAX_RULES)):
        name = topology.system if index == 0 else f"{topology.system}-{index + 1}"
        routes.append({
            "apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
            "metadata": meta(topology, name, system_labels(topology, "gateway")),
            "spec": {"parentRefs": [{"name": gateway_name(topology)}], "rules": rules[start : start + MAX_RULES]},
        })
    return routes
