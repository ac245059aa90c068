"""The tables a raw SQL string reads and writes."""

from __future__ import annotations

import re

from analyzers.data.vocab import SQL_KEYWORDS
from analyzers.words import Words

_SQL_WORDS = Words(variant for word in SQL_KEYWORDS for variant in (word, word.upper(), word.capitalize()))
_QUOTES = frozenset("\"'")


def sql_string_starts(source: str) -> list[int]:
    """Where a string literal in ``source`` starts that may hold SQL: the index of each quote
    followed by blanks, an optional ``(``, blanks, then one of ``SQL_KEYWORDS`` and a blank.

    The keywords come from the shared one-pass word search (``Words``); the few there are are
    then checked backwards to their quote, which costs less than reading the text with a regex."""
    found = []
    length = len(source)
    for start, word in _SQL_WORDS.occurrences(source):
        end = start + len(word)
        if end >= length or not source[end].isspace():
            continue
        at = start - 1
        while at >= 0 and source[at].isspace():
            at -= 1
        if at >= 0 and source[at] == "(":
            at -= 1
            while at >= 0 and source[at].isspace():
                at -= 1
        if at >= 0 and source[at] in _QUOTES:
            found.append(at)
    return found


def _sql_tables(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Tables a SQL statement reads (FROM, JOIN) and writes (INSERT INTO, UPDATE, DELETE FROM)."""
    writes = [m.group(1) for m in SQL_WRITE.finditer(text)]
    reads = [m.group(1) for m in SQL_JOIN.finditer(text)]
    for match in SQL_FROM.finditer(text):
        if text[: match.start()].rstrip().lower().endswith("delete"):
            continue
        for item in match.group(1).split(","):
            words = item.split()
            if words:
                reads.append(words[0])
    clean = lambda names: tuple(dict.fromkeys(n for n in map(_sql_name, names) if n))  # noqa: E731
    return clean(reads), clean(writes)


_SQL_NAME = r"([`\"\[]?[\w$]+[`\"\]]?(?:\.[`\"\[]?[\w$]+[`\"\]]?)?)"
SQL_WRITE = re.compile(
    rf"\b(?:insert\s+(?:or\s+\w+\s+)?into|delete\s+from|update(?:\s+only)?)\s+{_SQL_NAME}", re.IGNORECASE
)
SQL_JOIN = re.compile(rf"\bjoin\s+{_SQL_NAME}", re.IGNORECASE)
SQL_FROM = re.compile(
    r"\bfrom\s+(.+?)(?=\b(?:where|join|inner|left|right|full|cross|natural|group|order|limit|having|union|on|using"
    r"|returning|window|offset|fetch|for|set|values|except|intersect)\b|[;()]|$)",
    re.IGNORECASE | re.DOTALL,
)


def _sql_name(raw: str) -> str | None:
    name = raw.strip("`\"[]").replace('"', "").replace("`", "").replace("[", "").replace("]", "")
    return name.lower() if re.fullmatch(r"[A-Za-z_][\w$]*(?:\.[A-Za-z_][\w$]*)?", name) else None


SQL_CREATE = re.compile(
    rf"\bcreate\s+(?:unlogged\s+)?table\s+(?:if\s+not\s+exists\s+)?{_SQL_NAME}",  # not a temporary one
    re.IGNORECASE,
)
SQL_DROP = re.compile(rf"\bdrop\s+table\s+(?:if\s+exists\s+)?{_SQL_NAME}", re.IGNORECASE)
_COMMENT = re.compile(r"--[^\n]*|/\*.*?\*/", re.DOTALL)


def without_comments(text: str) -> str:
    """``text`` with its SQL comments blanked out: same length, same lines."""
    return _COMMENT.sub(lambda match: re.sub(r"[^\n]", " ", match.group()), text)


def schema_changes(text: str) -> list[tuple[str, str, int]]:
    """("create" or "drop", table, offset) of every ``CREATE TABLE`` and ``DROP TABLE``, in order."""
    found = [("create", m) for m in SQL_CREATE.finditer(text)] + [("drop", m) for m in SQL_DROP.finditer(text)]
    return [(kind, name, m.start()) for kind, m in sorted(found, key=lambda f: f[1].start())
            if (name := _sql_name(m.group(1)))]
