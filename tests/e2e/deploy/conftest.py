"""The generated systems the deployment tests check: the sample monolith's (``migrator migrate``),
and the deployment tree of a monolith whose names are awkward, with its services renamed in
``decomposition.yaml`` as a person may do."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from generators.deploy import render_deployment
from migrator.model.service_plan import ServicePlan
from migrator.pipeline.analysis import AnalyzeRequest, analyze
from migrator.pipeline.inputs import load_decomposition
from migrator.planning.plan import build_plan
from migrator.planning.service_plan import build_service_plan
from migrator.writer import write_tree
from tests.cli import invoke

ROOT = Path(__file__).resolve().parents[3]
AWKWARD_SOURCE = ROOT / "tests/assets/deploy/awkward_shop"
AWKWARD_NAMES = ('Café "Crème" $HOME', "Deployment", "o'reilly \\ ${PATH}")
BIN = Path(sys.executable).parent
HADOLINT = BIN / "hadolint"
KUBERNETES_VALIDATE = BIN / "kubernetes-validate"
CHECKOV = ROOT / ".venv-checkov/bin/checkov"
DEPLOY_LINT = ROOT / "tools/deploy-lint"
GROOVY_CLASSPATH = str(DEPLOY_LINT / "node_modules/npm-groovy-lint/lib/java/groovy/lib/*")
SETUP = "run `bash scripts/setup.sh --tests` first"


def tool(path: Path | str) -> str:
    """A tool the setup script installs; a missing one is a broken setup, never a reason to skip."""
    found = shutil.which(str(path)) if not Path(path).is_absolute() else (str(path) if Path(path).exists() else None)
    assert found, f"{path} is not installed: {SETUP}"
    return found


def run(*command: str, cwd: Path | None = None, input: str | None = None, env: dict[str, str] | None = None,
        timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, input=input, env=env, capture_output=True, text=True, timeout=timeout, check=False)


@pytest.fixture(scope="session")
def sample_system(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "xdg-cache"))
        result = invoke("migrate", str(ROOT / "sample_monolith"), "-o", str(out), "--services", "10")
    assert result.exit_code == 0, result.output
    return out / "system"


def awkward_plan(tmp_path_factory: pytest.TempPathFactory) -> ServicePlan:
    """The awkward monolith through the pipeline, with the services renamed in decomposition.yaml."""
    out = tmp_path_factory.mktemp("awkward-migrate")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "xdg-cache"))
        result = invoke("propose", str(AWKWARD_SOURCE), "-o", str(out / "decomposition.yaml"), "--services", "3")
        assert result.exit_code == 0, result.output
        document = yaml.safe_load((out / "decomposition.yaml").read_text(encoding="utf-8"))
        document["services"] = {new: body for new, body in zip(AWKWARD_NAMES, document["services"].values(), strict=True)}
        (out / "decomposition.yaml").write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
        graph, _ = analyze(AnalyzeRequest(src=AWKWARD_SOURCE))
    decomposition = load_decomposition(out / "decomposition.yaml")
    assert {s.name for s in decomposition.services} == set(AWKWARD_NAMES)
    return build_service_plan(graph, decomposition, build_plan(graph, decomposition), system=AWKWARD_SOURCE.name)


@pytest.fixture(scope="session")
def awkward_system(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("awkward") / "system"
    plan = awkward_plan(tmp_path_factory)
    assert {"GET /api/café/{item_id}:publish", "GET /api/deployments/{name}:rollback", "GET /api/it's/{id}"} <= {
        f"{r.method} {r.path}" for s in plan.services for r in s.routes}
    write_tree(out, render_deployment(plan))
    (out / "plan.json").write_text(json.dumps(plan.to_dict(), ensure_ascii=False), encoding="utf-8")
    return out


@pytest.fixture(scope="session", params=["sample_system", "awkward_system"])
def system(request: pytest.FixtureRequest) -> Path:
    """Each generated tree in turn."""
    return request.getfixturevalue(request.param)


def manifests(root: Path) -> list[tuple[Path, dict[str, Any]]]:
    """Every Kubernetes object the tree holds (kustomizations aside), with its file."""
    found = []
    for path in sorted([*root.glob("k8s/**/*.yaml"), *root.glob("*/jenkins/agent.yaml"), *root.glob("jenkins/*.yaml")]):
        if path.name != "kustomization.yaml":
            found += [(path, doc) for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]
    return found
