"""A differential comparison, as Twitter's Diffy makes one: the same suite against two instances of
the monolith and against the split system; where the two monoliths differ is noise (ids,
timestamps, tokens, CSRF), learnt per endpoint; every other place where the split system answers
otherwise than the first monolith is a difference, reported with its request and both answers."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from migrator.verify.domain.exchanges import Exchange, Paired, endpoint

ABSENT = "(absent)"
BODY = "body"
_NOT_JSON = object()
_TOKEN = re.compile(r"<[^>]*>|[^<\s]+")
_EXCERPT = 160


@dataclass(frozen=True)
class FieldDifference:
    field: str
    """``status``, ``content type``, ``location``, ``body.items[0].name`` (JSON) or ``body`` (text)."""
    monolith: str
    split: str


@dataclass(frozen=True)
class Difference:
    """A request the split system answered otherwise than the monolith, in places its two instances agree."""

    request: Exchange
    monolith: Exchange | None
    split: Exchange | None
    fields: tuple[FieldDifference, ...]
    reason: str = ""
    """When the request was not sent to one side at all."""


@dataclass(frozen=True)
class Comparison:
    compared: int
    """Requests sent to all three."""
    differences: tuple[Difference, ...]
    noise: int
    """Places where the split system differed as the two monoliths did between themselves."""
    unpaired: int
    """Requests only one of the monoliths got (the suite itself is not the same from run to run there)."""


def response_fields(exchange: Exchange) -> dict[str, str]:
    """The parts of an answer that are compared: status, content type, redirect, and, for a JSON
    body, every field by its path (``body.items[0].id``)."""
    fields = {"status": str(exchange.status), "content type": exchange.content_type.lower().replace(" ", ""), "location": exchange.location}
    data = _json(exchange.body)
    if data is not _NOT_JSON:
        fields.update(flatten(data, BODY))
    return fields


def flatten(value: object, prefix: str) -> dict[str, str]:
    """A JSON value as ``{path: JSON text of the leaf}``; empty containers are leaves."""
    if isinstance(value, dict) and value:
        return {path: leaf for key, item in value.items() for path, leaf in flatten(item, f"{prefix}.{key}").items()}
    if isinstance(value, list) and value:
        return {path: leaf for index, item in enumerate(value) for path, leaf in flatten(item, f"{prefix}[{index}]").items()}
    return {prefix: json.dumps(value, sort_keys=True)}


def general(field: str) -> str:
    """A field's path with its list positions read as any: a list's noise is that of every item."""
    return re.sub(r"\[\d+\]", "[*]", field)


def learn_noise(pairs: Sequence[Paired]) -> dict[str, set[str]]:
    """Per endpoint, the fields (by ``general`` path) in which the two monolith instances differ."""
    noise: dict[str, set[str]] = {}
    for pair in pairs:
        if pair.primary is not None and pair.secondary is not None:
            first, second = response_fields(pair.primary), response_fields(pair.secondary)
            differ = {general(f) for f in first.keys() | second.keys() if first.get(f) != second.get(f)}
            noise.setdefault(endpoint(pair.primary), set()).update(differ)
    return noise


def compare(pairs: Sequence[Paired]) -> Comparison:
    """The split system's answers against the first monolith's, less what the second monolith shows is noise."""
    noise = learn_noise(pairs)
    differences: list[Difference] = []
    compared = explained = unpaired = 0
    for pair in pairs:
        first, second, split = pair.primary, pair.secondary, pair.candidate
        if first is not None and second is not None and split is not None:
            compared += 1
            found, masked = _differences(first, second, split, noise.get(endpoint(first), set()))
            explained += masked
            if found:
                differences.append(Difference(split, first, split, tuple(found)))
        elif first is not None and second is not None:
            differences.append(Difference(first, first, None, (), "both monoliths got this request, the split system did not"))
        elif split is not None and first is None and second is None:
            differences.append(Difference(split, None, split, (), "only the split system got this request"))
        else:
            unpaired += 1
    return Comparison(compared, tuple(differences), explained, unpaired)


def _differences(first: Exchange, second: Exchange, split: Exchange, noisy: set[str]) -> tuple[list[FieldDifference], int]:
    expected, got = response_fields(first), response_fields(split)
    found, masked = [], 0
    for field in sorted(expected.keys() | got.keys()):
        if expected.get(field) == got.get(field):
            continue
        if general(field) in noisy:
            masked += 1
        else:
            found.append(FieldDifference(field, expected.get(field, ABSENT), got.get(field, ABSENT)))
    if not any(f.startswith(BODY) for f in expected.keys() | got.keys()):
        hunks, text_masked = text_differences(first.body, second.body, split.body)
        found += hunks
        masked += text_masked
    return found, masked


def text_differences(first: str, second: str, split: str) -> tuple[list[FieldDifference], int]:
    """A text body (HTML, plain) compared by tokens (tags, words): the hunks where the split system
    differs from the first monolith and the second monolith does not, and how many it does too."""
    tokens = _TOKEN.findall(first)
    split_tokens = _TOKEN.findall(split)
    noisy = _touched(tokens, _TOKEN.findall(second))
    found, masked = [], 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, tokens, split_tokens, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if set(range(2 * i1, 2 * i2 + 1)) <= noisy:
            masked += 1
        else:
            found.append(FieldDifference(BODY, _excerpt(" ".join(tokens[i1:i2])), _excerpt(" ".join(split_tokens[j1:j2]))))
    return found, masked


def _touched(tokens: list[str], other: list[str]) -> set[int]:
    """The positions of ``tokens`` a diff against ``other`` changes: ``2i + 1`` for token i, ``2i``
    for the gap before it (where an insertion goes)."""
    touched: set[int] = set()
    for tag, i1, i2, _j1, _j2 in difflib.SequenceMatcher(None, tokens, other, autojunk=False).get_opcodes():
        if tag != "equal":
            touched.update(range(2 * i1, 2 * i2 + 1))
    return touched


def _json(body: str) -> object:
    if not body.lstrip().startswith(("{", "[")):
        return _NOT_JSON
    try:
        return json.loads(body)
    except ValueError:
        return _NOT_JSON


def _excerpt(text: str) -> str:
    return text if len(text) <= _EXCERPT else text[:_EXCERPT] + " ..."
