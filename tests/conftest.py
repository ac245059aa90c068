"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path
from typing import Any

import pytest

ASSETS = Path(__file__).parent / "assets"
collect_ignore_glob = ["assets/*"]  # the projects the tests read or run (their own tests among them), not our tests


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Create ``files`` ({relative path: content}) under ``root``; text is dedented."""
    for relpath, content in files.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture
def tree(tmp_path: Path):
    """Build a small source tree: ``tree({"pkg/__init__.py": "", ...})`` returns its root."""

    def build(files: dict[str, str | bytes]) -> Path:
        return write_tree(tmp_path / "src_tree", files)

    return build


@pytest.fixture
def calls_of(monkeypatch: pytest.MonkeyPatch):
    """``calls_of(owner, "name")``: the arguments of every call of ``owner.name`` from now on
    (``self`` left out for a method), in a list that fills as the test runs; the calls still
    go to the original."""

    def record(owner: Any, name: str) -> list[tuple[Any, ...]]:
        calls: list[tuple[Any, ...]] = []
        original = getattr(owner, name)
        method = isinstance(owner, type)

        def counted(*args: Any) -> Any:
            calls.append(args[1:] if method else args)
            return original(*args)

        monkeypatch.setattr(owner, name, counted)
        return calls

    return record


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep migrator's caches (per-file analysis, verify's environments) out of the user's home
    during tests; uv keeps its own cache of downloads, so that a run's environments build from it."""
    if not os.environ.get("UV_CACHE_DIR"):
        monkeypatch.setenv("UV_CACHE_DIR", str(Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "uv"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "xdg-cache"))
