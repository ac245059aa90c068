"""The monolith's files that are no modules, read for generate to carry (migrator/pipeline/monolith_files.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from migrator.pipeline import monolith_files as reading
from migrator.pipeline.monolith_files import FileLeftOut, monolith_files


def test_regular_files_are_read_and_what_is_no_file_or_too_large_is_not(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "shop"
    (src / "templates").mkdir(parents=True)
    (src / "__init__.py").write_text("", encoding="utf-8")
    (src / "templates" / "page.html").write_bytes(b"<p>hi</p>\n")
    (src / "tests").mkdir()
    (src / "tests" / "data.json").write_text("{}", encoding="utf-8")
    (src / "big.bin").write_bytes(b"x" * 11)
    (src / "broken").symlink_to(src / "nowhere")
    (src / "linked.html").symlink_to(src / "templates" / "page.html")
    os.mkfifo(src / "pipe")
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", 10)
    with pytest.warns(FileLeftOut, match="shop/big.bin is not carried"):
        found = monolith_files(src, modules={"shop/__init__.py"})
    assert found == {"shop/linked.html": b"<p>hi</p>\n", "shop/templates/page.html": b"<p>hi</p>\n"}
