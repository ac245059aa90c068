"""migrator migrate: every stage in one go, honouring an edited decomposition."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrator.cli import main
from tests.cli import invoke

SAMPLE = Path(__file__).resolve().parents[2] / "sample_monolith"


def _migrate(*args: str):
    return invoke("migrate", *args)


def test_migrate_writes_every_stage_and_says_where(tmp_path) -> None:
    out = tmp_path / "out"
    result = _migrate(str(SAMPLE), "-o", str(out), "--services", "10")
    assert result.exit_code == 0, result.stderr
    for name in ("graph.json", "decomposition.yaml", "evaluation.json", "plan.md", "plan.json", "boundaries/.importlinter",
                 "boundaries/tach.toml", "report.html", "services.svg", "services.png"):
        assert (out / name).is_file(), name
        assert str(out / name) in result.stdout
    evaluation = json.loads((out / "evaluation.json").read_text())
    assert evaluation["services"] == 10 and evaluation["scores"]["mojofm"] >= 90
    assert "Proposed 10 services; MoJoFM against the truth" in result.stdout


def test_an_edited_decomposition_is_kept_on_the_next_run(tmp_path) -> None:
    out = tmp_path / "out"
    assert _migrate(str(SAMPLE), "-o", str(out), "--services", "10").exit_code == 0
    decomposition = out / "decomposition.yaml"
    edited = decomposition.read_text().replace("  reviews:\n", "  product-reviews:\n", 1)
    assert edited != decomposition.read_text()
    decomposition.write_text(edited)
    result = _migrate(str(SAMPLE), "-o", str(out), "--services", "10")
    assert result.exit_code == 0, result.stderr
    assert "Kept your edited 10 services" in result.stdout
    assert decomposition.read_text() == edited
    plan = json.loads((out / "plan.json").read_text())
    assert "product-reviews" in {s["name"] for s in plan["services"]}


def test_report_command_writes_one_self_contained_file(tmp_path) -> None:
    out = tmp_path / "out"
    assert _migrate(str(SAMPLE), "-o", str(out), "--services", "10").exit_code == 0
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<script" in html and "https://" not in html and "http://" not in html
    result = CliRunner().invoke(
        main, ["report", str(out / "graph.json"), "--decomposition", str(out / "decomposition.yaml"), "-o", str(tmp_path / "r.html")]
    )
    assert result.exit_code == 0, result.stderr
    assert f"Report written to {tmp_path / 'r.html'}" in result.stdout


def test_service_picture_draws_every_service_once(tmp_path) -> None:
    import xml.etree.ElementTree as ET

    out = tmp_path / "out"
    assert _migrate(str(SAMPLE), "-o", str(out), "--services", "10").exit_code == 0
    svg = ET.fromstring((out / "services.svg").read_text(encoding="utf-8"))
    ns = {"s": "http://www.w3.org/2000/svg"}
    titles = [g.find("s:text", ns).text for g in svg.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "node"]
    services = json.loads((out / "plan.json").read_text())["services"]
    assert sorted(titles) == sorted(s["name"] for s in services)
    assert (out / "services.png").read_bytes()[:4] == b"\x89PNG"


def test_migrate_json_and_a_user_file_in_the_way(tmp_path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "evaluation.json").write_text('{"mine": true}')
    result = _migrate(str(SAMPLE), "-o", str(out), "--services", "10")
    assert result.exit_code == 1 and "evaluation.json exists and was not written by migrator" in result.stderr
    assert (out / "evaluation.json").read_text() == '{"mine": true}'
    assert [p.name for p in out.iterdir()] == ["evaluation.json"]  # stopped before it wrote anything
    result = _migrate(str(SAMPLE), "-o", str(out), "--services", "10", "--force", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["files"]["report"] == str(out / "report.html") and data["evaluation"]["services"] == 10


NO_DOT = ("warning: Graphviz's dot is not on PATH, so services.svg and services.png were not drawn; "
          "install Graphviz (apt-get install graphviz) to draw them, or pass --no-pictures")


def test_without_graphviz_migrate_warns_and_still_generates_the_system(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs"))  # dot cannot be found
    out = tmp_path / "out"
    result = _migrate(str(SAMPLE), "-o", str(out), "--services", "10")
    assert result.exit_code == 0, result.stderr
    assert NO_DOT in result.stderr.splitlines()
    assert (out / "report.html").is_file() and (out / "system/system.json").is_file()
    assert not (out / "services.svg").exists() and not (out / "services.png").exists() and "services.svg" not in result.stdout


def test_no_pictures_draws_none_and_needs_no_graphviz(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs"))
    out = tmp_path / "out"
    result = _migrate(str(SAMPLE), "-o", str(out), "--services", "10", "--no-pictures")
    assert result.exit_code == 0, result.stderr
    assert "Graphviz" not in result.stderr and (out / "system/system.json").is_file() and not (out / "services.svg").exists()


@pytest.fixture
def proposed(tmp_path) -> tuple[Path, Path]:
    graph, decomposition = tmp_path / "graph.json", tmp_path / "decomposition.yaml"
    assert invoke("analyze", str(SAMPLE), "-o", str(graph)).exit_code == 0
    assert invoke("propose", str(graph), "-o", str(decomposition), "--services", "10").exit_code == 0
    return graph, decomposition


def test_report_pictures_without_graphviz_write_the_report_and_warn(proposed, tmp_path, monkeypatch) -> None:
    graph, decomposition = proposed
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs"))
    result = invoke("report", str(graph), "--decomposition", str(decomposition), "-o", str(tmp_path / "r.html"), "--pictures")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [NO_DOT.replace("services.", "r-services.")]
    assert (tmp_path / "r.html").is_file() and not (tmp_path / "r-services.svg").exists()
    result = invoke("report", str(graph), "--decomposition", str(decomposition), "-o", str(tmp_path / "r.html"), "--no-pictures")
    assert result.exit_code == 0 and result.stderr == ""

