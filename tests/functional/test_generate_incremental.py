"""migrator generate again after a one-module move in decomposition.yaml: the modules' rewrites
kept from the first run (migrator/pipeline/rewriting.py) give the same bytes as a cold run."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml

from tests.cli import run

SAMPLE = Path(__file__).resolve().parents[2] / "sample_monolith"


def _generate(decomposition: Path, out: Path) -> dict[str, str]:
    code, _, stderr = run("generate", str(SAMPLE), "--decomposition", str(decomposition), "-o", str(out))
    assert code == 0, stderr
    return {str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.rglob("*")) if p.is_file()}


def _move_one_module(decomposition: Path, moved: Path) -> str:
    """Move the first module of the first service with more than one to the next service."""
    document = yaml.safe_load(decomposition.read_text(encoding="utf-8"))
    names = list(document["services"])
    source = next(name for name in names if len(document["services"][name]["modules"]) > 1)
    target = names[(names.index(source) + 1) % len(names)]
    module = next(iter(document["services"][source]["modules"]))
    document["services"][target]["modules"][module] = document["services"][source]["modules"].pop(module)
    moved.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return module


def test_a_warm_generate_after_a_move_gives_the_bytes_of_a_cold_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    decomposition, moved = tmp_path / "decomposition.yaml", tmp_path / "moved.yaml"
    assert run("propose", str(SAMPLE), "-o", str(decomposition))[0] == 0
    module = _move_one_module(decomposition, moved)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "warm-cache"))
    before = _generate(decomposition, tmp_path / "before")
    warm = _generate(moved, tmp_path / "warm")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cold-cache"))
    cold = _generate(moved, tmp_path / "cold")
    assert warm == cold
    assert before != warm, f"moving {module} changed nothing"
    assert list((tmp_path / "warm-cache").rglob("generate/rewrites.pickle"))
