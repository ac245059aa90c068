"""A real Prometheus, configured by the generated compose configuration (targets pointed at local
ports), scrapes running generated services: it sees their request metrics, loads their rules, and
answers every Grafana panel query."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from generators.deploy.prometheus import static_config
from migrator.model.deployment import DeployOptions, Topology
from migrator.model.service_plan import ServicePlan
from migrator.verify.adapters.loopback import free_ports

from .conftest import tool

SERVICES = ("accounts", "catalog", "orders")


def _wait(url: str, seconds: float = 60) -> httpx.Response:
    deadline = time.monotonic() + seconds
    last: httpx.Response | Exception | None = None
    while time.monotonic() < deadline:
        try:
            last = httpx.get(url, timeout=2)
            if last.status_code == 200:
                return last
        except httpx.TransportError as error:
            last = error
        time.sleep(0.3)
    raise AssertionError(f"{url} did not answer 200: {last}")


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def running(sample_system: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, int]]:
    """Three generated services, as `migrator verify` runs them (uvicorn, NATS on this machine)."""
    system = json.loads((sample_system / "system.json").read_text(encoding="utf-8"))
    logs = tmp_path_factory.mktemp("service-logs")
    ports = dict(zip(SERVICES, free_ports(len(SERVICES)), strict=True))
    namespace = f"deploy-scrape-{uuid.uuid4().hex[:8]}"
    processes = []
    try:
        for service in (s for s in system["services"] if s["name"] in SERVICES):
            env = {**os.environ, **service["env"], "PORT": str(ports[service["name"]]), "EVENT_NAMESPACE": namespace,
                   "DATABASE_URL": f"sqlite:///{logs}/{service['name']}.db", "PYTHONPATH": str(sample_system / system["shared"])}
            env.update({f"{other.upper()}_URL": f"http://127.0.0.1:{port}" for other, port in ports.items()})
            log = (logs / f"{service['name']}.log").open("wb")
            processes.append(subprocess.Popen(
                [sys.executable, "-m", "uvicorn", service["app"], "--host", "127.0.0.1", "--port", str(ports[service["name"]])],
                cwd=sample_system / service["dir"], env=env, stdout=log, stderr=subprocess.STDOUT))
        for port in ports.values():
            _wait(f"http://127.0.0.1:{port}/healthz/ready", 90)
        yield ports
    finally:
        _stop(processes)


@pytest.fixture(scope="module")
def prometheus(running: dict[str, int], sample_system: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    plan = ServicePlan.from_dict(json.loads((sample_system / "system.json").read_text(encoding="utf-8"))["plan"])
    topology = Topology(plan, DeployOptions())
    keys = {w.name: w.key for w in topology.workloads}
    config = static_config(topology, {keys[name]: f"127.0.0.1:{port}" for name, port in running.items()}, alertmanager=f"127.0.0.1:{free_ports(1)[0]}")
    config["global"].update({"scrape_interval": "1s", "evaluation_interval": "1s"})
    config["scrape_configs"] = [job for job in config["scrape_configs"] if job["job_name"] in {keys[n] for n in running}]
    folder = tmp_path_factory.mktemp("prometheus")
    (folder / "rules").mkdir()
    for name in running:  # the generated rules, as compose mounts them
        rules = sample_system / f"monitoring/prometheus/rules/{keys[name]}.rules.yml"
        (folder / "rules" / rules.name).write_text(rules.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "prometheus.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    port = free_ports(1)[0]
    log = (folder / "prometheus.log").open("wb")
    process = subprocess.Popen([tool("prometheus"), f"--config.file={folder / 'prometheus.yml'}", f"--storage.tsdb.path={folder / 'data'}",
                                f"--web.listen-address=127.0.0.1:{port}"], stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait(f"http://127.0.0.1:{port}/-/ready", 60)
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop([process])


def _query(prometheus: str, expr: str) -> list[dict]:
    response = httpx.get(f"{prometheus}/api/v1/query", params={"query": expr}, timeout=10).json()
    assert response["status"] == "success", (expr, response)
    return response["data"]["result"]


def test_prometheus_scrapes_the_services_and_sees_their_request_metrics(prometheus: str, running: dict[str, int]) -> None:
    for _ in range(3):
        assert httpx.get(f"http://127.0.0.1:{running['catalog']}/api/catalog/products", timeout=10).status_code == 200
        httpx.get(f"http://127.0.0.1:{running['orders']}/api/orders", timeout=10)  # 401 without a token: counted all the same
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        seen = _query(prometheus, 'http_requests_total{route=~"/api/.*"}')
        if {(r["metric"]["service"], r["metric"]["route"]) for r in seen} >= {("catalog", "/api/catalog/products"), ("orders", "/api/orders")}:
            break
        time.sleep(0.5)
    catalog = [r for r in seen if r["metric"]["service"] == "catalog" and r["metric"]["route"] == "/api/catalog/products"]
    assert catalog and catalog[0]["metric"]["job"] == "catalog" and float(catalog[0]["value"][1]) >= 3
    deadline = time.monotonic() + 60  # every target's first scrape (they are scraped one after another)
    while True:
        up = {r["metric"]["job"]: r["value"][1] for r in _query(prometheus, "up")}
        if up == {name: "1" for name in running} or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert up == {name: "1" for name in running}
    assert _query(prometheus, 'http_request_duration_seconds_count{service="catalog",route="/api/catalog/products"}')


def test_the_generated_rules_load_and_evaluate(prometheus: str, running: dict[str, int]) -> None:
    groups = {g["name"]: g for g in httpx.get(f"{prometheus}/api/v1/rules", timeout=10).json()["data"]["groups"]}
    assert set(groups) == {f"{name}.{kind}" for name in running for kind in ("alerts", "slo-records")}
    deadline = time.monotonic() + 20
    while any(r["health"] == "unknown" for g in groups.values() for r in g["rules"] if g["name"].endswith(".alerts")) and time.monotonic() < deadline:
        time.sleep(0.5)
        groups = {g["name"]: g for g in httpx.get(f"{prometheus}/api/v1/rules", timeout=10).json()["data"]["groups"]}
    alerts = [r for g in groups.values() if g["name"].endswith(".alerts") for r in g["rules"]]
    assert alerts and all(r["health"] == "ok" for r in alerts), [(r["name"], r.get("lastError")) for r in alerts if r["health"] != "ok"]
    assert not [r["name"] for r in alerts if r["state"] == "firing"]  # healthy services raise nothing


def test_every_dashboard_query_of_the_running_services_answers(prometheus: str, running: dict[str, int], sample_system: Path) -> None:
    for name in running:
        board = json.loads((sample_system / f"monitoring/grafana/dashboards/{name}.json").read_text(encoding="utf-8"))
        for panel in board["panels"]:
            for target in panel.get("targets", []):
                _query(prometheus, target["expr"].replace("$__rate_interval", "1m"))
    rates = _query(prometheus, json.loads((sample_system / "monitoring/grafana/dashboards/catalog.json").read_text(encoding="utf-8"))["panels"][1]
                   ["targets"][0]["expr"].replace("$__rate_interval", "1m"))
    assert "/api/catalog/products" in {r["metric"]["route"] for r in rates}
