"""The plan of the sample monolith: every coupling its README lists, with the right treatment;
import-linter with the generated contracts finds exactly the violations the plan lists."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from tests.cli import run

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_monolith"
EXPECTED_TREATMENT = {
    "sync_call": "rest",
    "fire_and_forget": "event",
    "in_process_event": "event",
    "direct_table_access": "api_or_read_model",
    "cross_domain_foreign_key": "foreign_key_in_code",
    "cross_domain_transaction": "saga_or_outbox",
    "background_job": "job_moves_with_owner",
    "shared_package": "shared_library",
    "grab_bag": "shared_library",
}


_run = run


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("plan")
    files = {name: folder / name for name in ("graph.json", "decomposition.yaml", "plan.json", "plan.md", ".importlinter")}
    assert _run("analyze", str(SAMPLE), "-o", str(files["graph.json"]), "--no-cache")[0] == 0
    assert _run("propose", str(files["graph.json"]), "-o", str(files["decomposition.yaml"]), "--services", "10")[0] == 0
    code, _, err = _run("plan", str(files["decomposition.yaml"]), "--graph", str(files["graph.json"]), "--format", "json", "-o", str(files["plan.json"]))
    assert code == 0, err
    code, _, err = _run("plan", str(files["decomposition.yaml"]), "--graph", str(files["graph.json"]), "-o", str(files["plan.md"]), "--contracts", str(files[".importlinter"]))
    assert code == 0, err
    return files


def _readme_couplings() -> list[dict]:
    text = (SAMPLE / "README.md").read_text(encoding="utf-8").split("## Inventory (machine-checked)", 1)[1]
    return yaml.safe_load(re.search(r"```yaml\n(.*?)```", text, re.DOTALL).group(1))["couplings"]


def _matches(listed: dict, coupling: dict) -> bool:
    def same(written: str, found: str) -> bool:
        return found == written or found.startswith(written + ".") or found.rsplit(".", 1)[-1] == written

    return same(listed["source"], coupling["source"]) and same(listed["target"], coupling["target"])


@pytest.mark.parametrize("listed", _readme_couplings(), ids=lambda c: c["kind"])
def test_every_coupling_of_the_readme_gets_its_treatment(planned, listed) -> None:
    plan = json.loads(planned["plan.json"].read_text())
    kind = "shared_package" if listed["kind"] == "grab_bag" else listed["kind"]
    candidates = [c for c in plan["couplings"] if c["kind"] == kind and _matches(listed, c)]
    assert candidates, f"the plan does not name {listed}"
    assert {c["treatment"] for c in candidates} == {EXPECTED_TREATMENT[listed["kind"]]}


def test_import_linter_finds_exactly_the_violations_the_plan_lists(planned) -> None:
    plan = json.loads(planned["plan.json"].read_text())
    listed = {(v["contract"], v["importer"], v["imported"]) for v in plan["violations"]}
    assert listed, "the sample's boundaries are broken today, the plan must list how"
    completed = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), str(planned[".importlinter"]), "--no-cache"],
        cwd=REPO, capture_output=True, text=True, check=False, env={**os.environ, "COLUMNS": "400"},
    )
    assert completed.returncode == 1, completed.stdout + completed.stderr
    found = _parse_lint_imports(completed.stdout, plan)
    assert found == listed


def _parse_lint_imports(output: str, plan: dict) -> set[tuple[str, str, str]]:
    titles = {"The shared library imports no service": "shared"}
    titles.update({f"Service {s['name']} imports no other service": s["name"] for s in plan["services"]})
    found = set()
    contract = None
    for line in output.splitlines():
        stripped = line.strip()
        if stripped in titles:
            contract = titles[stripped]
        match = re.match(r"^-\s+(\S+) -> (\S+)", stripped)
        if match and contract:
            found.add((contract, match.group(1), match.group(2)))
    return found


def test_plan_is_deterministic(planned, tmp_path) -> None:
    again = tmp_path / "again.json"
    _run("plan", str(planned["decomposition.yaml"]), "--graph", str(planned["graph.json"]), "--format", "json", "-o", str(again))
    assert again.read_bytes() == planned["plan.json"].read_bytes()


def test_markdown_plan_has_every_section(planned) -> None:
    text = planned["plan.md"].read_text()
    for heading in ("## Order of extraction (strangler fig)", "## Couplings and their treatment", "## Services",
                    "## Calls and events across services", "## Data: one owner per table", "## Transactions across services",
                    "## Boundary enforcement"):
        assert heading in text
    assert (planned[".importlinter"].parent / "tach.toml").is_file()


def test_tach_accepts_the_generated_tach_toml_and_flags_cross_service_imports(planned, tmp_path) -> None:
    import shutil

    shutil.copytree(SAMPLE, tmp_path / "sample_monolith", ignore=shutil.ignore_patterns("tests", "__pycache__"))
    text = (planned[".importlinter"].parent / "tach.toml").read_text()
    (tmp_path / "tach.toml").write_text(text)
    completed = subprocess.run(
        [str(Path(sys.executable).parent / "tach"), "check"], cwd=tmp_path, capture_output=True, text=True, check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 1, output
    failures = [line for line in output.splitlines() if line.startswith("[FAIL]")]
    assert failures and all("cannot depend on" in line for line in failures), output


@pytest.mark.parametrize("place", ["below-a-file", "/proc"])
def test_contracts_nobody_can_write_stop_plan_before_it_writes_the_plan(planned, tmp_path, place) -> None:
    # a folder below a regular file, or in /proc, cannot be made, by root neither
    (tmp_path / "below-a-file").write_text("")
    contracts = (tmp_path / place if place == "below-a-file" else Path(place) / "migrator-nowhere") / ".importlinter"
    code, _, err = _run("plan", str(planned["decomposition.yaml"]), "--graph", str(planned["graph.json"]), "-o", str(tmp_path / "ok.md"),
                        "--contracts", str(contracts))
    assert code == 1 and err.startswith(f"error: cannot write {contracts}: ") and "nothing was written" in err
    assert not (tmp_path / "ok.md").exists() and sorted(p.name for p in tmp_path.iterdir()) == ["below-a-file"]
