"""Every renderer, fed the awkward plan of ``tests/plans.py`` (service names with quotes, dollars,
a dot, a space, a leading digit, YAML's specials; gateway prefixes with ``: ``, ``;``, ``{``, ``$``,
quotes, ``#``, non-ASCII; a system name with triple quotes), and each output read back by its own
format's parser or tool: nginx (``-t`` and real requests), tomllib, configparser as import-linter
reads it, YAML, JSON, ``compile()``, CommonMark, hadolint, docker-compose and npm-groovy-lint.
Names come back exactly wherever they are shown."""

from __future__ import annotations

import ast
import configparser
import json
import re
import tomllib
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from importlinter.adapters.user_options import IniFileUserOptionReader
from markdown_it import MarkdownIt
from markdown_it.token import Token

from generators.boundaries import contract_id, render_boundaries
from generators.openapi import openapi_path
from generators.service.render import ModuleSource
from generators.system import Monolith, render_system
from migrator.model.decomposition import SHARED
from migrator.model.dependencies.declared import DeclaredRequirements
from migrator.model.deployment import Topology
from migrator.model.plan import BoundaryContract
from migrator.model.service_plan import MONOLITH, ServicePlan
from tests.e2e.deploy.conftest import DEPLOY_LINT, HADOLINT, run, tool
from tests.e2e.gateway_harness import Gateway, running_gateway
from tests.plans import AWKWARD_NAMES, HOSTILE_PREFIXES, awkward_plan

SHARED_MODULE = "shop.common.money"
MARKUP = {"em_open", "strong_open", "link_open", "image", "html_inline", "html_block", "s_open"}


def _plan() -> ServicePlan:
    """The awkward plan with a shared library, so that its package and pyproject are written too."""
    return replace(awkward_plan(), shared_modules=(SHARED_MODULE,), root_package="shop")


def _contracts(plan: ServicePlan) -> list[BoundaryContract]:
    """A contract per service, named as the user named it (the plan computes them from the graph)."""
    services = [s for s in plan.services if s.kind != MONOLITH]
    contracts = [BoundaryContract(s.name, s.modules, tuple(sorted(m for o in services if o is not s for m in o.modules))) for s in services]
    return [*contracts, BoundaryContract(SHARED, (SHARED_MODULE,), tuple(sorted(m for s in services for m in s.modules)))]


@pytest.fixture(scope="module")
def plan() -> ServicePlan:
    return _plan()


@pytest.fixture(scope="module")
def files(plan: ServicePlan) -> dict[str, str]:
    monolith = Monolith(source="awkward", sources={SHARED_MODULE: ModuleSource("shop/common/money.py", "CENTS = 100\n", False)},
                        requirements=DeclaredRequirements(("golden-requirement==1.0",)))
    rendered = render_system(plan, monolith)
    rendered.update({f"boundaries/{name}": text for name, text in render_boundaries(_contracts(plan)).items()})
    return rendered


@pytest.fixture(scope="module")
def tree(files: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("text-formats")
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    return root


def _display(name: str) -> str:
    return " ".join(name.split())


# -- nginx --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def gateway(plan: ServicePlan, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    """The gateway as verify runs it: every upstream on loopback (an echo that names itself)."""
    with running_gateway(plan, tmp_path_factory.mktemp("gateway")) as running:
        assert running.check.returncode == 0, running.check.stderr
        yield running


def _concrete(prefix: str) -> str:
    """A real path under ``prefix``: its parameters filled in."""
    return re.sub(r"\{[^{}/]*\}|<[^<>/]*>", "7", prefix)


def test_nginx_sends_every_prefix_however_written_to_its_service(plan: ServicePlan, gateway: Gateway) -> None:
    topology = Topology(plan)
    assert {route.prefix for route in plan.gateway} >= set(HOSTILE_PREFIXES)
    for route in plan.gateway:
        owner = topology.workload(route.service).key
        for path, upstream in ((_concrete(route.prefix), owner), (_concrete(route.prefix) + "/x", owner),
                               (_concrete(route.prefix) + "x", "monolith")):
            raw = quote(path, safe="/")  # on the wire, percent-encoded; nginx matches the decoded path
            status, answer = gateway.get(raw)
            assert (status, answer.get("upstream"), answer.get("path")) == (200, upstream, raw), (route.prefix, path)


# -- TOML, INI ------------------------------------------------------------------------------------

def test_toml_files_read_back_with_every_name(plan: ServicePlan, files: dict[str, str]) -> None:
    project = tomllib.loads(files["shared/pyproject.toml"])["project"]
    assert plan.system in project["description"] and project["name"] == "shop-shared"
    tach = tomllib.loads(files["boundaries/tach.toml"])
    assert [m["path"] for m in tach["modules"]] == [m for c in sorted(_contracts(plan), key=lambda c: c.part) for m in c.sources]


def test_importlinter_reads_every_service_name(plan: ServicePlan, files: dict[str, str]) -> None:
    config = configparser.ConfigParser()  # as import-linter reads it: interpolation on
    config.read_string(files["boundaries/.importlinter"])
    options = IniFileUserOptionReader()._build_from_config(config)
    names = {contract["id"]: contract["name"] for contract in options.contracts_options}
    for name in AWKWARD_NAMES:
        assert names[contract_id(name)] == f"Service {name} imports no other service"


# -- YAML, JSON ------------------------------------------------------------------------------------

def test_every_yaml_file_parses_and_keeps_names_and_values(plan: ServicePlan, files: dict[str, str]) -> None:
    documents = {path: [d for d in yaml.safe_load_all(text) if d is not None] for path, text in files.items() if path.endswith((".yaml", ".yml"))}
    assert len(documents) > 50
    topology = Topology(plan)
    compose = documents["docker-compose.yml"][0]["services"]
    for workload in topology.workloads:
        assert compose[workload.key]["expose"] == [str(workload.port)]
        config = documents[f"k8s/base/{workload.key}/configmap.yaml"][0]
        assert config["data"]["EVENT_NAMESPACE"] == plan.system
        if workload.uses_bus:
            asyncapi = documents[workload.asyncapi_contract][0]
            assert asyncapi["info"]["title"] == f"{workload.name} service events"
    titles = {message["title"] for path, docs in documents.items() if path.endswith(".asyncapi.yaml")
              for channel in docs[0]["channels"].values() for message in channel["messages"].values()}
    assert {"crème brûlée!", "no", "- a: *b"} <= titles


def test_every_json_file_parses_and_keeps_names(plan: ServicePlan, files: dict[str, str]) -> None:
    documents = {path: json.loads(text) for path, text in files.items() if path.endswith(".json")}
    topology = Topology(plan)
    system = documents["system.json"]
    assert system["system"] == plan.system
    for entry in system["services"]:
        workload = topology.by_key(entry["name"])
        assert (entry["title"], entry["dir"], entry["package"], entry["app"]) == (workload.name, workload.folder, workload.package, workload.app)
        openapi = documents[workload.openapi_contract]
        assert openapi["info"]["title"] == f"{workload.name} service"
        assert {openapi_path(r.path) for r in workload.spec.routes} <= set(openapi["paths"])


# -- Python, Markdown -------------------------------------------------------------------------------

def test_every_python_file_compiles_and_keeps_the_names(plan: ServicePlan, files: dict[str, str]) -> None:
    python = {path: text for path, text in files.items() if path.endswith(".py")}
    for path, text in python.items():
        compile(text, path, "exec")
    for workload in Topology(plan).workloads:
        package = f"{workload.folder}/{workload.package}"
        docstring = ast.get_docstring(ast.parse(python[f"{package}/__init__.py"]), clean=False)
        assert docstring == f"The {workload.key} service of {plan.system}, generated by migrator."
        manifest = {n.targets[0].id: ast.literal_eval(n.value) for n in ast.parse(python[f"{package}/manifest.py"]).body if isinstance(n, ast.Assign)}
        assert (manifest["SERVICE"], manifest["SYSTEM"]) == (workload.key, plan.system)
    assert plan.system in ast.get_docstring(ast.parse(python["shared/shop_shared/__init__.py"]), clean=False)


def _inline_text(token: Token) -> str:
    return "".join(child.content for child in token.children or () if child.type in ("text", "code_inline"))


def test_the_readme_shows_every_name_as_text(plan: ServicePlan, files: dict[str, str]) -> None:
    tokens = MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(files["README.md"])
    assert not [t.type for token in tokens for t in [token, *(token.children or ())] if t.type in MARKUP]
    assert _inline_text(tokens[1]) == f"{_display(plan.system)}: the generated system"
    topology = Topology(plan)
    cells = [_inline_text(tokens[i + 2]) for i, t in enumerate(tokens) if t.type == "tr_open" and tokens[i + 1].type == "td_open"]
    expected = [w.key if w.key == w.name else f"{w.key} ({_display(w.name)})" for w in (topology.workload(s.name) for s in plan.services)]
    assert cells == expected
    items = [_inline_text(tokens[i + 2]) for i, t in enumerate(tokens) if t.type == "list_item_open"]
    assert items == [f"{_display(p.route.prefix)}{'' if p.pattern.whole else ' and below'} -> {p.workload.key}" for p in topology.gateway]
    assert {p.route for p in topology.gateway} == set(plan.gateway)


# -- the tools teams run: hadolint, docker-compose, npm-groovy-lint -----------------------------------

def test_hadolint_accepts_every_dockerfile(tree: Path) -> None:
    dockerfiles = sorted(tree.glob("*/Dockerfile"))
    assert len(dockerfiles) == len(AWKWARD_NAMES) + 1
    result = run(tool(HADOLINT), "--failure-threshold", "style", *map(str, dockerfiles))
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_docker_compose_reads_every_value_as_written(plan: ServicePlan, tree: Path) -> None:
    required = [line.split("=")[0] for line in (tree / ".env.example").read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    (tree / ".env").write_text("".join(f"{name}=not-a-real-secret\n" for name in required), encoding="utf-8")
    result = run(tool("docker-compose"), "--project-directory", str(tree), "-f", str(tree / "docker-compose.yml"), "config", cwd=tree)
    assert result.returncode == 0, result.stderr
    # what compose made of the file after its own interpolation, printed as a compose file again
    # (so with each literal '$' written '$$'): a '${X}' it had read as a variable would be gone
    services = yaml.safe_load(result.stdout)["services"]
    topology = Topology(plan)
    for workload in topology.workloads:
        assert services[workload.key]["environment"]["EVENT_NAMESPACE"].replace("$$", "$") == plan.system
    first = topology.workload(AWKWARD_NAMES[0])
    assert services[first.key]["environment"]["GREETING"].replace("$$", "$") == first.spec.env["GREETING"]
    assert "WARNING" not in result.stderr  # no variable compose does not know


def test_npm_groovy_lint_accepts_every_jenkinsfile(tree: Path, tmp_path: Path) -> None:
    jenkinsfiles = sorted(tree.glob("*/Jenkinsfile"))
    for index, path in enumerate(jenkinsfiles):  # plain folder names: CodeNarc's patterns skip some
        (tmp_path / str(index)).mkdir()
        (tmp_path / str(index) / "Jenkinsfile").write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / ".groovylintrc.json").write_text((tree / ".groovylintrc.json").read_text(encoding="utf-8"), encoding="utf-8")
    lint = tool(DEPLOY_LINT / "node_modules/.bin/npm-groovy-lint")
    result = run(lint, "--noserver", "--failon", "warning", "--output", "json", "--files", "**/Jenkinsfile", cwd=tmp_path, timeout=900)
    report = json.loads(result.stdout[result.stdout.index("{"):])
    summary = report["summary"]
    assert (result.returncode, summary["totalFilesLinted"], summary["totalFoundErrorNumber"], summary["totalFoundWarningNumber"]) == \
        (0, len(jenkinsfiles), 0, 0)
