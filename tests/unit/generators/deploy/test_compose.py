"""docker-compose.yml: the whole system, health-checked, ordered by health, secrets required."""

from __future__ import annotations

import re

import yaml

from generators.deploy.compose import required_variables
from migrator.model.deployment import DeployOptions, Topology

from .conftest import awkward_plan, shop_plan

REQUIRED = re.compile(r"\$\{([A-Z0-9_]+):\?[^}]*\}")


def test_every_service_has_its_own_database_and_waits_for_it_and_the_broker(shop) -> None:
    compose = yaml.safe_load(shop["docker-compose.yml"])
    services = compose["services"]
    assert {"accounts", "catalog", "orders", "monolith", "broker", "gateway", "prometheus", "alertmanager", "grafana"} <= set(services)
    for name in ("accounts", "catalog", "orders", "monolith"):
        service = services[name]
        assert service["depends_on"] == {f"{name}-db": {"condition": "service_healthy"}, "broker": {"condition": "service_healthy"}}
        assert services[f"{name}-db"]["image"].startswith("postgres:") and "healthcheck" in services[f"{name}-db"]
        assert f"@{name}-db:5432/{name}" in service["environment"]["DATABASE_URL"]
        assert service["environment"]["SHOP_DATABASE_URL"] == service["environment"]["DATABASE_URL"]
        assert service["environment"]["EVENT_BUS_URL"] == "nats://broker:4222"
        assert service["build"] == {"context": ".", "dockerfile": f"{name}/Dockerfile", "args": {"PYTHON_IMAGE": "${PYTHON_IMAGE:-python}",
                                                                                                   "PYTHON_TAG": "${PYTHON_TAG:-3.12-slim-bookworm}"}}
        assert service["user"] == "10001:10001" and service["read_only"] is True and service["tmpfs"] == ["/tmp"]
        assert service["healthcheck"]["test"][:2] == ["CMD", "python"]
    assert services["gateway"]["depends_on"] == {n: {"condition": "service_healthy"} for n in ("accounts", "catalog", "monolith", "orders")}
    assert all("healthcheck" in services[n] for n in ("broker", "gateway", "prometheus"))


def test_addresses_point_at_compose_services_and_secrets_are_required_variables(shop) -> None:
    compose = yaml.safe_load(shop["docker-compose.yml"])
    orders = compose["services"]["orders"]["environment"]
    assert orders["CATALOG_URL"] == "http://catalog:8002" and orders["ACCOUNTS_URL"] == "http://accounts:8001"
    assert orders["SHOP_ADMIN_TOKEN"] == "${SHOP_ADMIN_TOKEN:?set SHOP_ADMIN_TOKEN (see .env.example)}"  # never its default value
    used = set(REQUIRED.findall(shop["docker-compose.yml"]))
    assert used == set(required_variables(Topology(shop_plan(), DeployOptions())))
    listed = {line.split("=")[0] for line in shop[".env.example"].splitlines() if line and not line.startswith("#")}
    assert listed == used


def test_monitoring_mounts_what_the_generator_writes(shop) -> None:
    services = yaml.safe_load(shop["docker-compose.yml"])["services"]
    assert "--config.file=/etc/prometheus/prometheus.compose.yml" in services["prometheus"]["command"]
    assert "monitoring/prometheus/prometheus.compose.yml" in shop
    mounts = dict(volume.split(":")[:2] for volume in services["grafana"]["volumes"] if volume.startswith("./"))
    assert mounts == {"./monitoring/grafana/provisioning": "/etc/grafana/provisioning", "./monitoring/grafana/dashboards": "/var/lib/grafana/dashboards"}
    provider = yaml.safe_load(shop["monitoring/grafana/provisioning/dashboards/migrator.yml"])
    assert provider["providers"][0]["options"]["path"] == "/var/lib/grafana/dashboards"
    assert services["gateway"]["volumes"] == ["./gateway/nginx.conf:/etc/nginx/migrator/nginx.conf:ro"]
    assert services["grafana"]["environment"]["GF_SECURITY_ADMIN_PASSWORD"].startswith("${GRAFANA_ADMIN_PASSWORD:?")


def test_dollars_from_user_code_are_escaped_for_compose(awkward) -> None:
    compose = yaml.safe_load(awkward["docker-compose.yml"])
    first = next(s for s in compose["services"].values() if s.get("environment", {}).get("GREETING"))
    assert first["environment"]["GREETING"] == 'it\'s $$5 "off"'  # compose reads $$ as a literal $
    assert first["environment"]["API_TOKEN"].startswith("${API_TOKEN:?")
    interpolations = re.findall(r"(?<!\$)\$\{?([A-Za-z_][A-Za-z0-9_]*)", awkward["docker-compose.yml"].replace("$$", ""))
    assert set(interpolations) <= {*required_variables(Topology(awkward_plan(), DeployOptions())), "PYTHON_IMAGE", "PYTHON_TAG", "REGISTRY", "IMAGE_TAG"}
