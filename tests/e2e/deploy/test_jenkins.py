"""The Jenkinsfiles, read by the real Groovy runtime (tools/deploy-lint/jenkinsfile-model.groovy):
the declarative structure, the values the plan put in, shell steps that parse, and the contract
check and deploy steps run for real (kubectl stubbed: no cluster here)."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.kustomize_build import build

from migrator.model.deployment import Topology
from migrator.model.service_plan import ServicePlan

from .conftest import AWKWARD_NAMES, DEPLOY_LINT, GROOVY_CLASSPATH, run, tool

STAGES = ["Lint", "Test", "Contract check", "Build image", "Scan image", "Push image", "Deploy to staging"]
MAIN_ONLY = {"Push image", "Deploy to staging", "Approve production", "Deploy to production"}


@pytest.fixture(scope="module")
def models(sample_system: Path, awkward_system: Path) -> dict[Path, list[dict[str, Any]]]:
    files = sorted([*sample_system.glob("*/Jenkinsfile"), *awkward_system.glob("*/Jenkinsfile")])
    result = run(tool("java"), "-cp", GROOVY_CLASSPATH, "groovy.ui.GroovyMain", str(DEPLOY_LINT / "jenkinsfile-model.groovy"), *map(str, files))
    assert result.returncode == 0, result.stderr
    return {Path(path): calls for path, calls in json.loads(result.stdout).items()}


def _one(calls: list[dict[str, Any]], name: str) -> dict[str, Any]:
    found = [c for c in calls if c["name"] == name]
    assert len(found) == 1, (name, [c["name"] for c in calls])
    return found[0]


def _walk(calls: list[dict[str, Any]]):
    for call in calls:
        yield call
        yield from _walk(call["children"])


def _stages(calls: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {c["args"][0]: c for c in _walk(calls) if c["name"] == "stage"}


def _environment(pipeline: dict[str, Any]) -> dict[str, Any]:
    return {c["args"][0]: c["args"][1] for c in _one(pipeline["children"], "environment")["children"] if c["name"] == "="}


def test_every_pipeline_is_declarative_with_the_stages_in_order(models) -> None:
    assert len(models) >= 15
    for path, calls in models.items():
        pipeline = _one(calls, "pipeline")
        body = pipeline["children"]
        assert _one(body, "agent")["args"] == ["none"]
        options = {c["name"]: c["args"] for c in _one(body, "options")["children"]}
        assert options["timeout"] == [{"time": 60, "unit": "MINUTES"}] and "disableConcurrentBuilds" in options and "timestamps" in options
        assert options["buildDiscarder"][0]["call"] == "logRotator"
        top = [c["args"][0] for c in _one(body, "stages")["children"]]
        assert top == ["Build and verify", "Approve production", "Deploy to production"], path
        build_and_verify = _stages(calls)["Build and verify"]
        assert [c["args"][0] for c in _one(build_and_verify["children"], "stages")["children"]] == STAGES
        for name, stage in _stages(calls).items():
            branch = [c["args"] for c in _walk(stage["children"]) if c["name"] == "branch"]
            assert (branch == [["main"]]) == (name in MAIN_ONLY), (path, name)


def test_the_agent_is_a_kubernetes_pod_beside_the_jenkinsfile_with_every_container_the_steps_use(models) -> None:
    for path, calls in models.items():
        root = path.parent.parent
        for stage in ("Build and verify", "Deploy to production"):
            kubernetes = _one(_one(_stages(calls)[stage]["children"], "agent")["children"], "kubernetes")["children"]
            agent_file = root / _one(kubernetes, "yamlFile")["args"][0]
            assert agent_file == path.parent / "jenkins/agent.yaml"
            pod = yaml.safe_load(agent_file.read_text(encoding="utf-8"))
            assert pod["kind"] == "Pod"
            names = {c["name"] for c in pod["spec"]["containers"]}
            used = {c["args"][0] for c in _walk(_stages(calls)[stage]["children"]) if c["name"] == "container"}
            assert {_one(kubernetes, "defaultContainer")["args"][0], *used} <= names


def test_results_are_published_and_the_workspace_cleaned_and_production_waits_for_a_person(models) -> None:
    for calls in models.values():
        stages = _stages(calls)
        post = _one(stages["Build and verify"]["children"], "post")["children"]
        junit = _one(_one(post, "always")["children"], "junit")["args"][0]
        assert junit["testResults"] == "reports/junit-*.xml"
        assert _one(_one(post, "cleanup")["children"], "cleanWs")
        test_step = next(c for c in _walk(stages["Test"]["children"]) if c["name"] == "sh")
        assert test_step["args"][0]["returnStatus"] is True and "--junitxml=" in test_step["args"][0]["script"]
        gate = _one(stages["Approve production"]["children"], "input")["children"]
        assert {c["name"] for c in gate} == {"message", "ok", "submitter"}
        steps = [c["name"] for c in _walk(stages["Deploy to production"]["children"])]
        assert steps.index("unstash") < steps.index("sh")


def test_credentials_come_only_through_credentials(models) -> None:
    for path, calls in models.items():
        bound = [c for c in _walk(calls) if c["name"] == "="]
        secrets = {c["args"][0]: c["args"][1] for c in bound if isinstance(c["args"][1], dict)}
        assert set(secrets) == {"REGISTRY", "KUBECONFIG"}, path
        assert all(value["call"] == "credentials" for value in secrets.values())
        text = path.read_text(encoding="utf-8")
        assert "withCredentials" not in text and "password" not in text.lower().replace("(username and password)", "")


def test_the_plan_values_reach_the_pipeline_exactly(models, awkward_system: Path) -> None:
    topology = Topology(ServicePlan.from_dict(json.loads((awkward_system / "plan.json").read_text(encoding="utf-8"))))
    by_folder = {w.folder: w for w in topology.workloads}
    checked = 0
    for path, calls in models.items():
        if path.parent.parent != awkward_system:
            continue
        environment = _environment(_one(calls, "pipeline"))
        workload = by_folder[path.parent.name]
        assert environment["SERVICE_DIR"] == workload.folder == workload.key
        assert environment["APP_MODULE"] == workload.app
        checked += workload.name in AWKWARD_NAMES
    assert checked == len(AWKWARD_NAMES)


def test_every_shell_step_parses(models, tmp_path: Path) -> None:
    scripts = [c["args"][0] if isinstance(c["args"][0], str) else c["args"][0]["script"] for calls in models.values()
               for c in _walk(calls) if c["name"] == "sh"]
    assert len(scripts) >= 8 * len(models)
    for index, script in enumerate(scripts):
        (tmp_path / f"{index}.sh").write_text(script, encoding="utf-8")
        for shell in ("sh", "bash"):
            result = run(tool(shell), "-n", str(tmp_path / f"{index}.sh"))
            assert (result.returncode, result.stderr) == (0, ""), script


def _stage_script(calls: list[dict[str, Any]], stage: str, index: int = 0) -> str:
    steps = [c for c in _walk(_stages(calls)[stage]["children"]) if c["name"] == "sh"]
    return steps[index]["args"][0]


def _workspace(tmp_path: Path) -> Path:
    """A workspace whose .venv is the test environment (the Lint stage would have made it)."""
    workspace = tmp_path / "workspace"
    (workspace / "reports").mkdir(parents=True)
    (workspace / ".venv").symlink_to(sys.prefix)
    return workspace


def test_the_contract_check_stage_passes_for_the_generated_services_and_catches_a_missing_route(models, sample_system: Path, tmp_path: Path) -> None:
    workspace = _workspace(tmp_path)
    checked = 0
    for path, calls in models.items():
        if path.parent.parent != sample_system or path.parent.name not in ("orders", "catalog", "monolith"):
            continue
        environment = {**os.environ, **_environment(_one(calls, "pipeline")), "WORKSPACE": str(workspace),
                       "PYTHONPATH": str(sample_system / "shared"), "DATABASE_URL": f"sqlite:///{tmp_path}/contract.db"}
        script = _stage_script(calls, "Contract check")
        result = _sh(script, sample_system, environment)
        assert result.returncode == 0 and "serves all" in result.stdout, result.stdout + result.stderr
        checked += 1
        if path.parent.name == "orders":
            contract = json.loads((sample_system / environment["OPENAPI"]).read_text(encoding="utf-8"))
            contract["paths"]["/api/orders/export"] = {"post": {"responses": {"200": {"description": "ok"}}}}
            broken = tmp_path / "orders.openapi.json"
            broken.write_text(json.dumps(contract), encoding="utf-8")
            failed = _sh(script, sample_system, {**environment, "OPENAPI": str(broken)})
            assert failed.returncode == 1 and "POST /api/orders/export is in the contract, but the service does not serve it" in failed.stdout
            contract["paths"]["/api/orders/{order_id}/refund"] = {"post": {"responses": {"200": {"description": "ok"}}}}
            broken.write_text(json.dumps(contract), encoding="utf-8")
            invalid = _sh(script, sample_system, {**environment, "OPENAPI": str(broken)})
            assert invalid.returncode == 1 and "not a valid OpenAPI document" in invalid.stdout
    assert checked == 3


def _sh(script: str, cwd: Path, environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["sh", "-c", script], cwd=cwd, env=environment, capture_output=True, text=True, timeout=180, check=False)


def test_the_deploy_stages_pin_the_pushed_digest_and_apply_only_their_service(models, sample_system: Path, tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "kubectl.log"
    kubectl = bin_dir / "kubectl"
    kubectl.write_text(f'#!/bin/sh\nprintf "%s\\n" "$*" >> "{log}"\n', encoding="utf-8")
    kubectl.chmod(kubectl.stat().st_mode | stat.S_IEXEC)
    digest = "sha256:" + "ab" * 32
    calls = next(c for p, c in models.items() if p.parent == sample_system / "orders")
    environment = {**os.environ, **_environment(_one(calls, "pipeline")), "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    (sample_system / "reports").mkdir(exist_ok=True)
    (sample_system / "reports/image-digest").write_text(digest + "\n", encoding="utf-8")
    try:
        for stage, overlay, namespace in (("Deploy to staging", "dev", "sample-monolith-dev"), ("Deploy to production", "prod", "sample-monolith")):
            result = _sh(_stage_script(calls, stage), sample_system, environment)
            assert result.returncode == 0, result.stderr
            objects = build(sample_system / ".deploy" / overlay)
            deployment = next(o for o in objects if o["kind"] == "Deployment" and o["metadata"]["name"] == "orders")
            assert deployment["spec"]["template"]["spec"]["containers"][0]["image"] == f"registry.example.com/sample-monolith/orders@{digest}"
            assert deployment["metadata"]["namespace"] == namespace
        assert log.read_text(encoding="utf-8").splitlines() == [
            "apply -k .deploy/dev -l app.kubernetes.io/name=orders", "-n sample-monolith-dev rollout status deployment/orders --timeout=10m",
            "apply -k .deploy/prod -l app.kubernetes.io/name=orders", "-n sample-monolith rollout status deployment/orders --timeout=10m"]
    finally:
        shutil.rmtree(sample_system / ".deploy", ignore_errors=True)
        shutil.rmtree(sample_system / "reports", ignore_errors=True)
