"""The shim under a monolith's own suite: in-process clients sent over HTTP to the gateway (here a
local server echoing what it got), the answer read by the test as before: werkzeug's client (what
Flask's ``test_client`` is), httpx's WSGI and ASGI transports, Starlette's TestClient. Each runs in
a process of its own with the shim loaded by ``sitecustomize``, as the suite's process is."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from migrator.verify.adapters.own_suite_run import SHIM


class _Echo(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self._answer()

    def do_POST(self) -> None:  # noqa: N802
        self._answer()

    def _answer(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path == "/login":
            self.send_response(302)
            self.send_header("Location", f"http://{self.headers['Host']}/home")
            self.send_header("Set-Cookie", "session=abc; Path=/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        echo = json.dumps({"method": self.command, "path": self.path, "host": self.headers["Host"], "cookie": self.headers.get("Cookie"),
                           "type": self.headers.get("Content-Type"), "body": body.decode()}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Served-By", "monolith")
        self.send_header("Content-Length", str(len(echo)))
        self.end_headers()
        self.wfile.write(echo)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def gateway() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _run(script: str, gateway: str, tmp_path: Path) -> tuple[dict[str, object], list[dict[str, object]]]:
    results = tmp_path / "results.jsonl"
    results.write_text("")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SHIM), *sys.path]), "MIGRATOR_SUITE_RESULTS": str(results),
           "MIGRATOR_SUITE_GATEWAY": gateway, "MIGRATOR_SUITE_SOURCE": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1]), [json.loads(line) for line in results.read_text().splitlines()]


WERKZEUG = """
import json
from werkzeug.test import Client
from werkzeug.wrappers import Response
never = lambda environ, start_response: (_ for _ in ()).throw(AssertionError("the application ran in process"))
client = Client(never, Response)
followed = client.post("/login", data={"email": "a@b.c"}, follow_redirects=True)
posted = client.post("/api/items?x=1", json={"name": "n\\u00e9"}, headers={"Host": "localhost"})
print(json.dumps({"followed": followed.get_json(), "history": [r.status_code for r in followed.history], "posted": posted.get_json(),
                  "served": posted.headers["X-Served-By"]}))
"""


def test_werkzeug_client_goes_to_the_gateway_keeping_cookies_redirects_and_json(gateway: str, tmp_path: Path) -> None:
    got, _ = _run(WERKZEUG, gateway, tmp_path)
    assert got["history"] == [302]
    assert got["followed"] == {"method": "GET", "path": "/home", "host": "localhost", "cookie": "session=abc", "type": None, "body": ""}
    assert got["posted"] == {"method": "POST", "path": "/api/items?x=1", "host": "localhost", "cookie": "session=abc",
                             "type": "application/json", "body": '{"name": "n\\u00e9"}'}
    assert got["served"] == "monolith"


HTTPX = """
import asyncio, json, httpx
from starlette.testclient import TestClient
never = lambda *args: (_ for _ in ()).throw(AssertionError("the application ran in process"))
with httpx.Client(transport=httpx.WSGITransport(app=never), base_url="http://testserver") as client:
    wsgi = client.post("/form", data={"a": "1"}).json()
async def asgi():
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=never), base_url="http://testserver") as client:
        return (await client.get("/items/1")).json()
test_client = TestClient(never)
starlette = test_client.get("/login", follow_redirects=True)
print(json.dumps({"wsgi": wsgi, "asgi": asyncio.run(asgi()), "starlette": starlette.json(), "cookies": dict(test_client.cookies)}))
"""


def test_httpx_transports_and_starlette_test_client_go_to_the_gateway(gateway: str, tmp_path: Path) -> None:
    got, _ = _run(HTTPX, gateway, tmp_path)
    assert got["wsgi"]["path"] == "/form" and got["wsgi"]["body"] == "a=1" and got["wsgi"]["type"] == "application/x-www-form-urlencoded"
    assert got["asgi"]["path"] == "/items/1" and got["asgi"]["host"] == "testserver"
    assert got["starlette"]["path"] == "/home" and got["starlette"]["cookie"] == "session=abc" and got["cookies"] == {"session": "abc"}


OUTCOMES = """
import json, unittest
from unittest import mock
class T(unittest.TestCase):
    def test_passes(self):
        self.assertEqual(1, 1)
    def test_fails(self):
        self.assertEqual(200, 302)
    def test_patches(self):
        with mock.patch("json.dumps"):
            self.fail("the services run the real one")
unittest.TextTestRunner(stream=open("/dev/null", "w")).run(unittest.defaultTestLoader.loadTestsFromTestCase(T))
print("{}")
"""


def test_each_test_outcome_is_recorded_with_its_first_failing_assertion_and_what_it_patched(gateway: str, tmp_path: Path) -> None:
    _, lines = _run(OUTCOMES, gateway, tmp_path)
    by_id = {line["id"].rsplit(".", 1)[1]: line for line in lines}
    assert by_id["test_passes"]["outcome"] == "passed"
    assert by_id["test_fails"]["outcome"] == "failed" and by_id["test_fails"]["failure"] == "AssertionError: 200 != 302"
    assert by_id["test_patches"]["in_process"] == ["mock.patch of json.dumps (the services run the real one)"]
