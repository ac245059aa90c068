"""The recording proxy with a real HTTP server behind it: answers passed through as they are
(redirects not followed, cookies kept), every exchange recorded, the run's addresses read alike."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler

import httpx

from migrator.verify.adapters.recording_proxy import recording_proxy
from tests.unit.verify.adapters.http_stub import running


@contextmanager
def _application() -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
            if self.path == "/go":
                self._answer(302, b"", [("Location", f"http://{self.headers['Host']}/there")])
            else:
                self._answer(200, f'<a href="http://{self.headers["Host"]}/x">{self.headers.get("Cookie", "")}</a>'.encode(),
                             [("Content-Type", "text/html"), ("Set-Cookie", "session=s1; Path=/")])

        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers["Content-Length"]))
            self._answer(201, json.dumps({"got": json.loads(body)}).encode(), [("Content-Type", "application/json")])

        def _answer(self, status: int, body: bytes, headers: list[tuple[str, str]]) -> None:
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    with running(Handler) as port:
        yield f"http://127.0.0.1:{port}"


def test_answers_pass_through_and_every_exchange_is_recorded() -> None:
    with _application() as target, recording_proxy(target) as (base_url, recording), httpx.Client(base_url=base_url) as client:
        page = client.get("/page")
        again = client.get("/page")
        created = client.post("/items?x=1", json={"name": "a"})
        redirect = client.get("/go")
    assert page.status_code == 200 and again.text.endswith(">session=s1</a>")  # the cookie came back through the proxy
    assert (created.status_code, created.json()) == (201, {"got": {"name": "a"}})
    assert (redirect.status_code, redirect.headers["location"]) == (302, f"{base_url}/there")  # the Host the suite sent
    first, _, post, go = recording.exchanges
    assert (first.method, first.path, first.status, first.content_type, first.body) == ("GET", "/page", 200, "text/html", '<a href="http://{host}/x"></a>')
    assert (post.path, post.request_type, json.loads(post.request_body), post.body) == ("/items?x=1", "application/json", {"name": "a"}, '{"got": {"name": "a"}}')
    assert (go.status, go.location) == (302, "http://{host}/there")


def test_a_target_that_does_not_answer_gives_a_502_that_is_recorded() -> None:
    with _application() as target:
        pass  # closed: nothing listens there any more
    with recording_proxy(target) as (base_url, recording):
        answer = httpx.get(base_url + "/x")
    assert answer.status_code == 502
    assert [(e.path, e.status) for e in recording.exchanges] == [("/x", 502)]
