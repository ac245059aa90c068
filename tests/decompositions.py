"""Edits of a decomposition.yaml as a user makes them, for the tests and benchmarks that regenerate
after one (tests/functional/test_generate_incremental.py, benchmarks/generate_speed.py)."""

from __future__ import annotations

from pathlib import Path

import yaml


def move_one_module(decomposition: Path, moved: Path) -> str:
    """Write to ``moved`` the decomposition with the first module of the first service holding
    several moved to the next service; tell what moved (``module: source -> target``)."""
    document = yaml.safe_load(decomposition.read_text(encoding="utf-8"))
    names = list(document["services"])
    source = next(name for name in names if len(document["services"][name]["modules"]) > 1)
    target = names[(names.index(source) + 1) % len(names)]
    module = next(iter(document["services"][source]["modules"]))
    document["services"][target]["modules"][module] = document["services"][source]["modules"].pop(module)
    moved.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return f"{module}: {source} -> {target}"
