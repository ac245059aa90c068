"""The gateway in a cluster, as Gateway API resources: one Gateway and HTTPRoutes that send each
route the plan gives a service to it and everything else to the monolith. Each rule names both the
service and the monolith with weights, so a cut-over (or a rollback) is one number (strangler fig).

Paths match as the nginx gateway matches them (both read ``Topology.gateway``): a prefix is a
PathPrefix, a whole route without parameters is Exact (with and without its trailing slash), and
a path with parameters a RegularExpression of the whole path. Gateway API ranks Exact before
PathPrefix, longest first, but leaves the order of regular expressions to the implementation:
matches are listed most specific first, which the common ones (Envoy Gateway, Istio) follow.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from .kubernetes import gateway_name, meta, system_labels
from migrator.model.deployment import Topology, Workload
from migrator.model.route_pattern import RoutePattern

MAX_RULES = 16
"""Gateway API's limit of rules per HTTPRoute (and of matches per rule: 64)."""
MAX_MATCHES = 64
_SAFE = "/-._~!$&'()*+,;=:@"


def path_matches(pattern: RoutePattern) -> list[dict[str, str]]:
    """The Gateway API path matches of a gateway path (``Topology.gateway``)."""
    if pattern.parameters:
        return [{"type": "RegularExpression", "value": pattern.regex(lambda text: re.escape(_encode(text)), under="(/.*)?$")}]
    text = "".join(part.literal for part in pattern.parts).strip("/")
    path = "/" + text if text else "/"
    if not pattern.whole:
        return [{"type": "PathPrefix", "value": _encode(path)}]
    return [{"type": "Exact", "value": _encode(p)} for p in dict.fromkeys((path, path + "/" if path != "/" else path))]


def _encode(path: str) -> str:
    # what Gateway API accepts in a path value; the rest travels percent-encoded on the wire anyway
    return quote(path, safe=_SAFE)


def weight(topology: Topology, workload: Workload) -> int:
    return max(0, min(100, int(topology.options.cutover.get(workload.name, 100))))


def _rules(matches: list[dict[str, str]], refs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = [{"path": match} for match in matches]
    return [{"matches": found[start : start + MAX_MATCHES], "backendRefs": refs} for start in range(0, len(found), MAX_MATCHES)]


def gateway(topology: Topology) -> dict[str, Any]:
    return {
        "apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
        "metadata": meta(topology, gateway_name(topology), system_labels(topology, "gateway")),
        "spec": {"gatewayClassName": topology.options.gateway_class,
                 "listeners": [{"name": "http", "protocol": "HTTP", "port": 80, "allowedRoutes": {"namespaces": {"from": "Same"}}}]},
    }


def http_routes(topology: Topology) -> list[dict[str, Any]]:
    matches: dict[str, list[dict[str, str]]] = {}
    for path in topology.gateway:  # most specific first
        found = matches.setdefault(path.workload.key, [])
        found += [match for match in path_matches(path.pattern) if match not in found]
    monolith = topology.monolith
    rules = []
    for workload in topology.workloads:
        if workload is monolith or workload.key not in matches:
            continue
        refs = [{"name": workload.key, "port": workload.port, "weight": weight(topology, workload)}]
        if monolith is not None:
            refs.append({"name": monolith.key, "port": monolith.port, "weight": 100 - refs[0]["weight"]})
        rules += _rules(matches[workload.key], refs)
    if monolith is not None:
        # the monolith's own routes where a service's pattern would take their paths, then every other path
        rest = [*matches.get(monolith.key, []), {"type": "PathPrefix", "value": "/"}]
        rules += _rules(rest, [{"name": monolith.key, "port": monolith.port}])
    routes = []
    for index, start in enumerate(range(0, len(rules), MAX_RULES)):
        name = topology.system if index == 0 else f"{topology.system}-{index + 1}"
        routes.append({
            "apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
            "metadata": meta(topology, name, system_labels(topology, "gateway")),
            "spec": {"parentRefs": [{"name": gateway_name(topology)}], "rules": rules[start : start + MAX_RULES]},
        })
    return routes
