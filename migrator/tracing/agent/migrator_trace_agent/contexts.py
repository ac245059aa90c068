"""The use cases calls are counted in: each test (unittest's ``TestResult``, which Django's runner
uses too; pytest through ``pytest_plugin``) and each HTTP request, by the route that served it
(Flask's URL rule, Django's resolved route, Starlette's and FastAPI's route path), with its method."""

from __future__ import annotations

import functools
import unittest
from types import ModuleType
from typing import Any

from migrator_suite_shim.hooks import when_imported

from .recorder import Recorder

STATE: Any = None


def install(state: Recorder) -> None:
    global STATE
    STATE = state
    _hook_unittest(state)
    when_imported("flask.app", _hook_flask)
    when_imported("django.core.handlers.base", _hook_django)
    when_imported("starlette.routing", _hook_starlette)
    when_imported("fastapi.routing", _hook_fastapi)


def _hook_unittest(state: Recorder) -> None:
    base = unittest.TestResult
    start, stop = base.startTest, base.stopTest

    def start_test(self: Any, test: Any) -> None:
        state.start_test(test.id())
        start(self, test)

    def stop_test(self: Any, test: Any) -> None:
        stop(self, test)
        state.end_test()

    base.startTest = start_test  # type: ignore[method-assign]
    base.stopTest = stop_test  # type: ignore[method-assign]


def _hook_flask(module: ModuleType) -> None:
    flask = module.Flask
    original = flask.full_dispatch_request

    @functools.wraps(original)
    def full_dispatch_request(self: Any) -> Any:
        from flask import request

        rule = getattr(request, "url_rule", None)
        previous = STATE.start_request(f"{request.method} {rule.rule}" if rule is not None else f"{request.method} (no route)")
        try:
            return original(self)
        finally:
            STATE.end_request(previous)

    flask.full_dispatch_request = full_dispatch_request


def _hook_django(module: ModuleType) -> None:
    handler = module.BaseHandler
    get_response = handler.get_response

    @functools.wraps(get_response)
    def serve(self: Any, request: Any) -> Any:
        previous = STATE.route
        try:
            return get_response(self, request)
        finally:
            STATE.end_request(previous)

    handler.get_response = serve
    resolve = getattr(handler, "resolve_request", None)
    if resolve is None:  # Django before 3.1: the route is known once the view runs
        return

    @functools.wraps(resolve)
    def resolve_request(self: Any, request: Any) -> Any:
        match = resolve(self, request)
        route = getattr(match, "route", None) or getattr(match, "view_name", None) or request.path
        STATE.start_request(f"{request.method} /{str(route).lstrip('^').rstrip('$').lstrip('/')}")
        return match

    handler.resolve_request = resolve_request


def _hook_starlette(module: ModuleType) -> None:
    _hook_route(module.Route)


def _hook_fastapi(module: ModuleType) -> None:
    _hook_route(module.APIRoute)


def _hook_route(route_class: Any) -> None:
    """A route's ``handle``, the request's use case while it runs (FastAPI's overrides Starlette's
    and may call it: the same route is counted once)."""
    handle = route_class.__dict__.get("handle")
    if handle is None:
        return

    @functools.wraps(handle)
    async def handle_route(self: Any, scope: Any, receive: Any, send: Any) -> Any:
        route = f"{scope.get('method', 'GET')} {scope.get('root_path', '')}{getattr(self, 'path', '')}"
        if STATE.route == route:
            return await handle(self, scope, receive, send)
        previous = STATE.start_request(route)
        try:
            return await handle(self, scope, receive, send)
        finally:
            STATE.end_request(previous)

    route_class.handle = handle_route
