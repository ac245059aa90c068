"""What a black-box suite sent and got back, one ``Exchange`` per request, as the recording proxy in
front of a target saw it; and the rules that make two runs' exchanges comparable: the address of
each run left out, requests paired by method, path and occurrence."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

HOST_PLACEHOLDER = "{host}"
"""What a run's own addresses (its proxy's, its target's) read as, so that runs on other ports compare."""


@dataclass(frozen=True)
class Exchange:
    """One request of a suite and the answer it got."""

    method: str
    path: str
    """Path and query, as the suite asked for it."""
    request_type: str
    request_body: str
    status: int
    content_type: str
    location: str
    """Where a redirect points, '' for none."""
    body: str

    @property
    def key(self) -> tuple[str, str]:
        return self.method.upper(), self.path

    def request_line(self) -> str:
        return f"{self.method.upper()} {self.path}"


def without_addresses(text: str, addresses: Iterable[str]) -> str:
    """``text`` with each ``host:port`` of ``addresses`` read as ``{host}``."""
    for address in addresses:
        text = text.replace(address, HOST_PLACEHOLDER)
    return text


_ID_SEGMENT = re.compile(r"^(\d+|[0-9a-fA-F-]{32,36}|[0-9a-fA-F]{12,})$")


def endpoint(exchange: Exchange) -> str:
    """The request's method and path with the query left out and every segment that looks like an
    id (digits, a UUID, a long hex string) read as ``{}``: the exchanges whose noise is shared."""
    path = exchange.path.split("?", 1)[0]
    segments = ["{}" if _ID_SEGMENT.match(segment) else segment for segment in path.split("/")]
    return f"{exchange.method.upper()} {'/'.join(segments)}"


@dataclass(frozen=True)
class Paired:
    """One request of the suite as the first monolith, the second and the split system got it
    (None where that run sent no such request)."""

    primary: Exchange | None
    secondary: Exchange | None
    candidate: Exchange | None


def paired(primary: Sequence[Exchange], secondary: Sequence[Exchange], candidate: Sequence[Exchange]) -> list[Paired]:
    """The runs' exchanges matched by method, path and occurrence (the third ``GET /x`` of one
    run with the third of the others), in the order of the first run; then the requests whose path
    only one run has (``/<the name this run signed up>/``), matched by their order among those, as
    long as their methods agree; what is left, alone."""
    runs = [_occurrences(run) for run in (primary, secondary, candidate)]
    order = list(runs[0]) + [key for run in runs[1:] for key in run if key not in runs[0]]
    seen: set[tuple[str, str, int]] = set()
    result, alone = [], []
    for key in order:
        if key not in seen:
            seen.add(key)
            found = Paired(*(run.get(key) for run in runs))
            (alone if sum(e is not None for e in (found.primary, found.secondary, found.candidate)) == 1 else result).append(found)
    return result + _by_order(alone)


def _by_order(alone: list[Paired]) -> list[Paired]:
    sides = [[getattr(p, side) for p in alone if getattr(p, side) is not None] for side in ("primary", "secondary", "candidate")]
    matched = []
    while all(sides) and len({side[0].method.upper() for side in sides}) == 1:
        matched.append(Paired(*(side.pop(0) for side in sides)))
    return matched + [Paired(*(e if i == n else None for i in range(3))) for n, side in enumerate(sides) for e in side]


def _occurrences(run: Sequence[Exchange]) -> dict[tuple[str, str, int], Exchange]:
    counts: dict[tuple[str, str], int] = {}
    keyed = {}
    for exchange in run:
        count = counts[exchange.key] = counts.get(exchange.key, 0) + 1
        keyed[(*exchange.key, count)] = exchange
    return keyed
