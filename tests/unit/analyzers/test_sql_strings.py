"""Where a string literal may hold SQL: the one-pass search against the regex it replaced."""

import re

import pytest

from analyzers.data.sql import sql_string_starts

REGEX = re.compile(r"""["']\s*\(?\s*(?:select|insert|update|delete|with)\s""", re.IGNORECASE)

CASES = [
    'cursor.execute("SELECT id FROM shop_order")',
    "cursor.execute('select id from t')",
    'q = """\n        UPDATE shop_order SET paid = 1\n    """',
    'sql = "( SELECT 1 )"',
    "x = '(\n  Delete from t'",
    'with open(path) as handle:\n    "with statement" and "WITH  x AS (select 1)"',
    '"selected items"  # no space after the keyword',
    "'' insert into t values (1)",
    'print("Insert coin")',
    "no quote select * from t",
    '"SELECT',
    "é = 'SELECT * FROM ümlaut'",
]


@pytest.mark.parametrize("source", CASES)
def test_the_same_starts_as_the_regex_they_replace(source) -> None:
    assert sql_string_starts(source) == [m.start() for m in REGEX.finditer(source)]


def test_mixed_case_keywords_are_not_taken() -> None:
    """Lower, upper and title case only: ``sElEcT`` is no way to write SQL."""
    assert sql_string_starts('"sElEcT 1"') == []
