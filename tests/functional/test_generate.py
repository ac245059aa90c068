"""migrator generate: the contracts of every service, validated (regenerating: test_regenerate.py)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from openapi_spec_validator import validate

from tests.cli import run

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_monolith"


@pytest.fixture(scope="module")
def decomposition(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("gen") / "decomposition.yaml"
    assert run("propose", str(SAMPLE), "-o", str(path), "--services", "10")[0] == 0
    return path


def test_generate_writes_valid_contracts_for_every_service(decomposition, tmp_path) -> None:
    out = tmp_path / "system"
    code, stdout, stderr = run("generate", str(SAMPLE), "--decomposition", str(decomposition), "-o", str(out))
    assert code == 0, stderr
    assert "for 10 services and the monolith" in stdout
    openapi = sorted((out / "contracts").glob("*.openapi.json"))
    asyncapi = sorted((out / "contracts").glob("*.asyncapi.yaml"))
    assert len(openapi) == 11 and asyncapi  # the monolith's remainder serves what is not extracted yet
    for path in openapi:
        validate(json.loads(path.read_text()))
    completed = subprocess.run(["node", str(REPO / "tools/asyncapi/validate.mjs"), *map(str, asyncapi)],
                               cwd=REPO / "tools/asyncapi", capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stdout + completed.stderr

