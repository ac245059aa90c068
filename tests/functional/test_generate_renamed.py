"""migrator generate after a person renamed services in decomposition.yaml ('My Cart', 'cart.v2'):
every artifact names each service by the same key, folder and package, the names stay as written
where they are shown, the gateway passes nginx -t, and every generated Python file compiles."""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.cli import run

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_monolith"
RENAMED = {"cart": "My Cart", "catalog": "cart.v2"}
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


@pytest.fixture(scope="module")
def proposed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    path = tmp_path_factory.mktemp("proposed") / "decomposition.yaml"
    assert run("propose", str(SAMPLE), "-o", str(path), "--services", "10")[0] == 0
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _generate(document: dict[str, Any], renamed: dict[str, str], folder: Path) -> tuple[int, str, str]:
    edited = dict(document, services={renamed.get(name, name): body for name, body in document["services"].items()})
    decomposition = folder / "decomposition.yaml"
    decomposition.write_text(yaml.safe_dump(edited, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return run("generate", str(SAMPLE), "--decomposition", str(decomposition), "-o", str(folder / "system"))


@pytest.fixture(scope="module")
def system(proposed: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("renamed")
    code, _, stderr = _generate(proposed, RENAMED, folder)
    assert code == 0, stderr
    return folder / "system"


def _entries(system: Path) -> list[dict[str, Any]]:
    return json.loads((system / "system.json").read_text(encoding="utf-8"))["services"]


def _kubernetes(system: Path, key: str) -> dict[str, dict[str, Any]]:
    objects = [doc for path in sorted((system / "k8s/base" / key).glob("*.yaml")) for doc in yaml.safe_load_all(path.read_text(encoding="utf-8"))]
    return {doc["kind"]: doc for doc in objects if doc}


def test_the_renamed_services_get_readable_keys_and_keep_their_names_for_display(system: Path) -> None:
    by_title = {entry["title"]: entry for entry in _entries(system)}
    assert (by_title["My Cart"]["name"], by_title["cart.v2"]["name"]) == ("my-cart", "cart-v2")
    assert "| my-cart (My Cart) |" in (system / "README.md").read_text(encoding="utf-8")
    assert json.loads((system / "contracts/cart-v2.openapi.json").read_text(encoding="utf-8"))["info"]["title"] == "cart.v2 service"
    assert 'description="The My Cart service, extracted from' in (system / "my-cart/Dockerfile").read_text(encoding="utf-8")


def test_every_artifact_names_each_service_by_the_same_key_folder_and_package(system: Path) -> None:
    compose = yaml.safe_load((system / "docker-compose.yml").read_text(encoding="utf-8"))["services"]
    upstreams = re.findall(r"upstream \S+ \{ server (\S+); \}", (system / "gateway/nginx.conf").read_text(encoding="utf-8"))
    entries = _entries(system)
    assert len(entries) == 11
    for entry in entries:
        key, folder, package, port = entry["name"], entry["dir"], entry["package"], entry["port"]
        assert re.fullmatch(r"[a-z][a-z0-9-]*", key) and folder == key, entry
        assert package == key.replace("-", "_") + "_service" and entry["app"] == f"{package}.main:app"
        main = (system / folder / package / "main.py").read_text(encoding="utf-8")
        assert f"from {package} import manifest" in main
        manifest = {n.targets[0].id: ast.literal_eval(n.value) for n in ast.parse((system / folder / package / "manifest.py").read_text(encoding="utf-8")).body
                    if isinstance(n, ast.Assign)}
        assert manifest["SERVICE"] == key
        assert compose[key]["build"]["dockerfile"] == f"{folder}/Dockerfile" and compose[key]["expose"] == [str(port)]
        assert compose[key]["environment"]["SERVICE_NAME"] == key
        kubernetes = _kubernetes(system, key)
        assert kubernetes["Deployment"]["metadata"]["name"] == kubernetes["Service"]["metadata"]["name"] == key
        assert f"{key}:{port}" in upstreams
        jenkinsfile = (system / folder / "Jenkinsfile").read_text(encoding="utf-8")
        assert f"SERVICE = '{key}'" in jenkinsfile and f"SERVICE_DIR = '{folder}'" in jenkinsfile
        assert entry["openapi"] == f"contracts/{key}.openapi.json" and (system / entry["openapi"]).is_file()
        assert (system / "monitoring/prometheus/rules" / f"{key}.rules.yml").is_file()


def test_the_gateway_passes_nginx_t(system: Path, tmp_path: Path) -> None:
    # upstream hosts resolve only where the system runs (compose, a cluster): point them at
    # loopback, as verify does, and check every other line as generated
    text = (system / "gateway/nginx.conf").read_text(encoding="utf-8")
    local, count = re.subn(r"server [a-z0-9-]+:(\d+);", r"server 127.0.0.1:\1;", text)
    assert count == 11
    (tmp_path / "nginx.conf").write_text(local, encoding="utf-8")
    (tmp_path / "tmp").mkdir()
    result = subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-c", "nginx.conf"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_every_generated_python_file_compiles(system: Path) -> None:
    files = sorted(system.rglob("*.py"))
    assert len(files) > 500
    for path in files:
        compile(path.read_bytes(), str(path), "exec")


@pytest.mark.parametrize("reserved", ["monolith", "shared", "infrastructure"])
def test_a_service_named_after_a_part_migrator_keeps_stops_generate_naming_it(proposed: dict[str, Any], reserved: str, tmp_path: Path) -> None:
    # such a service would silently merge with the monolith's remainder or the shared library
    code, _, stderr = _generate(proposed, {"cart": reserved}, tmp_path)
    assert code == 1 and stderr.splitlines()[0] == f"error: a service is named {reserved!r}, the name migrator keeps for " + {
        "monolith": "what stays in the monolith", "shared": "the shared library", "infrastructure": "the platform code every service carries"}[reserved]
    assert not (tmp_path / "system").exists()
