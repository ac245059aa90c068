"""The generated gateway run by the real nginx in front of echo upstreams (one per service and
the monolith, each answering with its own key and the path it got), and one request per route
pattern of an application: its example path, filled in as each converter takes it.

``python -m tests.e2e.gateway_harness OUT`` does it for what ``migrator migrate SRC -o OUT``
wrote (OUT/graph.json and OUT/system/system.json) and prints how many route patterns reach their
owner through nginx.
"""

from __future__ import annotations

import argparse
import http.client
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

from generators.gateway import render_gateway
from migrator.model.deployment import Topology
from migrator.model.facts import NodeKind
from migrator.model.graph import DependencyGraph
from migrator.model.route_pattern import RoutePattern, parse_route
from migrator.model.serialization import graph_from_dict
from migrator.model.service_plan import MONOLITH, ServicePlan
from migrator.verify.adapters.loopback import free_ports

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def echo(key: str) -> ThreadingHTTPServer:
    """An upstream on loopback that answers every GET with its key, the path it got and the request id."""

    class Echo(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
            body = json.dumps({"upstream": key, "path": self.path, "request_id": self.headers.get("X-Request-ID", "")}).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@dataclass(frozen=True)
class Gateway:
    port: int
    config: str
    check: subprocess.CompletedProcess[str]
    """``nginx -t`` on the file."""

    def get(self, raw: str) -> tuple[int, dict[str, str]]:
        """The status and the echo's answer (empty when another answered) for ``raw``, sent as it is."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        try:
            connection.request("GET", raw)
            response = connection.getresponse()
            body = response.read()
            return response.status, json.loads(body) if response.status == 200 and body.startswith(b"{") else {}
        finally:
            connection.close()

    def upstream(self, path: str) -> str:
        """The key of the upstream that answered ``path`` (sent percent-encoded, as on the wire)."""
        status, answer = self.get(quote(path, safe="/:@!$&'()*+,;=-._~"))
        return answer["upstream"] if answer else f"HTTP {status}"


@contextmanager
def running_gateway(plan: ServicePlan, folder: Path) -> Iterator[Gateway]:
    """nginx with the gateway of ``plan``, every service and the monolith an echo on loopback."""
    keys = {w.key for w in Topology(plan).workloads} | {MONOLITH}
    servers = {key: echo(key) for key in sorted(keys)}
    port = free_ports(1)[0]
    config = render_gateway(plan, addresses={k: f"127.0.0.1:{s.server_address[1]}" for k, s in servers.items()}, listen=port)["gateway/nginx.conf"]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "nginx.conf").write_text(config, encoding="utf-8")
    (folder / "tmp").mkdir(exist_ok=True)
    check = subprocess.run([NGINX, "-t", "-p", str(folder), "-c", "nginx.conf"], capture_output=True, text=True, check=False)
    process = subprocess.Popen([NGINX, "-p", str(folder), "-c", "nginx.conf", "-g", "daemon off;"], stderr=subprocess.DEVNULL) if check.returncode == 0 else None
    try:
        gateway = Gateway(port, config, check)
        deadline = time.monotonic() + 10
        while process is not None and time.monotonic() < deadline:
            try:
                gateway.get("/gateway/healthz")
                break
            except OSError:
                time.sleep(0.1)
        yield gateway
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=10)
        for server in servers.values():
            server.shutdown()


@dataclass(frozen=True)
class RouteCheck:
    route: str
    """``GET /api/v1/posts/<int:id>``."""
    path: str
    """The example sent (empty: the route's path cannot be filled in, it is held)."""
    owner: str
    """The key of the service whose route it is, or ``monolith``."""
    expected: str
    """Where the gateway should send it: the owner, or the monolith for a held route."""
    got: str = ""

    @property
    def ok(self) -> bool:
        return self.got == self.expected


def route_checks(graph: DependencyGraph, plan: ServicePlan) -> list[RouteCheck]:
    """One check per route pattern of ``graph``: its owner in ``plan`` (a service whose spec lists
    it, else the monolith) and the example path that should reach it."""
    topology = Topology(plan)
    owner = {f"{e.method} {e.path}": topology.key_of(s.name) for s in plan.services if s.kind != MONOLITH for e in s.routes}
    held = {h.route for h in plan.held_routes}
    checks: dict[str, RouteCheck] = {}
    for node in sorted(graph.nodes(NodeKind.ROUTE), key=lambda n: n.id):
        route = node.id.removeprefix("route:")
        path = route.partition(" ")[2]
        pattern = parse_route(path, framework=str(node.attrs.get("framework") or ""))
        mounted = node.attrs.get("mounted", True)  # else its path is not where the app serves it
        example = pattern.example if isinstance(pattern, RoutePattern) and mounted else ""
        key = owner.get(route, MONOLITH)
        checks.setdefault(f"{key} {example or route}", RouteCheck(route, example, key, MONOLITH if route in held else key))
    return list(checks.values())


def send(gateway: Gateway, checks: Iterable[RouteCheck]) -> list[RouteCheck]:
    return [RouteCheck(c.route, c.path, c.owner, c.expected, gateway.upstream(c.path) if c.path else MONOLITH) for c in checks]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.e2e.gateway_harness", description=__doc__)
    parser.add_argument("out", type=Path, help="the -o folder of migrator migrate")
    args = parser.parse_args(argv)
    graph = graph_from_dict(json.loads((args.out / "graph.json").read_text()))
    plan = ServicePlan.from_dict(json.loads((args.out / "system" / "system.json").read_text())["plan"])
    with tempfile.TemporaryDirectory() as folder, running_gateway(plan, Path(folder)) as gateway:
        if gateway.check.returncode != 0:
            print(gateway.check.stderr)
            return 1
        results = send(gateway, route_checks(graph, plan))
    sent = [c for c in results if c.path]
    for check in sent:
        if not check.ok:
            print(f"  {check.route}: {check.path} reached {check.got}, not {check.expected}")
    owned = [c for c in sent if c.owner != MONOLITH]
    print(f"{sum(c.ok for c in sent)}/{len(sent)} route patterns reach their owner through nginx ({sum(c.ok for c in owned)}/{len(owned)} "
          f"of services; {len(plan.held_routes)} held with the monolith, {len(results) - len(sent)} of them not sent: no path to fill in); "
          "nginx -t passes")
    return 0 if all(c.ok for c in sent) else 1


if __name__ == "__main__":
    sys.exit(main())
