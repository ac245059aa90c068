"""References from the deployment artifacts into the generated code and contracts of the sample's
system: every probe, health check and metrics path is served by the service's own router and
listed in its OpenAPI document; every address a service needs points at the service it names."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import yaml

from .conftest import run

PROBE = """
import json, sys
from starlette.routing import Match
sys.path.insert(0, ".")
from {module} import {attribute} as app
paths = json.loads(sys.argv[1])
scope = lambda path: {{"type": "http", "method": "GET", "path": path, "root_path": "", "headers": [], "query_string": b""}}
print(json.dumps({{path: any(r.matches(scope(path))[0] == Match.FULL for r in app.router.routes) for path in paths}}))
"""


def _service_paths(system: Path, service: dict, key: str) -> set[str]:
    """Every path the deployment artifacts send a request to for this service."""
    deployment = yaml.safe_load((system / f"k8s/base/{key}/deployment.yaml").read_text(encoding="utf-8"))
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    paths = {container[probe]["httpGet"]["path"] for probe in ("startupProbe", "livenessProbe", "readinessProbe")}
    monitor = yaml.safe_load((system / f"k8s/components/prometheus-operator/{key}.servicemonitor.yaml").read_text(encoding="utf-8"))
    paths |= {endpoint["path"] for endpoint in monitor["spec"]["endpoints"]}
    compose = yaml.safe_load((system / "docker-compose.yml").read_text(encoding="utf-8"))["services"][key]
    paths |= {part for part in compose["healthcheck"]["test"][-1].split("'") if part.startswith("/")}
    dockerfile = (system / service["dir"] / "Dockerfile").read_text(encoding="utf-8")
    healthcheck = json.loads(dockerfile.split("HEALTHCHECK", 1)[1].split("CMD", 1)[1].split("\n")[0])
    paths |= {part for part in healthcheck[-1].split("'") if part.startswith("/")}
    jobs = yaml.safe_load((system / "monitoring/prometheus/prometheus.compose.yml").read_text(encoding="utf-8"))["scrape_configs"]
    paths |= {job["metrics_path"] for job in jobs if job["job_name"] == key}
    return paths


def test_every_probe_and_metrics_path_is_served_by_the_code_and_in_the_contract(sample_system: Path) -> None:
    system = json.loads((sample_system / "system.json").read_text(encoding="utf-8"))
    for service in system["services"]:
        key = service["name"]  # the sample's names are DNS labels already: its keys are its names
        paths = _service_paths(sample_system, service, key)
        assert paths == {"/healthz/live", "/healthz/ready", "/metrics"}, (key, paths)
        contract = json.loads((sample_system / service["openapi"]).read_text(encoding="utf-8"))
        assert all("get" in contract["paths"].get(path, {}) for path in paths), key
        module, attribute = service["app"].split(":")
        env = {**os.environ, "PYTHONPATH": str(sample_system / system["shared"]), "DATABASE_URL": "sqlite://"}
        result = run(sys.executable, "-c", PROBE.format(module=module, attribute=attribute), json.dumps(sorted(paths)),
                     cwd=sample_system / service["dir"], env=env, timeout=120)
        assert result.returncode == 0, result.stderr[-3000:]
        assert json.loads(result.stdout.splitlines()[-1]) == {path: True for path in paths}, key


def test_every_address_a_service_needs_names_that_service_on_its_port(sample_system: Path) -> None:
    system = json.loads((sample_system / "system.json").read_text(encoding="utf-8"))
    ports = {s["name"]: s["port"] for s in system["services"]}
    compose = yaml.safe_load((sample_system / "docker-compose.yml").read_text(encoding="utf-8"))["services"]
    gateway = (sample_system / "gateway/nginx.conf").read_text(encoding="utf-8")
    for service in system["services"]:
        name = service["name"]
        config = yaml.safe_load((sample_system / f"k8s/base/{name}/configmap.yaml").read_text(encoding="utf-8"))["data"]
        for callee in service["calls"]:
            variable = f"{callee.upper().replace('-', '_')}_URL"
            expected = f"http://{callee}:{ports[callee]}"
            assert compose[name]["environment"][variable] == expected and config[variable] == expected, (name, callee)
            service_yaml = yaml.safe_load((sample_system / f"k8s/base/{callee}/service.yaml").read_text(encoding="utf-8"))
            assert service_yaml["metadata"]["name"] == callee and service_yaml["spec"]["ports"][0]["port"] == ports[callee]
        assert f"server {name}:{ports[name]};" in gateway and name in compose  # the nginx gateway finds it in compose
        assert compose[name]["expose"] == [str(ports[name])] and compose[name]["environment"]["PORT"] == str(ports[name])
