"""The generated system of the sample monolith, booted for real: every service, NATS on the
machine, the nginx gateway; the monolith's own HTTP suite run through the gateway by `migrator verify`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli import invoke

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def system(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("migrate")
    result = invoke("migrate", str(ROOT / "sample_monolith"), "-o", str(out), "--services", "10")
    assert result.exit_code == 0, result.output
    return out / "system"


def test_every_generated_python_file_compiles(system: Path) -> None:
    files = sorted(system.rglob("*.py"))
    assert len(files) > 400
    for path in files:
        compile(path.read_text(encoding="utf-8"), str(path), "exec")


@pytest.mark.parametrize("bus", ["nats", "rabbit", "redis"])  # all three run on the machine
def test_the_system_boots_and_passes_the_monolith_suite_through_the_gateway(system: Path, bus: str) -> None:
    from migrator.pipeline.verification import VerifyRequest, verify  # the pipeline behind `migrator verify`

    report = verify(VerifyRequest(out=system, examples=2, event_bus=bus))
    steps = {step.name: step for step in report.steps}
    for service in json.loads((system / "system.json").read_text())["services"]:
        assert steps[f"{service['name']} ready"].status == "passed", steps[f"{service['name']} ready"].detail
    assert steps["gateway ready"].status == "passed"
    suite = steps["monolith test suite"]
    assert suite.counts["tests"] == 149
    assert suite.counts["passed"] == 149, (suite.detail, suite.failures)
    fuzz = [step for name, step in steps.items() if name.startswith("schemathesis ")]
    assert len(fuzz) == 11 and all(step.status == "passed" for step in fuzz), [(s.name, s.detail) for s in fuzz]
