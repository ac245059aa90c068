"""The generated images of real Flask, Django and FastAPI applications (flasky on its 2017 pins,
parsifal, the full-stack FastAPI template), built with the local engine, and a container of each
serving /healthz/ready as the cluster runs it: read-only, unprivileged, its database schema made by
the application's own tooling at start (Flask-Migrate's upgrade, Django's migrate in its own SQLite
file; Alembic's upgrade in a fresh database of the machine's PostgreSQL, which the template needs,
reached over the host's network)."""

from __future__ import annotations

import contextlib
import json
import time
import uuid
from pathlib import Path

import httpx
import pytest

from migrator.verify.adapters.loopback import free_ports
from tests.cli import invoke
from tests.corpus import FASTAPI_TEMPLATE_CONFIG, FLASKY_CONFIG, PARSIFAL_CONFIG, configured_copy
from tests.postgres import fresh_database

from .conftest import run, tool
from .test_images import BASE_IMAGE, BASE_TAG, DOCKER, _build, _docker


def _generated(name: str, config: str, tmp_path: Path, folder: str = "") -> Path:
    """The system generated from a configured copy of ``name`` (its ``folder`` the project, whose pyproject.toml takes ``config``)."""
    source = configured_copy(name, tmp_path, "" if folder else config)
    if folder:
        source = source / folder
        (source / "pyproject.toml").write_text((source / "pyproject.toml").read_text(encoding="utf-8") + config, encoding="utf-8")
    result = invoke("migrate", str(source), "-o", str(tmp_path / "out"), "--quiet", "--no-pictures")
    assert result.exit_code == 0, result.output + result.stderr
    return tmp_path / "out" / "system"


def _ready(name: str, port: int) -> httpx.Response:
    deadline, ready = time.monotonic() + 180, None
    while time.monotonic() < deadline:
        try:
            ready = httpx.get(f"http://127.0.0.1:{port}/healthz/ready", timeout=2)
            if ready.status_code == 200:
                return ready
        except httpx.TransportError:
            pass
        if _docker("inspect", "-f", "{{.State.Running}}", name).strip() != "true":
            break
        time.sleep(1)
    pytest.fail(f"{name} did not get ready: {ready.status_code if ready else 'no answer'}\n{run(tool(DOCKER), 'logs', name).stderr[-4000:]}")


@pytest.mark.parametrize(("app", "config", "server", "folder", "postgres"), [
    ("flasky", FLASKY_CONFIG, "gunicorn", "", False),
    ("parsifal", PARSIFAL_CONFIG, "gunicorn", "", False),
    ("full-stack-fastapi-template", FASTAPI_TEMPLATE_CONFIG, "uvicorn", "backend", True),
])
def test_a_framework_service_image_builds_and_its_container_gets_ready(app: str, config: str, server: str, folder: str, postgres: bool,
                                                                       tmp_path: Path) -> None:
    _docker("image", "inspect", f"{BASE_IMAGE}:{BASE_TAG}")  # made by scripts/docker-engine.sh
    system = _generated(app, config, tmp_path, folder)
    service = next(s for s in json.loads((system / "system.json").read_text())["services"] if s["name"] != "monolith")
    tag = _build(system, service["dir"], f"migrator-test/{app}-{service['name']}:{uuid.uuid4().hex[:8]}")
    port, name = free_ports(1)[0], f"migrator-test-{app}-{uuid.uuid4().hex[:8]}"
    with fresh_database("images") if postgres else contextlib.nullcontext("") as database_url:
        variables = ["-e", f"PORT={port}", *(["-e", f"DATABASE_URL={database_url}"] if database_url else [])]
        try:
            command = json.loads(_docker("image", "inspect", "--format", "{{json .Config.Cmd}}", tag))
            assert f"exec {server} " in command[-1]
            _docker("run", "-d", "--name", name, "--network", "host", "--read-only", "--tmpfs", "/tmp", "--cap-drop", "ALL",
                    "--security-opt", "no-new-privileges", *variables, tag)
            ready = _ready(name, port)
            answer = ready.json()  # the event bus too where the system's services keep read models (the machine's NATS here)
            assert answer["status"] == "ok" and answer["checks"]["database"] == "ok" and set(answer["checks"].values()) == {"ok"}
            assert ready.headers["X-Served-By"] == service["name"]
            assert 'http_requests_total' in httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
        finally:
            run(tool(DOCKER), "rm", "-f", name)
            run(tool(DOCKER), "image", "rm", "-f", tag)
