"""Counts agree with their nouns."""

from __future__ import annotations

import pytest

from migrator.words import plural


@pytest.mark.parametrize(
    ("count", "noun", "many", "expected"),
    [
        (1, "service", None, "1 service"),
        (2, "service", None, "2 services"),
        (0, "service", None, "0 services"),
        (1, "REST call", None, "1 REST call"),
        (3, "REST call", None, "3 REST calls"),
        (2, "class", None, "2 classes"),
        (2, "dependency", None, "2 dependencies"),
        (2, "day", None, "2 days"),
        (1, "import breaks", "imports break", "1 import breaks"),
        (28, "import breaks", "imports break", "28 imports break"),
        (5577, "line", None, "5,577 lines"),
    ],
)
def test_plural(count: int, noun: str, many: str | None, expected: str) -> None:
    assert plural(count, noun, many) == expected
