"""migrator generate again after a one-module move in decomposition.yaml: the modules' rewrites
kept from the first run (migrator/pipeline/rewriting.py) give the same bytes as a cold run."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

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
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cold-cache"))
    cold = _generate(moved, tmp_path / "cold")
    assert warm == cold
    assert before != warm, f"moving {module} changed nothing"
    assert list((tmp_path / "warm-cache").rglob("generate/rewrites.pickle")) and list((tmp_path / "warm-cache").rglob("generate/documents.pickle"))
