"""A few top-level statements of a module rewritten with libcst, and spliced back into its text.

Carrying a module whose imports name a moved module changes only the statements that name it
(``generators/service/rewrites.py`` knows which, from ``ast``). Parsing the whole module with
libcst, and writing it all out again, costs ten to a hundred times what parsing those few lines
does: here only the lines of the statements that change are parsed (as a module of their own),
rewritten by the same transformer, and put back in place of those lines. Every other byte of the
text stays as it was, as libcst would have written it.

The lines taken are whole statements: those that share a line are taken together (libcst holds
``a; b`` as one statement line), decorators with their function, and the lines after them up to
the next statement (libcst gives a block the comments after it that are indented, and a body made
anew loses them). When the lines cannot be told
apart so simply (a statement that does not start its line, a line joined to the next with a
backslash, a part that does not parse alone), ``splice`` answers None and the caller parses the
whole module, as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence

import libcst as cst

Span = tuple[int, int, int]
"""A top-level statement's first line (its first decorator's), its column there, and its last line; lines count from 1."""

_LINE_END = re.compile(r"\n")


class Unspliceable(Exception):
    """Raised by a rewrite that cannot do, on the lines it was given, what it would do on the whole module."""


def splice(
    source: str, spans: Sequence[Span], touched: Collection[int], rewrite: Callable[[cst.Module, range], cst.Module], *,
    insert: Callable[[], tuple[int, str] | None] | None = None,
) -> str | None:
    """``source`` with the lines of the statements ``touched`` (indices into ``spans``) replaced by
    ``rewrite`` of them, parsed as a module of their own (with the indices of the statements it
    holds), and the text ``insert`` then gives put
    at the start of the line it names (a line inside the lines rewritten cannot be); None when the
    statements cannot be taken apart from the rest (then parse the whole module)."""
    if "\r" in source or not touched:
        return None
    try:
        return _splice(source, spans, touched, rewrite, insert)
    except Unspliceable:
        return None


def _splice(
    source: str, spans: Sequence[Span], touched: Collection[int], rewrite: Callable[[cst.Module, range], cst.Module],
    insert: Callable[[], tuple[int, str] | None] | None,
) -> str | None:
    starts = [0, *(match.end() for match in _LINE_END.finditer(source))]
    groups = _groups(spans, touched)
    if groups is None:
        return None
    pieces: list[tuple[int, int, str]] = []
    for first, last, low, high in groups:
        # up to the next statement: the comments after a block that libcst gives the block go with it
        begin, end = starts[first - 1], starts[spans[high][0] - 1] if high < len(spans) else len(source)
        if _continued(source, starts, first - 1) or _continued(source, starts, last):
            return None
        try:
            part = cst.parse_module(source[begin:end])
        except cst.ParserSyntaxError:
            return None
        if sum(len(s.body) if isinstance(s, cst.SimpleStatementLine) else 1 for s in part.body) != high - low or part.header:
            return None
        pieces.append((begin, end, rewrite(part, range(low, high)).code))
    added = insert() if insert is not None else None
    if added is not None:
        line, text = added
        if not 0 < line < len(starts) or any(begin < starts[line - 1] < end for begin, end, _ in pieces):
            return None
        at = starts[line - 1]
        pieces = sorted([*pieces, (at, at, text)], key=lambda piece: (piece[0], piece[1]))
    out: list[str] = []
    done = 0
    for begin, end, text in pieces:
        out += [source[done:begin], text]
        done = end
    out.append(source[done:])
    return "".join(out)


def _groups(spans: Sequence[Span], touched: Collection[int]) -> list[tuple[int, int, int, int]] | None:
    """The line ranges to rewrite, in order: each touched statement's lines, with every statement
    that shares one of them; each with the indices of the statements it holds (from, to past the
    last). None when a range does
    not start its first line (a statement after a ``;`` that began on an earlier line)."""
    chosen = sorted(set(touched))
    groups: list[tuple[int, int, int, int]] = []
    index = 0
    while index < len(chosen):
        low = high = chosen[index]
        first, last = spans[low][0], spans[low][2]
        while True:  # statements on the lines taken, before and after, join the range
            if low > 0 and spans[low - 1][2] >= first:
                low -= 1
                first = min(first, spans[low][0])
            elif high + 1 < len(spans) and spans[high + 1][0] <= last:
                high += 1
                last = max(last, spans[high][2])
            else:
                break
        if spans[low][1] != 0:
            return None
        if groups and groups[-1][1] >= first:  # two ranges that meet: one
            return None
        groups.append((first, last, low, high + 1))
        while index < len(chosen) and chosen[index] <= high:
            index += 1
    return groups


def _continued(source: str, starts: Sequence[int], line: int) -> bool:
    """Whether line ``line`` (from 1; 0: none) ends with a backslash that joins it to the next."""
    if line <= 0 or line >= len(starts):
        return False
    text = source[starts[line - 1]:starts[line]].rstrip("\n")
    return text.endswith("\\")
