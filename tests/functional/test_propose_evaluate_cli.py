"""propose and evaluate through the command line, on the sample monolith and on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.cli import run

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_monolith"


_run = run


@pytest.fixture(scope="module")
def sample_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("sample")
    graph, decomposition = folder / "graph.json", folder / "decomposition.yaml"
    assert _run("analyze", str(SAMPLE), "-o", str(graph), "--no-cache")[0] == 0
    code, out, err = _run("propose", str(graph), "-o", str(decomposition), "--services", "10")
    assert code == 0, err
    assert "Proposed 10 services" in out
    return graph, decomposition


def test_sample_proposal_matches_the_teams_own_boundaries(sample_files) -> None:
    graph, decomposition = sample_files
    code, out, err = _run("evaluate", str(decomposition), "--graph", str(graph), "--truth", str(SAMPLE / "expected_boundaries.json"), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["services"] == 10
    assert data["scores"]["mojofm"] >= 90.0
    assert data["truth_units"] == len(json.loads((SAMPLE / "expected_boundaries.json").read_text()))


def test_an_edit_to_the_decomposition_is_honoured(sample_files, tmp_path) -> None:
    graph, decomposition = sample_files
    text = decomposition.read_text()
    # move one module by hand: delete its line under its service, add it under another
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "sample_monolith.reviews.schemas:")
    end = start + 1
    while end < len(lines) and lines[end].startswith("      -"):
        end += 1
    moved = lines[start:end]
    del lines[start:end]
    anchor = next(i for i, line in enumerate(lines) if line.strip() == "sample_monolith.shipping.schemas:")
    lines[anchor:anchor] = moved
    edited = tmp_path / "edited.yaml"
    edited.write_text("\n".join(lines) + "\n")
    before = json.loads(_run("evaluate", str(decomposition), "--graph", str(graph), "--json")[1])
    after = json.loads(_run("evaluate", str(edited), "--graph", str(graph), "--json")[1])
    assert after["scores"] != before["scores"]
    assert after["in_services"] == before["in_services"]


def test_propose_refuses_to_overwrite_an_edited_decomposition(sample_files) -> None:
    graph, decomposition = sample_files
    edited = decomposition.read_text().replace("services:\n", "services:\n  # my note\n", 1)
    decomposition.write_text(edited)
    code, _, err = _run("propose", str(graph), "-o", str(decomposition), "--services", "10")
    assert code == 1 and "was edited since" in err
    assert decomposition.read_text() == edited
    assert _run("propose", str(graph), "-o", str(decomposition), "--services", "10", "--force")[0] == 0


def test_same_seed_same_bytes_through_the_cli(sample_files, tmp_path) -> None:
    graph, _ = sample_files
    outputs = []
    for name in ("a.yaml", "b.yaml"):
        assert _run("propose", str(graph), "-o", str(tmp_path / name), "--seed", "7")[0] == 0
        outputs.append((tmp_path / name).read_text())
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["propose", "nowhere.json"], "nowhere.json does not exist"),
        (["propose", "{graph}", "--weight", "calls"], "is not KIND=NUMBER"),
        (["propose", "{graph}", "--weight", "gravity=2"], "unknown weight kind gravity"),
        (["propose", "{graph}", "--constraints", "{bad_constraints}"], "the constraints cannot all hold"),
        (["evaluate", "{bad_yaml}", "--graph", "{graph}"], "not valid YAML"),
        (["evaluate", "{dup_yaml}", "--graph", "{graph}"], "is listed in both"),
        (["evaluate", "{decomposition}", "--graph", "{graph}", "--truth", "{bad_truth}"], "must map dotted module names"),
    ],
)
def test_bad_input_gets_a_reason_and_exit_1(sample_files, tmp_path, args, message) -> None:
    graph, decomposition = sample_files
    files = {
        "bad_constraints": "pin: {sample_monolith.utils: a, sample_monolith.db: a}\napart: [[sample_monolith.utils, sample_monolith.db]]\n",
        "bad_yaml": "services: [\n",
        "dup_yaml": "services:\n  a:\n    modules: [x.y]\n  b:\n    modules: [x.y]\n",
        "bad_truth": '["not", "a", "mapping"]',
    }
    paths = {"graph": str(graph), "decomposition": str(decomposition)}
    for name, content in files.items():
        (tmp_path / name).write_text(content)
        paths[name] = str(tmp_path / name)
    code, _, err = _run(*(a.format(**paths) for a in args))
    assert code == 1, err
    assert message in err
