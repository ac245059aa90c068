"""The two gateways agree: nginx's locations and the Gateway API's path matches, both read from
the deployment view, send every path to the same place; and nginx's regex is one safe token."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from urllib.parse import quote

import pytest

from generators.deploy.gateway_api import http_routes
from generators.gateway import nginx_path_regex, render_gateway
from migrator.model.deployment import Topology
from migrator.model.route_pattern import RoutePattern, parse_route
from migrator.model.service_plan import MONOLITH, GatewayRoute, HeldRoute, ServicePlan, ServiceSpec

UUID = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"


def _plan() -> ServicePlan:
    names = ("home", "meetings", "orders", "posts", "users")
    specs = (*(ServiceSpec(n, 8001 + i, (), (), (), (), (), (), ()) for i, n in enumerate(names)),
             ServiceSpec(MONOLITH, 8000, (), (), (), (), (), (), (), kind=MONOLITH))
    gateway = (
        GatewayRoute("/api/orders", "orders"),
        GatewayRoute("/api/v1/posts/<int:id>", "posts", whole=True, framework="flask"),
        GatewayRoute("/api/v1/posts/<int:id>/comments/", "users", whole=True, framework="flask"),
        GatewayRoute("/meetings/rsvp/(?P<key>[a-z0-9]{40})/", "meetings", whole=True, framework="django"),
        GatewayRoute("/invites/<uuid:code>/", "users", whole=True, framework="django"),
        GatewayRoute("/u/<name>", "users", whole=True, framework="flask"),
        GatewayRoute("/u/new", MONOLITH, whole=True, framework="flask"),
        GatewayRoute("/about/", "home", whole=True, framework="django"),
        GatewayRoute("/", "home", whole=True, framework="flask"),
    )
    return ServicePlan("site", specs, (), gateway, ())


PATHS = {
    "/api/orders": "orders", "/api/orders/7/items": "orders", "/api/ordersx": MONOLITH,
    "/api/v1/posts/7": "posts", "/api/v1/posts/7/": "posts", "/api/v1/posts/x": MONOLITH,
    "/api/v1/posts/7/comments/": "users", "/api/v1/posts/7/comments": "users", "/api/v1/posts/7/comments/9": MONOLITH,
    "/meetings/rsvp/" + "a" * 40 + "/": "meetings", "/meetings/rsvp/" + "a" * 39 + "/": MONOLITH,
    f"/invites/{UUID}/": "users", "/invites/7/": MONOLITH,
    "/u/ada": "users", "/u/new": MONOLITH, "/u/ada/photos": MONOLITH,
    "/about": "home", "/about/": "home", "/aboutx": MONOLITH, "/": "home", "/elsewhere": MONOLITH,
}


def _nginx_owner(config: str, path: str) -> str:
    """Where nginx sends ``path``: the first regex location that matches (the file's order), else ``/``."""
    for regex, upstream in re.findall(r'location ~ "?(.+?)"? \{ proxy_pass http://svc_(\w+); \}', config):
        if re.search(regex.encode(), path.encode()):  # nginx matches the decoded path's bytes
            return upstream
    return MONOLITH


def _gateway_api_owner(rules: list[dict], path: str) -> str:
    """Where a Gateway API implementation sends ``path``: Exact, then the longest PathPrefix, then
    the regular expressions in the order listed (what the spec leaves to implementations)."""
    wire = quote(path, safe="/-._~!$&'()*+,;=:@")
    found = [(m["path"], r["backendRefs"][0]["name"]) for r in rules for m in r["matches"]]
    exact = [name for match, name in found if match["type"] == "Exact" and match["value"] == wire]
    prefixes = sorted(((len(m["value"]), name) for m, name in found if m["type"] == "PathPrefix"
                       and (wire == m["value"] or wire.startswith(m["value"].rstrip("/") + "/"))), reverse=True)
    regexes = [name for match, name in found if match["type"] == "RegularExpression" and re.fullmatch(match["value"], wire)]
    longest_prefix = prefixes[0] if prefixes else (0, MONOLITH)
    if exact:
        return exact[0]
    if regexes and longest_prefix[0] <= 1:  # only the catch-all prefix: a pattern of a route is more specific
        return regexes[0]
    return longest_prefix[1]


@pytest.mark.parametrize(("path", "owner"), PATHS.items())
def test_nginx_and_the_gateway_api_send_each_path_to_the_same_service(path: str, owner: str) -> None:
    plan = _plan()
    config = render_gateway(plan)["gateway/nginx.conf"]
    rules = [rule for route in http_routes(Topology(plan)) for rule in route["spec"]["rules"]]
    assert (_nginx_owner(config, path), _gateway_api_owner(rules, path)) == (owner, owner)


def test_the_order_is_the_views_most_specific_first() -> None:
    topology = Topology(_plan())
    config = render_gateway(_plan())["gateway/nginx.conf"]
    upstreams = re.findall(r"location ~ .* \{ proxy_pass http://svc_(\w+); \}", config)
    assert upstreams == [path.workload.key for path in topology.gateway]
    assert [p.route.prefix for p in topology.gateway][:2] == ["/api/v1/posts/<int:id>/comments/", "/meetings/rsvp/(?P<key>[a-z0-9]{40})/"]


def test_a_regex_with_a_repeat_count_is_quoted_and_literal_text_is_bytes() -> None:
    rsvp = parse_route("/meetings/rsvp/(?P<key>[a-z0-9]{40})/", framework="django")
    assert isinstance(rsvp, RoutePattern) and nginx_path_regex(rsvp) == '"^/meetings/rsvp/(?:[a-z0-9]{40})/?$"'
    odd = parse_route('/api/say "hi";{x}', framework="flask", whole=False)
    assert isinstance(odd, RoutePattern) and nginx_path_regex(odd) == r"^/api/say\x20\x22hi\x22\x3b[^/]+(/|$)"


def test_whole_routes_and_held_routes_survive_system_json() -> None:
    plan = replace(_plan(), held_routes=(HeldRoute("GET /{?}/items/", "users", "part of its path could not be read"),))
    assert ServicePlan.from_dict(json.loads(json.dumps(plan.to_dict()))) == plan
