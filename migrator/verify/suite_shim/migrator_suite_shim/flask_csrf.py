"""Flask-WTF's CSRF check where the test's configuration turns it off (``WTF_CSRF_ENABLED = False``,
as a testing configuration does) and the services' keeps it on: the request carries a token, as a
browser's form would, made as Flask-WTF makes it (a raw token in the session cookie, its signed
form in the ``X-CSRFToken`` header and in a form body's ``csrf_token`` field, which a ``FlaskForm``
reads: added to a urlencoded body, as a first part of a multipart one (a file upload), as the one
field of a bare POST), with the application's own secret key and session interface."""

from __future__ import annotations

import io
import sys
from http.cookies import SimpleCookie
from urllib.parse import urlencode
from typing import Any

_UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def with_token(app: Any, environ: dict[str, Any]) -> dict[str, Any]:
    """``environ`` with a CSRF token in its session cookie and header, when ``app`` (the test's
    Flask application) has Flask-WTF's CSRF protection turned off; else unchanged."""
    if environ.get("REQUEST_METHOD") not in _UNSAFE or "flask_wtf" not in sys.modules or app.config.get("WTF_CSRF_ENABLED", True):
        return environ
    from flask import g, session
    from flask_wtf.csrf import generate_csrf

    field_name = app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    with app.test_request_context(environ_base={"HTTP_COOKIE": environ.get("HTTP_COOKIE", "")}):
        # Flask-WTF keeps the token it made in ``g``, which an application context the test keeps
        # pushed (pytest-flask's, a setUp's) shares between requests with different sessions; a
        # context of our own instead would tear down the test's (Flask-SQLAlchemy's session removed)
        g.pop(field_name, None)
        token = generate_csrf()
        value = app.session_interface.get_signing_serializer(app).dumps(dict(session))
    name = app.config.get("SESSION_COOKIE_NAME") or getattr(app, "session_cookie_name", "session")
    jar: SimpleCookie = SimpleCookie(environ.get("HTTP_COOKIE", ""))
    jar[name] = value
    environ["HTTP_COOKIE"] = "; ".join(f"{key}={morsel.value}" for key, morsel in jar.items())
    environ.setdefault("HTTP_X_CSRFTOKEN", token)
    kind = str(environ.get("CONTENT_TYPE", ""))
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length and environ.get("wsgi.input") is not None else b""
    if not kind and not body:  # a bare POST (a delete button's form): the token is its one field
        kind = environ["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
    if kind.startswith("application/x-www-form-urlencoded"):
        field = urlencode({field_name: token}).encode()
        body = body + b"&" + field if body else field
    elif kind.startswith("multipart/form-data") and "boundary=" in kind:  # a form with a file: the token a part of its own, first
        boundary = kind.split("boundary=", 1)[1].split(";", 1)[0].strip().strip('"')
        body = (f'--{boundary}\r\nContent-Disposition: form-data; name="{field_name}"\r\n\r\n{token}\r\n').encode() + body
    environ.update({"wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body))})
    return environ
