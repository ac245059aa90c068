"""Django's test client (and DRF's ``APIClient``, whose handler derives from it) sent over HTTP:
the handler's call is replaced by the request its WSGI environ describes, and the gateway's answer
becomes the ``HttpResponse`` the client goes on with (its cookies kept, redirects followed by the
client, ``json()``). What only a handler in the test's process has (the template context, the
templates rendered) is noted when the test reads it.

The test client skips CSRF checks unless asked (``enforce_csrf_checks``); a service checks them. As a
browser would, the request then carries the CSRF cookie it holds, or a fresh one, and the same
token in the CSRF header."""

from __future__ import annotations

import os
import secrets
import sys
import string
from http.cookies import SimpleCookie
from types import ModuleType
from typing import Any

from . import flags, forward

_UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def with_csrf(environ: dict[str, Any], cookie_name: str, header: str) -> dict[str, Any]:
    """``environ`` with a CSRF cookie and the same token in ``header`` (``HTTP_X_CSRFTOKEN``)."""
    jar: SimpleCookie = SimpleCookie(environ.get("HTTP_COOKIE", ""))
    token = jar[cookie_name].value if cookie_name in jar else "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
    if cookie_name not in jar:
        environ["HTTP_COOKIE"] = "; ".join(filter(None, [environ.get("HTTP_COOKIE", ""), f"{cookie_name}={token}"]))
    environ.setdefault(header, token)
    return environ


def response_of(status: int, reason: str, headers: list[tuple[str, str]], body: bytes) -> Any:
    """The gateway's answer as Django's ``HttpResponse``, its ``Set-Cookie`` headers as its cookies."""
    response = _Answer(body, status=status, reason=reason)
    for name, value in headers:
        if name.lower() == "set-cookie":
            response.cookies.load(value)
        elif name.lower() not in ("content-length",):
            response[name] = value
    return response


def _read_by_client() -> bool:
    """Whether the test client itself reads the attribute (it flattens the context it set), not the test."""
    return sys._getframe(2).f_code.co_filename.replace(os.sep, "/").endswith("django/test/client.py")


def _answer_class() -> type:
    from django.http import HttpResponse

    class Answer(HttpResponse):
        """A response whose template context and templates the test can only read in process."""

        @property
        def url(self) -> str:
            """Where a redirect goes, as ``HttpResponseRedirect`` tells it."""
            return self["Location"]

        @property
        def context(self) -> Any:
            if not _read_by_client():
                flags.note("response.context (the template context of a view in process)")
            return self.__dict__.get("_context")

        @context.setter
        def context(self, value: Any) -> None:
            self.__dict__["_context"] = value

        @property
        def templates(self) -> Any:
            if not _read_by_client():
                flags.note("response.templates (the templates a view rendered in process)")
            return self.__dict__.get("_templates", [])

        @templates.setter
        def templates(self, value: Any) -> None:
            self.__dict__["_templates"] = value

    return Answer


_Answer: Any = None


def patch_client(module: ModuleType) -> None:
    global _Answer
    _Answer = _answer_class()
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIRequest

    def __call__(self: Any, environ: dict[str, Any]) -> Any:
        if not getattr(self, "enforce_csrf_checks", True) and environ.get("REQUEST_METHOD") in _UNSAFE:
            header = "HTTP_" + settings.CSRF_HEADER_NAME[5:] if settings.CSRF_HEADER_NAME.startswith("HTTP_") else settings.CSRF_HEADER_NAME
            environ = with_csrf(environ, settings.CSRF_COOKIE_NAME, header)
        if getattr(self, "_force_user", None) is not None:
            flags.note("force_authenticate (a user set in the test's process, never sent)")
        request = WSGIRequest(dict(environ))
        response = response_of(*forward.send(*forward.request_of(environ)))
        response.wsgi_request = request
        return response

    module.ClientHandler.__call__ = __call__
