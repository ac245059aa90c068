"""The generated deployment artifacts, through the tools teams run on their own: hadolint, checkov,
kubernetes-validate, the CRDs' schemas, kustomize, docker-compose, npm-groovy-lint, promtool and
amtool. Zero findings, for the sample monolith's system and for the awkward one."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from tests.kustomize_build import build

from .conftest import CHECKOV, DEPLOY_LINT, HADOLINT, KUBERNETES_VALIDATE, manifests, run, tool

CRD_GROUPS = ("gateway.networking.k8s.io", "monitoring.coreos.com")


def test_hadolint_finds_nothing_in_any_dockerfile(system: Path) -> None:
    dockerfiles = sorted(system.glob("*/Dockerfile"))
    assert len(dockerfiles) >= 4
    result = run(tool(HADOLINT), "--failure-threshold", "style", *map(str, dockerfiles))
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def _checkov(framework: str, target: Path) -> dict:
    result = run(tool(CHECKOV), "--framework", framework, "-d", str(target), "--output", "json", "--quiet", "--skip-download", timeout=900)
    report = json.loads(result.stdout)
    reports = report if isinstance(report, list) else [report]
    assert result.returncode == 0, json.dumps([r.get("results", {}).get("failed_checks") for r in reports])[:4000]
    return {"passed": sum(r["summary"]["passed"] for r in reports), "failed": sum(r["summary"]["failed"] for r in reports),
            "skipped": [c["check_id"] for r in reports for c in r.get("results", {}).get("skipped_checks", [])]}


def test_checkov_passes_every_dockerfile(system: Path) -> None:
    summary = _checkov("dockerfile", system)
    assert summary["failed"] == 0 and summary["passed"] > 100 and summary["skipped"] == []


def test_checkov_passes_every_kubernetes_manifest(system: Path, tmp_path: Path) -> None:
    # the built overlays too: what reaches a cluster is what kustomize prints
    for overlay in ("dev", "prod"):
        (tmp_path / f"{overlay}.yaml").write_text(yaml.safe_dump_all(build(system / "k8s/overlays" / overlay)), encoding="utf-8")
    for folder in (system, tmp_path):
        summary = _checkov("kubernetes", folder)
        assert summary["failed"] == 0 and summary["passed"] > 100
        # the only skips are the documented ones: digests pinned at deploy time, CI agents' probes
        assert set(summary["skipped"]) <= {"CKV_K8S_43", "CKV_K8S_8", "CKV_K8S_9"}


def test_kubernetes_validate_strict_accepts_every_manifest_and_the_built_overlays(system: Path, tmp_path: Path) -> None:
    files = sorted({str(path) for path, _ in manifests(system)})
    for overlay in ("dev", "prod"):
        built = tmp_path / f"{overlay}.yaml"
        built.write_text(yaml.safe_dump_all(build(system / "k8s/overlays" / overlay)), encoding="utf-8")
        files.append(str(built))
    result = run(tool(KUBERNETES_VALIDATE), "--strict", "--quiet", *files)
    assert result.returncode == 0, result.stdout
    unchecked = [line for line in result.stdout.splitlines() if line.startswith("WARN")]
    # only the CRDs have no schema here; the next test checks them against their own
    assert all(re.search(r"kind (Gateway|HTTPRoute|ServiceMonitor|PrometheusRule) ", line) for line in unchecked), unchecked
    assert not [line for line in result.stdout.splitlines() if line.startswith(("ERROR", "FATAL"))]


def test_gateway_api_and_prometheus_operator_resources_match_their_crd_schemas(system: Path) -> None:
    objects = [obj for _, obj in manifests(system) if obj["apiVersion"].split("/")[0] in CRD_GROUPS]
    assert {obj["kind"] for obj in objects} == {"Gateway", "HTTPRoute", "ServiceMonitor", "PrometheusRule"}
    result = run(tool("node"), str(DEPLOY_LINT / "validate-crds.mjs"), cwd=DEPLOY_LINT, input=json.dumps(objects))
    verdicts = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.returncode == 0 and len(verdicts) == len(objects), [v for v in verdicts if not v["valid"]] or result.stderr


RECORDED = Path(__file__).resolve().parents[2] / "assets/deploy/kustomize"


def _by_key(objects: list[dict]) -> dict[tuple[str, str, str], dict]:
    return {(o["kind"], o["metadata"].get("namespace", ""), o["metadata"]["name"]): o for o in objects if o}


def test_our_kustomize_builder_matches_what_kustomize_made_of_a_generated_tree(system: Path) -> None:
    """The builder the other tests use, against kustomize's recorded output (see the recording's
    README); wherever kubectl is installed, against the live kustomize as well, on this tree too."""
    for overlay in ("dev", "prod"):
        recorded = _by_key(list(yaml.safe_load_all((RECORDED / "expected" / f"{overlay}.yaml").read_text(encoding="utf-8"))))
        assert len(recorded) > 20
        assert _by_key(build(RECORDED / "k8s/overlays" / overlay)) == recorded
    kubectl = shutil.which("kubectl")
    if kubectl is not None:
        for tree in (RECORDED / "k8s", system / "k8s"):
            for overlay in ("dev", "prod"):
                result = run(kubectl, "kustomize", str(tree / "overlays" / overlay))
                assert result.returncode == 0, result.stderr
                assert _by_key(build(tree / "overlays" / overlay)) == _by_key(list(yaml.safe_load_all(result.stdout)))


def test_docker_compose_accepts_the_file_and_insists_on_the_required_variables(system: Path) -> None:
    compose = tool("docker-compose")
    required = [line.split("=")[0] for line in (system / ".env.example").read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    missing = run(compose, "--project-directory", str(system), "-f", str(system / "docker-compose.yml"), "config", "-q", cwd=system)
    assert missing.returncode != 0 and any(name in missing.stderr for name in required), missing.stderr
    env = system / ".env"
    env.write_text("".join(f"{name}=not-a-real-secret\n" for name in required), encoding="utf-8")
    try:
        result = run(compose, "--project-directory", str(system), "-f", str(system / "docker-compose.yml"), "config", "-q", cwd=system)
        assert (result.returncode, result.stderr) == (0, "")
    finally:
        env.unlink()


def test_promtool_accepts_the_configurations_and_rules_and_every_alert_passes_its_unit_test(system: Path, tmp_path: Path) -> None:
    promtool = tool("promtool")
    prometheus = system / "monitoring/prometheus"
    compose_config = run(promtool, "check", "config", str(prometheus / "prometheus.compose.yml"))
    assert compose_config.returncode == 0, compose_config.stdout + compose_config.stderr
    # Debian's promtool is built without Kubernetes service discovery: check the in-cluster file with
    # its discovery swapped for static targets (its relabelling, rules and alerting stay as written)
    config = yaml.safe_load((prometheus / "prometheus.yml").read_text(encoding="utf-8"))
    for job in config["scrape_configs"]:
        assert job.pop("kubernetes_sd_configs") == [{"role": "endpoints"}]
        job["static_configs"] = [{"targets": ["service.namespace.svc:8000"]}]
    (tmp_path / "rules").symlink_to(prometheus / "rules")
    (tmp_path / "prometheus.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    cluster_config = run(promtool, "check", "config", str(tmp_path / "prometheus.yml"))
    assert cluster_config.returncode == 0, cluster_config.stdout + cluster_config.stderr
    rules = sorted(map(str, prometheus.glob("rules/*.rules.yml")))
    checked = run(promtool, "check", "rules", *rules)
    assert checked.returncode == 0 and checked.stdout.count("SUCCESS") == len(rules), checked.stdout + checked.stderr
    tests = sorted(map(str, prometheus.glob("tests/*.test.yml")))
    assert len(tests) == len(rules)
    tested = run(promtool, "test", "rules", *tests, cwd=prometheus)
    assert tested.returncode == 0 and tested.stdout.count("SUCCESS") == len(tests), tested.stdout + tested.stderr


def test_amtool_accepts_the_alertmanager_routing(system: Path) -> None:
    result = run(tool("amtool"), "check-config", str(system / "monitoring/alertmanager/alertmanager.yml"))
    assert result.returncode == 0 and "SUCCESS" in result.stdout, result.stdout + result.stderr


def test_every_grafana_panel_query_parses(system: Path, tmp_path: Path) -> None:
    exprs = []
    for board in sorted(system.glob("monitoring/grafana/dashboards/*.json")):
        for panel in json.loads(board.read_text(encoding="utf-8"))["panels"]:
            exprs += [target["expr"] for target in panel.get("targets", [])]
    assert len(exprs) > 20
    # Grafana's interval variable becomes a duration, then promtool parses each query as a rule
    rules = {"groups": [{"name": "panels", "rules": [{"record": f"panel:query:{i}", "expr": e.replace("$__rate_interval", "5m")}
                                                     for i, e in enumerate(exprs)]}]}
    (tmp_path / "panels.yml").write_text(yaml.safe_dump(rules), encoding="utf-8")
    result = run(tool("promtool"), "check", "rules", str(tmp_path / "panels.yml"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_npm_groovy_lint_accepts_every_jenkinsfile(sample_system: Path, awkward_system: Path, tmp_path: Path) -> None:
    # one run for both trees (CodeNarc's start-up dominates); copied under plain names, because
    # CodeNarc's file patterns skip a path holding a backslash, and the content is what is linted
    jenkinsfiles = sorted([*sample_system.glob("*/Jenkinsfile"), *awkward_system.glob("*/Jenkinsfile")])
    for index, path in enumerate(jenkinsfiles):
        (tmp_path / str(index)).mkdir()
        (tmp_path / str(index) / "Jenkinsfile").write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    assert (sample_system / ".groovylintrc.json").read_text() == (awkward_system / ".groovylintrc.json").read_text()
    (tmp_path / ".groovylintrc.json").write_text((sample_system / ".groovylintrc.json").read_text(encoding="utf-8"), encoding="utf-8")
    lint = tool(DEPLOY_LINT / "node_modules/.bin/npm-groovy-lint")
    result = run(lint, "--noserver", "--failon", "warning", "--output", "json", "--files", "**/Jenkinsfile", cwd=tmp_path, timeout=900)
    report = json.loads(result.stdout[result.stdout.index("{"):])
    assert result.returncode == 0, json.dumps(report.get("summary"))
    summary = report["summary"]
    assert (summary["totalFilesLinted"], summary["totalFoundErrorNumber"], summary["totalFoundWarningNumber"]) == (len(jenkinsfiles), 0, 0)
