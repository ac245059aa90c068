"""The generated Dockerfiles, built for real with the local engine (the Python base image comes
from debootstrap: scripts/docker-engine.sh), and a container from one image serving
/healthz/ready as the cluster runs it: read-only, unprivileged, configuration from files."""

from __future__ import annotations

import json
import os
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from generators.service.requirements import LOCK_FILE, unlocked
from migrator.model.deployment import Topology
from migrator.model.service_plan import ServicePlan
from migrator.verify.adapters.loopback import free_ports

from .conftest import AWKWARD_NAMES, run, tool

DOCKER = "/usr/bin/docker"  # Debian's client, whose BuildKit works with Debian's engine
BASE_IMAGE, BASE_TAG = os.environ.get("MIGRATOR_BASE_IMAGE", "migrator/python-base:bookworm").rsplit(":", 1)
CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")


def _docker(*args: str, timeout: float = 900) -> str:
    result = run(tool(DOCKER), *args, timeout=timeout)
    assert result.returncode == 0, result.stderr[-4000:]
    return result.stdout


def _build(context: Path, folder: str, tag: str) -> str:
    secret = ["--secret", f"id=pip_ca,src={CA_BUNDLE}"] if CA_BUNDLE.is_file() else []
    command = [tool(DOCKER), "build", "-q", "-f", str(context / folder / "Dockerfile"), "--build-arg", f"PYTHON_IMAGE={BASE_IMAGE}",
               "--build-arg", f"PYTHON_TAG={BASE_TAG}", *secret, "-t", tag, str(context)]
    result = run(*command, env={**os.environ, "DOCKER_BUILDKIT": "1"}, timeout=900)
    assert result.returncode == 0, f"{folder}: {result.stderr[-4000:]}"
    return tag


@pytest.fixture(scope="module")
def images(sample_system: Path):
    """Every service image of the sample system, built from the generated tree as it is."""
    _docker("image", "inspect", f"{BASE_IMAGE}:{BASE_TAG}")  # made by scripts/docker-engine.sh
    run_id = uuid.uuid4().hex[:8]
    folders = sorted(p.parent.name for p in sample_system.glob("*/Dockerfile"))
    with ThreadPoolExecutor(max_workers=3) as pool:
        tags = dict(zip(folders, pool.map(lambda f: _build(sample_system, f, f"migrator-test/{f}:{run_id}"), folders), strict=True))
    yield tags
    run(tool(DOCKER), "image", "rm", "-f", *tags.values())


def test_every_service_image_builds_and_is_labelled(images: dict[str, str], sample_system: Path) -> None:
    assert set(images) == {p.parent.name for p in sample_system.glob("*/Dockerfile")} and "monolith" in images
    for folder, tag in images.items():
        config = json.loads(_docker("image", "inspect", tag))[0]["Config"]
        assert config["User"] == "10001:10001"
        assert config["Labels"]["org.opencontainers.image.title"] == folder
        assert config["Labels"]["org.opencontainers.image.base.name"] == f"{BASE_IMAGE}:{BASE_TAG}"
        assert config["Healthcheck"]["Test"][:2] == ["CMD", "python"]


def test_a_container_serves_ready_read_only_and_takes_variables_from_mounted_files(images: dict[str, str], tmp_path: Path) -> None:
    port = free_ports(1)[0]
    files = tmp_path / "service-env"  # what the cluster mounts from the service's Secret
    files.mkdir()
    (files / "SERVICE_NAME").write_text("orders-from-file\n", encoding="utf-8")
    (files / "DATABASE_URL").write_text(f"sqlite:////tmp/orders-{port}.db", encoding="utf-8")
    for path in (files, *files.iterdir()):
        path.chmod(0o755 if path.is_dir() else 0o644)
    name = f"migrator-test-orders-{uuid.uuid4().hex[:8]}"
    # the image's own health command, checked every second rather than every 15 s to keep the test short
    _docker("run", "-d", "--name", name, "--network", "host", "--read-only", "--tmpfs", "/tmp", "--cap-drop", "ALL",
            "--health-interval", "1s", "--health-start-period", "1s",
            "--security-opt", "no-new-privileges", "-e", f"PORT={port}", "-e", f"EVENT_NAMESPACE=deploy-test-{uuid.uuid4().hex[:8]}",
            "-v", f"{files}:/run/service-env:ro", images["orders"])
    try:
        ready = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                ready = httpx.get(f"http://127.0.0.1:{port}/healthz/ready", timeout=2)
                if ready.status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.5)
        assert ready is not None and ready.status_code == 200, _docker("logs", name)
        assert ready.json() == {"status": "ok", "checks": {"database": "ok", "event_bus": "ok"}}
        metrics = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
        assert 'service="orders-from-file"' in metrics  # the mounted file won over the image's ENV
        assert _docker("exec", name, "id", "-u").strip() == "10001"
        assert run(tool(DOCKER), "exec", name, "touch", "/app/x").returncode != 0  # read-only root filesystem
        deadline = time.monotonic() + 90
        while (status := _docker("inspect", "-f", "{{.State.Health.Status}}", name).strip()) == "starting" and time.monotonic() < deadline:
            time.sleep(1)
        assert status == "healthy", _docker("inspect", "-f", "{{json .State.Health}}", name)
    finally:
        run(tool(DOCKER), "rm", "-f", name)


def test_an_awkward_service_name_builds_under_its_key(awkward_system: Path, tmp_path: Path) -> None:
    """The generated Dockerfile of a service named ``Café "Crème" $HOME`` (its folder is its key; the
    name stays in the image's description label), built around a stand-in app."""
    plan = ServicePlan.from_dict(json.loads((awkward_system / "plan.json").read_text(encoding="utf-8")))
    workload = Topology(plan).workload(AWKWARD_NAMES[0])
    folder = workload.folder
    context = tmp_path / "context"
    (context / folder / "__pycache__").mkdir(parents=True)
    for name in ("Dockerfile", "Dockerfile.dockerignore"):
        (context / folder / name).write_text((awkward_system / folder / name).read_text(encoding="utf-8"), encoding="utf-8")
    (context / folder / "requirements.txt").write_text("", encoding="utf-8")
    (context / LOCK_FILE).write_text(unlocked("a stand-in"), encoding="utf-8")
    (context / folder / "stand_in.py").write_text("print('stand-in')\n", encoding="utf-8")
    (context / folder / "__pycache__/stale.pyc").write_bytes(b"\0")
    (context / "shared/stand_in_shared").mkdir(parents=True)
    (context / "shared/stand_in_shared/__init__.py").write_text("", encoding="utf-8")
    (context / "shared/pyproject.toml").write_text('[project]\nname = "stand-in-shared"\nversion = "0"\n[tool.setuptools]\npackages = ["stand_in_shared"]\n',
                                                   encoding="utf-8")
    (context / "unrelated.txt").write_text("not in the image", encoding="utf-8")
    tag = f"migrator-test/awkward:{uuid.uuid4().hex[:8]}"
    _build(context, folder, tag)
    try:
        probe = "import json, os; print(json.dumps({'app': sorted(os.listdir('/app')), 'APP': os.environ['APP']}))"
        seen = json.loads(_docker("run", "--rm", "--entrypoint", "python", tag, "-c", probe))
        assert seen["app"] == ["requirements.txt", "stand_in.py"]  # no Dockerfile, no caches, nothing from outside
        assert seen["APP"] == workload.app
        labels = json.loads(_docker("image", "inspect", "--format", "{{json .Config.Labels}}", tag))
        assert labels["org.opencontainers.image.description"].startswith('The Café "Crème" $HOME service')  # kept, never expanded
        assert "stand_in_shared" in _docker("run", "--rm", "--entrypoint", "python", tag, "-c", "import stand_in_shared; print(stand_in_shared.__name__)")
    finally:
        run(tool(DOCKER), "image", "rm", "-f", tag)
