"""Finding many words in a file's text in one pass (Aho-Corasick, from ``ahocorasick-rs``).

The per-file scans decide what to walk from cheap text tests: the events analyzer looks for 36
trigger words, the routes analyzer for 22, the data analyzer for 28 and for SQL keywords. Each
test used to read the whole text again. Now every ``Words`` made in the process joins one
automaton, which reads a text once and reports every occurrence of every word; each ``Words``
then picks its own out of that list. The last text's occurrences are kept, so the analyzers
scanning the same file share the one pass.
"""

from __future__ import annotations

import ast
from bisect import bisect_left
from collections.abc import Iterable

import ahocorasick_rs

Occurrence = tuple[int, str]
"""(start index, word)."""


class _Automaton:
    """Every word of every ``Words``, and the occurrences of all of them in the last text read."""

    def __init__(self) -> None:
        self.words: list[str] = []
        self._ids: dict[str, int] = {}
        self._matcher: ahocorasick_rs.AhoCorasick | None = None
        self._text: str | None = None
        self._found: list[tuple[int, int, int]] = []
        self._present: frozenset[int] = frozenset()

    def add(self, words: Iterable[str]) -> frozenset[int]:
        ids = set()
        for word in words:
            if word not in self._ids:
                self._ids[word] = len(self.words)
                self.words.append(word)
                self._matcher = self._text = None  # the next text is read with the new words
            ids.add(self._ids[word])
        return frozenset(ids)

    def read(self, text: str) -> list[tuple[int, int, int]]:
        """(word id, start, end) of every occurrence, overlapping ones included, in the order
        their ends come in ``text``."""
        if text is not self._text:
            if self._matcher is None:
                self._matcher = ahocorasick_rs.AhoCorasick(self.words)
            self._found = self._matcher.find_matches_as_indexes(text, overlapping=True) if text else []
            self._present = frozenset(word for word, _, _ in self._found)
            self._text = text  # kept, so that no other string can take its identity
        return self._found

    def present(self, text: str) -> frozenset[int]:
        self.read(text)
        return self._present


_AUTOMATON = _Automaton()


class Words:
    """A fixed set of words to look for."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = tuple(words)
        self._ids = _AUTOMATON.add(self.words)

    def occurrences(self, text: str) -> list[Occurrence]:
        """(start index, word) of every occurrence of every word, overlapping ones included, in
        the order their ends come in ``text``."""
        ids, words = self._ids, _AUTOMATON.words
        return [(start, words[word]) for word, start, _ in _AUTOMATON.read(text) if word in ids]

    def any_in(self, text: str) -> bool:
        return not self._ids.isdisjoint(_AUTOMATON.present(text))

    def __reduce__(self) -> tuple[type[Words], tuple[tuple[str, ...]]]:
        return Words, (self.words,)


def line_numbers(text: str, offsets: list[int]) -> list[int]:
    """The sorted, distinct numbers of the lines of ``text`` that hold ``offsets`` (sorted here),
    counting newlines from one offset to the next only."""
    offsets.sort()
    lines: list[int] = []
    line, last = 1, 0
    for offset in offsets:
        line += text.count("\n", last, offset)
        last = offset
        if not lines or lines[-1] != line:
            lines.append(line)
    return lines


class LineSet:
    """Sorted line numbers of a text (where its words are): walking a scope's tree costs far
    more than looking up whether its lines hold one."""

    __slots__ = ("lines",)

    def __init__(self, text: str, offsets: list[int]) -> None:
        self.lines = line_numbers(text, offsets)

    def __bool__(self) -> bool:
        return bool(self.lines)

    def any_between(self, first: int, last: int) -> bool:
        """Whether a line from ``first`` to ``last`` (both included) is in the set."""
        lines = self.lines
        index = bisect_left(lines, first)
        return index < len(lines) and lines[index] <= last

    def in_body(self, function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        """Whether a line of the function's body (not its decorators or signature) is in the set."""
        return self.any_between(function.body[0].lineno, function.end_lineno or function.lineno)
