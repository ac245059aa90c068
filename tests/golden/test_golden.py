"""The renderers still write the golden files, byte for byte: any change to generated output shows
as a change to tests/golden in review."""

from __future__ import annotations

import pytest

from tests.golden.render import GOLDENS, REFRESH, Golden
from tests.golden.tree import compare

SHOWN = 150


@pytest.mark.parametrize("golden", GOLDENS, ids=[golden.name for golden in GOLDENS])
def test_the_plan_renders_the_golden_files(golden: Golden) -> None:
    diff = compare(golden.folder, golden.render())
    if diff:
        pytest.fail(f"what the {golden.name} plan renders differs from tests/golden/{golden.name}/files:\n{diff.report(SHOWN)}\n\n"
                    f"If the change is meant, run `{REFRESH}` (it prints the whole diff) and commit tests/golden with it.", pytrace=False)
