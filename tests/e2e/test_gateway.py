"""The generated gateway, run by the real nginx: owned prefixes to their service, the rest to
the monolith, a request id passed along."""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from generators.gateway import render_gateway
from migrator.model.service_plan import GatewayRoute, ServicePlan, ServiceSpec
from migrator.verify.adapters.loopback import free_ports

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def _upstream(name: str) -> tuple[ThreadingHTTPServer, int]:
    class Echo(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
            body = f"{name} {self.path} {self.headers.get('X-Request-ID', '')}".encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]


def _plan() -> ServicePlan:
    spec = ServiceSpec("orders", 8001, (), (), (), (), (), (), ())
    return ServicePlan("shop", (spec,), (), (GatewayRoute("/api/orders", "orders"),), ())


@pytest.fixture
def gateway(tmp_path: Path):
    orders, orders_port = _upstream("orders")
    monolith, monolith_port = _upstream("monolith")
    port = free_ports(1)[0]
    files = render_gateway(_plan(), addresses={"orders": f"127.0.0.1:{orders_port}", "monolith": f"127.0.0.1:{monolith_port}"}, listen=port)
    folder = tmp_path / "gateway"
    folder.mkdir()
    (folder / "nginx.conf").write_text(files["gateway/nginx.conf"])
    (folder / "tmp").mkdir()
    check = subprocess.run([NGINX, "-t", "-p", str(folder), "-c", "nginx.conf"], capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen([NGINX, "-p", str(folder), "-c", "nginx.conf", "-g", "daemon off;"], stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/gateway/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)
        orders.shutdown()
        monolith.shutdown()


@pytest.mark.parametrize(
    ("path", "upstream"),
    [("/api/orders", "orders"), ("/api/orders/7?x=1", "orders"), ("/api/ordersx", "monolith"), ("/api/catalog/products", "monolith"), ("/", "monolith")],
)
def test_each_path_reaches_its_owner_and_the_rest_the_monolith(gateway, path, upstream) -> None:
    response = httpx.get(gateway + path, timeout=5)
    name, seen_path, request_id = response.text.split(" ")
    assert (response.status_code, name, seen_path) == (200, upstream, path)
    assert len(request_id) == 32  # nginx's $request_id, for correlation across services
