"""Markdown that no name can break: the one quoting of the format, for the generated system's
README (``generators``) and the migration plan (``migrator.reporting``) alike. Names from user
code reach Markdown only through ``markdown_text`` (literal inline text) or ``code`` (a code span);
both fit in a table cell and on one line."""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*\[\]<|&~])")
_EMPHASIS_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")


def markdown_text(text: str) -> str:
    """``text`` as literal Markdown inline text (a table cell too): no markup, no HTML, no entity,
    one line. An underscore inside a word starts no emphasis, so ``sample_monolith`` stays as it is;
    nor does ``>`` anywhere but at the start of a line, where this text never is."""
    escaped = _SPECIAL.sub(r"\\\1", " ".join(text.split()))
    return _EMPHASIS_UNDERSCORE.sub(r"\\_", escaped)


def code(text: str, *, in_table: bool = False) -> str:
    """``text`` as a Markdown code span, on one line. In a table cell (``in_table``) its ``|`` are
    escaped, which GFM reads as ``|`` there and only there."""
    text = " ".join(text.split())
    if in_table:
        text = text.replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    return f"{fence} {text} {fence}" if "`" in text else f"{fence}{text}{fence}"


def fenced(text: str, info: str = "") -> list[str]:
    """``text`` as a fenced code block, its fence longer than any run of backticks in it."""
    fence = "`" * max(3, max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    return [fence + info, *text.splitlines(), fence]
