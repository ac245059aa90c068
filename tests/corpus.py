"""The corpus of real applications nobody here wrote: ../shared/corpus beside the repository, as
on every machine and in CI. A test that needs it fails when it is not there, never skips."""

from __future__ import annotations

from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def require(folder: Path) -> Path:
    """``folder`` of the corpus; a failure naming it when it is missing."""
    if not folder.is_dir():
        pytest.fail(f"{folder} is missing: the corpus lives beside the repository, at ../shared/corpus")
    return folder
