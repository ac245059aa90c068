"""Serialisers for the artifact formats. Every name from user code reaches a file through one of
these, never through string formatting, so no name can break or inject into a file."""

from __future__ import annotations

import hashlib
import json
import pprint
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import yaml

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class _Dumper(yaml.SafeDumper):
    """Block style, indented lists (as kubectl and most linters expect)."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:
        return True  # anchors and aliases confuse readers and some tools

    def analyze_scalar(self, scalar: str) -> Any:
        # the same keys and values recur in every manifest, and what the emitter learns of a
        # scalar depends on its text alone (every document is dumped with the same settings)
        found = _ANALYSES.get(scalar)
        if found is None:
            if len(_ANALYSES) > 100_000:
                _ANALYSES.clear()
            found = _ANALYSES[scalar] = super().analyze_scalar(scalar)
        return found

    def write_plain(self, text: str, split: bool = True) -> None:
        if not text or any(mark in text for mark in _PLAIN_BREAKS):
            super().write_plain(text, split)
            return
        # a plain scalar without spaces or line breaks is written whole: what PyYAML's
        # character-by-character loop ends up writing for it, at a fraction of the cost
        if self.root_context:
            self.open_ended = True
        if not self.whitespace:
            self.column += 1
            self.stream.write(" ".encode(self.encoding) if self.encoding else " ")
        self.whitespace = self.indention = False
        self.column += len(text)
        self.stream.write(text.encode(self.encoding) if self.encoding else text)


_ANALYSES: dict[str, Any] = {}
_PLAIN_BREAKS = (" ", "\n", "\x85", "\u2028", "\u2029")


def to_yaml(data: Any, *, header: str = "") -> str:
    """One YAML document; ``header`` (our own text, never user names) becomes comment lines."""
    body = _dumped(
        ("document", data), lambda: yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=4096)
    )
    return _comment(header) + body


def to_yaml_all(documents: Iterable[Any], *, header: str = "") -> str:
    listed = list(documents)
    body = _dumped(("documents", listed), lambda: yaml.dump_all(
        listed, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=4096, explicit_start=True))
    return _comment(header) + body


def to_python(value: Any) -> str:
    """``pprint.pformat`` at width 110, dicts sorted (the values of a service's manifest module),
    kept like the YAML documents within ``kept_documents``: pprint is Python, and its text is a
    function of what ``repr`` spells."""
    return _dumped(("python", value), lambda: pprint.pformat(value, width=110, sort_dicts=True))


def to_sorted_yaml(data: Any) -> str:
    """PyYAML's plain ``safe_dump`` with its keys sorted (the AsyncAPI contracts), kept like the
    deployment's documents within ``kept_documents``."""
    return _dumped(("sorted", data), lambda: yaml.safe_dump(data, sort_keys=True, allow_unicode=True))


_KEPT: ContextVar[tuple[Mapping[str, str], dict[str, str]] | None] = ContextVar("kept_documents", default=None)


@contextmanager
def kept_documents(kept: Mapping[str, str]) -> Iterator[dict[str, str]]:
    """Within the block, YAML made before from equal data (``kept``: texts by ``document_key``) is
    taken as it is instead of dumped again: PyYAML's emitter, in Python, is most of what rendering
    the deployment costs, and a regenerated system has mostly the same documents. Yields the texts
    the block made or took, by key, for the caller to keep. The texts are the same either way."""
    used: dict[str, str] = {}
    token = _KEPT.set((kept, used))
    try:
        yield used
    finally:
        _KEPT.reset(token)


def document_key(data: Any) -> str:
    """What a YAML text is a function of: the data as ``repr`` spells it (types and order included;
    the safe dumper takes nothing but plain data), given to the same dumping code."""
    return hashlib.blake2b(repr(data).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _dumped(data: Any, dump: Callable[[], str]) -> str:
    memo = _KEPT.get()
    if memo is None:
        return dump()
    kept, used = memo
    key = document_key(data)
    text = used.get(key) or kept.get(key)
    used[key] = text = dump() if text is None else text
    return text


def to_json(data: Any) -> str:
    """JSON indented by two (the dashboards), kept like the YAML documents within ``kept_documents``:
    with an indent, ``json`` encodes in Python, not in C."""
    return _dumped(("json", data), lambda: json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def to_sorted_json(data: Any) -> str:
    """JSON indented by two with its keys sorted (the services' OpenAPI contracts), kept like
    ``to_json``."""
    return _dumped(("sorted json", data), lambda: json.dumps(data, indent=2, sort_keys=True) + "\n")


def _comment(header: str) -> str:
    return "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())


def one_line(text: str) -> str:
    """Control characters (newlines included) out: the formats below quote, they cannot fold."""
    return _CONTROL.sub(" ", text)


def groovy(text: str) -> str:
    """A Groovy single-quoted string literal (no interpolation)."""
    escaped = one_line(text).replace("\\", "\\\\").replace("'", "\\'")
    return f"'{escaped}'"


def shell(text: str) -> str:
    """A POSIX shell word."""
    text = one_line(text)
    if re.fullmatch(r"[A-Za-z0-9_./:=@%+,-]+", text):
        return text
    return "'" + text.replace("'", "'\"'\"'") + "'"


def docker_word(text: str) -> str:
    """A double-quoted Dockerfile word: no variable expansion, no escape sequence survives."""
    escaped = one_line(text).replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$")
    return f'"{escaped}"'


def docker_exec(words: Iterable[str]) -> str:
    """A Dockerfile exec-form array (CMD, HEALTHCHECK): Docker neither expands nor unescapes it."""
    return json.dumps([one_line(w) for w in words], ensure_ascii=False)


def docker_paths(words: Iterable[str]) -> str:
    """A Dockerfile JSON array for COPY, whose words Docker still reads like a shell's (quotes
    removed, variables expanded): every quote, ``$`` and backslash is escaped to stay literal."""
    return json.dumps([re.sub(r"""([\\$"'])""", r"\\\1", one_line(w)) for w in words], ensure_ascii=False)


def compose_literal(text: str) -> str:
    """A value compose must not interpolate (``$`` doubled)."""
    return text.replace("$", "$$")


def promql_string(text: str) -> str:
    """A PromQL double-quoted string literal."""
    return json.dumps(text, ensure_ascii=False)
