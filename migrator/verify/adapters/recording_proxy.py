"""A recording HTTP proxy on loopback: a black-box suite talks to it as to the application; it
forwards every request to its target as it came (the Host the suite sent, no compression asked
for), answers with the target's answer, redirects not followed, and keeps each exchange."""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from migrator.verify.domain.exchanges import Exchange, without_addresses

TIMEOUT = 60.0
HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade",
              "accept-encoding", "content-length"}
MAX_RECORDED = 1_000_000
"""Characters of a body kept for the comparison."""


class Recording:
    """What the proxy saw, in the order the answers came."""

    def __init__(self, addresses: tuple[str, ...]) -> None:
        self.addresses = addresses
        self.exchanges: list[Exchange] = []
        self._lock = threading.Lock()

    def add(self, method: str, path: str, request: tuple[str, bytes], answer: tuple[int, str, str, bytes]) -> None:
        status, content_type, location, body = answer
        exchange = Exchange(method, path, request[0], _text(request[1]), status, content_type, self._local(location), self._local(_text(body)))
        with self._lock:
            self.exchanges.append(exchange)

    def _local(self, text: str) -> str:
        return without_addresses(text, self.addresses)


@contextmanager
def recording_proxy(target_url: str) -> Iterator[tuple[str, Recording]]:
    """The proxy's URL and its recording while inside."""
    target = urlsplit(target_url)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(target.hostname or "127.0.0.1", target.port or 80))
    address = f"127.0.0.1:{server.server_address[1]}"
    recording = Recording((address, target.netloc))
    server.recording = recording  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://{address}", recording
    finally:
        server.shutdown()
        server.server_close()


def _handler(host: str, port: int) -> type[BaseHTTPRequestHandler]:
    class Forward(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def forward(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {name: value for name, value in self.headers.items() if name.lower() not in HOP_BY_HOP}
            connection = http.client.HTTPConnection(host, port, timeout=TIMEOUT)
            try:
                connection.request(self.command, self.path, body=body or None, headers={**headers, "Accept-Encoding": "identity"})
                response = connection.getresponse()
                answer, reply = response.read(), [(k, v) for k, v in response.getheaders() if k.lower() not in HOP_BY_HOP]
                status, reason = response.status, response.reason
                kind, location = response.getheader("Content-Type", ""), response.getheader("Location", "")
            except OSError as error:
                answer, reply, status, reason = f"no answer from {host}:{port}: {error}".encode(), [("Content-Type", "text/plain")], 502, "Bad Gateway"
                kind, location = "text/plain", ""
            finally:
                connection.close()
            self.server.recording.add(  # type: ignore[attr-defined]
                self.command, self.path, (self.headers.get("Content-Type", ""), body),
                (status, kind, location, answer))
            self.send_response(status, reason)
            for name, value in reply:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(answer)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = forward  # noqa: N815 (the stdlib's names)

        def log_message(self, *args: object) -> None:
            pass

    return Forward


def _text(body: bytes) -> str:
    return body[:MAX_RECORDED].decode("utf-8", errors="replace")
