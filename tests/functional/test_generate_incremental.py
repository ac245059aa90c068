"""migrator generate again after a one-module move in decomposition.yaml: what the first run kept
(the modules' rewrites, the deployment's YAML, the runtime facts, the writer's stats of its tree)
gives the same bytes as a cold run, and an edit made since is still seen."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from migrator.pipeline import generation
from tests.cli import run
from tests.decompositions import move_one_module

SAMPLE = Path(__file__).resolve().parents[2] / "sample_monolith"


def _generate(decomposition: Path, out: Path) -> dict[str, str]:
    code, _, stderr = run("generate", str(SAMPLE), "--decomposition", str(decomposition), "-o", str(out))
    assert code == 0, stderr
    return {str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.rglob("*")) if p.is_file()}


def test_a_warm_generate_after_a_move_gives_the_bytes_of_a_cold_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    decomposition, moved = tmp_path / "decomposition.yaml", tmp_path / "moved.yaml"
    assert run("propose", str(SAMPLE), "-o", str(decomposition))[0] == 0
    module = move_one_module(decomposition, moved)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "warm-cache"))
    before = _generate(decomposition, tmp_path / "before")
    warm = _generate(moved, tmp_path / "warm")
    # over the first run's own tree, whose files the writer trusts by what it noted of them
    over = _generate(moved, tmp_path / "before")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cold-cache"))
    cold = _generate(moved, tmp_path / "cold")
    assert warm == cold
    assert {path: digest for path, digest in over.items() if path in cold} == cold  # and the first run's files it no longer has stay
    assert before != warm, f"moving {module} changed nothing"
    assert list((tmp_path / "warm-cache").rglob("generate/rewrites.pickle")) and list((tmp_path / "warm-cache").rglob("generate/documents.pickle"))


@pytest.mark.parametrize("child_from", [0, generation.SURVEY_CHILD_FILES], ids=["surveyed-by-a-child", "looked-at-by-the-writer"])
def test_an_edit_made_after_a_run_is_kept_although_the_writer_noted_the_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, child_from: int) -> None:
    monkeypatch.setattr(generation, "SURVEY_CHILD_FILES", child_from)  # the sample's 1.2k files: a child only when told
    decomposition = tmp_path / "decomposition.yaml"
    assert run("propose", str(SAMPLE), "-o", str(decomposition))[0] == 0
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    out = tmp_path / "out"
    first = _generate(decomposition, out)
    edited = next(out / path for path in sorted(first) if path.endswith("/main.py"))
    edited.write_text(edited.read_text(encoding="utf-8").replace("application = app", "application = app  # mine"), encoding="utf-8")
    code, stdout, stderr = run("generate", str(SAMPLE), "--decomposition", str(decomposition), "-o", str(out))
    assert code == 0, stderr
    assert "# mine" in edited.read_text(encoding="utf-8")
    assert str(edited.relative_to(out)) in stdout + stderr  # named as kept
