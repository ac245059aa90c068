"""Schemathesis' JSON report read back: operations tested, server errors, other failures."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from migrator.verify.adapters.processes import Supervisor
from migrator.verify.adapters.schemathesis import read_schemathesis_report, run_schemathesis
from tests.unit.verify.adapters.http_stub import running, serving


def test_the_schemathesis_report_gives_operations_tested_and_server_errors(tmp_path: Path) -> None:
    report = tmp_path / "schemathesis.json"
    report.write_text(json.dumps({
        "operations": {"total": 6, "selected": 6, "tested": 5, "errored": 0, "skipped": 1},
        "failures": [
            {"type": "ServerError", "code": "ST101", "count": 2, "operations": ["POST /api/orders", "GET /api/orders/{order_id}"]},
            {"type": "ResponseTimeExceeded", "code": "ST301", "count": 1, "operations": ["GET /api/orders"]},
        ],
        "errors": [{"message": "connection refused"}],
    }))
    outcome = read_schemathesis_report(report)
    assert (outcome.tested, outcome.server_errors, outcome.other_failures, outcome.errors) == (5, 2, 1, 1)
    assert outcome.operations == ("GET /api/orders", "GET /api/orders/{order_id}", "POST /api/orders")


def test_operations_answered_as_not_served_fail_apart_from_other_failures(tmp_path: Path) -> None:
    report = tmp_path / "schemathesis.json"
    report.write_text(json.dumps({
        "operations": {"tested": 2},
        "failures": [{"type": "Failure", "code": "ST901", "title": "Not served", "count": 3, "operations": ["GET /api/items", "POST /api/items"]}],
    }))
    outcome = read_schemathesis_report(report)
    assert (outcome.not_served, outcome.other_failures) == (("GET /api/items", "POST /api/items"), 0)


def test_a_service_that_answers_404_on_its_own_operations_fails(tmp_path: Path) -> None:
    document = tmp_path / "openapi.json"
    document.write_text(json.dumps({"openapi": "3.0.3", "info": {"title": "items", "version": "1"}, "paths": {
        "/api/items": {"get": {"responses": {"200": {"description": "the items"}}}},
        "/api/items/{id}": {"get": {"parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                                    "responses": {"200": {"description": "an item"}}}},
    }}))
    with serving(lambda path: (404, b'{"detail": "Not Found"}')) as port:
        step = run_schemathesis("items", document=str(document), url=f"http://127.0.0.1:{port}", examples=2, headers=(), run_dir=tmp_path,
                                supervisor=Supervisor(), service_log=tmp_path / "items.log")
    assert step.status == "failed"
    assert step.counts["not_served"] == 1  # a 404 for an id may mean no such item; for the list it means no such operation
    assert "1 operation not served (404 or 405): GET /api/items" in step.detail


def test_a_404_behind_a_redirect_is_the_redirect_targets_not_the_operations(tmp_path: Path) -> None:
    class LoginFirst(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
            self.send_response(404 if self.path.startswith("/login/") else 302)
            self.send_header("Location", "/login/?next=/api/items")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    document = tmp_path / "openapi.json"
    document.write_text(json.dumps({"openapi": "3.0.3", "info": {"title": "items", "version": "1"},
                                    "paths": {"/api/items": {"get": {"responses": {"302": {"description": "log in first"}}}}}}))
    with running(LoginFirst) as port:
        step = run_schemathesis("items", document=str(document), url=f"http://127.0.0.1:{port}", examples=2, headers=(), run_dir=tmp_path,
                                supervisor=Supervisor(), service_log=tmp_path / "items.log")
    assert step.counts["not_served"] == 0, step.detail


def test_what_the_monolith_fails_alike_for_the_same_requests_is_the_applications_own(tmp_path: Path) -> None:
    from migrator.verify.adapters.schemathesis import _without

    def outcome(name: str, failures: list[dict[str, object]]) -> object:
        (tmp_path / name).write_text(json.dumps({"operations": {"tested": 4}, "failures": failures}))
        return read_schemathesis_report(tmp_path / name)

    service = outcome("service.json", [
        {"type": "ServerError", "code": "ST101", "count": 2, "operations": ["OPTIONS /api/posts/", "GET /api/posts/{id}"]},
        {"code": "ST901", "title": "Not served", "count": 2, "operations": ["GET /shutdown", "GET /api/feed"]},
    ])
    monolith = outcome("monolith.json", [
        {"type": "ServerError", "code": "ST101", "count": 1, "operations": ["OPTIONS /api/posts/"]},
        {"code": "ST901", "title": "Not served", "count": 1, "operations": ["GET /shutdown"]},
    ])
    kept, alike = _without(service, monolith)
    assert alike == ("GET /shutdown", "OPTIONS /api/posts/")
    assert (kept.server_errors, kept.server_operations, kept.not_served) == (1, ("GET /api/posts/{id}",), ("GET /api/feed",))
    assert _without(service, outcome("clean.json", [])) == (service, ())
