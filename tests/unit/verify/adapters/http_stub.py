"""A tiny HTTP server on loopback, in a thread, that answers GETs as a test tells it."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Answer = Callable[[str], tuple[int, bytes]]
"""The path asked for -> the status and body to answer with."""


@contextmanager
def serving(answer: Answer) -> Iterator[int]:
    """The port it listens on while inside."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
            status, body = answer(self.path)
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    with running(Handler) as port:
        yield port


@contextmanager
def running(handler: type[BaseHTTPRequestHandler]) -> Iterator[int]:
    """A server of ``handler`` in a thread; the port it listens on while inside."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
