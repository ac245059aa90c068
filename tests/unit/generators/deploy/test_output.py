"""The deployment tree as a whole: byte-stable, parseable whatever the names, written by the one
writer that refuses to replace a file a person edited."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from generators.deploy import render_deployment
from migrator.model.deployment import DeployOptions, Topology
from migrator.writer import write_tree

from .conftest import AWKWARD_NAMES, awkward_plan, shop_plan

LAYOUT = ["{svc}/Dockerfile", "{svc}/Dockerfile.dockerignore", "{svc}/Jenkinsfile", "{svc}/jenkins/agent.yaml", "{svc}/jenkins/check_contracts.py",
          "docker-compose.yml", ".env.example", ".dockerignore", "k8s/base/kustomization.yaml", "k8s/overlays/dev/kustomization.yaml",
          "k8s/overlays/prod/kustomization.yaml", "monitoring/prometheus/prometheus.yml", "monitoring/prometheus/prometheus.compose.yml",
          "monitoring/alertmanager/alertmanager.yml", "monitoring/grafana/provisioning/datasources/prometheus.yml",
          "monitoring/grafana/dashboards/overview.json"]


def test_the_layout_follows_docs_generated_system(shop) -> None:
    for service in ("accounts", "catalog", "orders", "monolith"):
        for pattern in LAYOUT:
            assert pattern.format(svc=service) in shop
    assert not [path for path in shop if path.startswith(("contracts/", "gateway/", "shared/")) or path == "README.md"]  # other generators' files


def test_rendering_twice_gives_identical_bytes() -> None:
    assert render_deployment(shop_plan()) == render_deployment(shop_plan())
    assert render_deployment(awkward_plan()) == render_deployment(awkward_plan())


@pytest.mark.parametrize("plan", ["shop", "awkward"])
def test_every_yaml_and_json_file_parses(plan: str, request: pytest.FixtureRequest) -> None:
    files = request.getfixturevalue(plan)
    parsed = 0
    for path, text in files.items():
        if path.endswith((".yml", ".yaml")):
            assert [doc for doc in yaml.safe_load_all(text) if doc is not None], path
            parsed += 1
        elif path.endswith(".json"):
            json.loads(text)
            parsed += 1
    assert parsed > 30


def test_awkward_values_survive_the_round_trip_exactly(awkward) -> None:
    compose = yaml.safe_load(awkward["docker-compose.yml"])
    first = next(s for s in compose["services"].values() if "GREETING" in s.get("environment", {}))
    assert first["build"]["dockerfile"] == f"{Topology(awkward_plan()).key_of(AWKWARD_NAMES[0])}/Dockerfile"
    config = next(doc for path, text in awkward.items() if path.endswith("configmap.yaml") for doc in [yaml.safe_load(text)]
                  if "GREETING" in doc["data"])
    assert config["data"]["GREETING"] == 'it\'s $5 "off"'  # Kubernetes does not interpolate ConfigMap data


def test_the_writer_keeps_an_edited_artifact_unless_forced(tmp_path: Path, shop) -> None:
    write_tree(tmp_path, shop)
    assert write_tree(tmp_path, shop).unchanged == tuple(sorted(shop))  # regenerating changes nothing
    edited = tmp_path / "k8s/base/orders/deployment.yaml"
    edited.write_text(edited.read_text(encoding="utf-8") + "# tuned by hand\n", encoding="utf-8")
    assert write_tree(tmp_path, shop).kept == ("k8s/base/orders/deployment.yaml",)
    assert edited.read_text(encoding="utf-8").endswith("# tuned by hand\n")
    write_tree(tmp_path, shop, force=True)
    assert edited.read_text(encoding="utf-8") == shop["k8s/base/orders/deployment.yaml"]


def test_jenkinsfiles_take_every_plan_value_as_a_single_quoted_literal(awkward) -> None:
    options = DeployOptions(python_image="o'reilly \\ ${PATH}")  # a platform setting a team writes
    text = render_deployment(awkward_plan(), options)["deployment/Jenkinsfile"]
    assert "        PYTHON_IMAGE = 'o\\'reilly \\\\ ${PATH}'" in text.splitlines()
    assert "credentials(" in text and "password" not in text.lower().replace("username and password", "")
