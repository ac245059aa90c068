"""trace.json (``migrator.trace/1``): what the monolith did at run time, per use case.

``migrator trace`` writes it; ``analyze --trace`` reads it (``read_trace``, which checks it against
``trace.schema.json`` beside this module and names the JSON path of the first problem). The test
use cases and the one ``run`` use case (what ran outside any test) partition the run: totals are
their sums. A route's use case counts again what was done while serving its requests."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from migrator.errors import MigratorError

SCHEMA = "migrator.trace/1"
SCHEMA_FILE = "trace.schema.json"
TEST, ROUTE, RUN = "test", "route", "run"


class InvalidTrace(MigratorError):
    """A trace file does not follow the migrator.trace/1 format."""


@dataclass(frozen=True)
class CallCount:
    source: str | None
    """The project function that called, or None: the call came from outside the project's code."""
    target: str
    count: int


@dataclass(frozen=True)
class SqlCount:
    function: str | None
    statement: str
    count: int


@dataclass(frozen=True)
class TransactionCount:
    function: str | None
    """The project function running at the transaction's first write (when it began, if it wrote nothing)."""
    writes: tuple[str, ...]
    reads: tuple[str, ...]
    outcome: str
    count: int


@dataclass(frozen=True)
class ExceptionCount:
    type: str
    raised_in: str
    caught_in: str | None
    count: int


@dataclass(frozen=True)
class UseCase:
    id: str
    kind: str
    outcome: str = ""
    requests: int = 0
    calls: tuple[CallCount, ...] = ()
    sql: tuple[SqlCount, ...] = ()
    transactions: tuple[TransactionCount, ...] = ()
    exceptions: tuple[ExceptionCount, ...] = ()

    def functions(self) -> set[str]:
        """The project functions that ran in it."""
        return {c.target for c in self.calls} | {c.source for c in self.calls if c.source}


@dataclass(frozen=True)
class Statement:
    statement: str
    operation: str
    reads: tuple[str, ...]
    writes: tuple[str, ...]


@dataclass(frozen=True)
class Trace:
    use_cases: tuple[UseCase, ...]
    statements: tuple[Statement, ...] = ()
    functions: dict[str, str] = field(default_factory=dict, compare=False)
    root: str = ""
    command: tuple[str, ...] = ()
    suite: str = ""
    tracer: str = "sys.monitoring"
    python: str = ""
    exit_code: int = 0
    seconds: float = 0.0

    def of_kind(self, *kinds: str) -> Iterator[UseCase]:
        return (u for u in self.use_cases if u.kind in kinds)

    def call_counts(self) -> Counter[tuple[str, str]]:
        """Calls between two project functions over the whole run."""
        counts: Counter[tuple[str, str]] = Counter()
        for use_case in self.of_kind(TEST, RUN):
            for call in use_case.calls:
                if call.source is not None:
                    counts[call.source, call.target] += call.count
        return counts

    def data_access(self) -> Counter[tuple[str, str, str]]:
        """``(function, "reads" | "writes", table)`` -> statements over the whole run."""
        facts = {s.statement: s for s in self.statements}
        counts: Counter[tuple[str, str, str]] = Counter()
        for use_case in self.of_kind(TEST, RUN):
            for sql in use_case.sql:
                statement = facts.get(sql.statement)
                if sql.function is None or statement is None:
                    continue
                for table in statement.writes:
                    counts[sql.function, "writes", table] += sql.count
                for table in statement.reads:
                    counts[sql.function, "reads", table] += sql.count
        return counts

    def transactions(self) -> Counter[tuple[str, tuple[str, ...]]]:
        """``(function that began it, tables written)`` -> how many, for the transactions the
        project's own code began that wrote something."""
        counts: Counter[tuple[str, tuple[str, ...]]] = Counter()
        for use_case in self.of_kind(TEST, RUN):
            for transaction in use_case.transactions:
                if transaction.function is not None and transaction.writes:
                    counts[transaction.function, transaction.writes] += transaction.count
        return counts

    def route_calls(self) -> dict[str, tuple[int, Counter[tuple[str, str]]]]:
        """Per route: the requests served and the calls made while serving them."""
        found: dict[str, tuple[int, Counter[tuple[str, str]]]] = {}
        for use_case in self.of_kind(ROUTE):
            counts: Counter[tuple[str, str]] = Counter()
            for call in use_case.calls:
                if call.source is not None:
                    counts[call.source, call.target] += call.count
            found[use_case.id] = (use_case.requests, counts)
        return found


@cache
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(json.loads(files("migrator.model").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")))


def check_trace_document(data: Any, *, source: str) -> None:
    """Raise ``InvalidTrace`` naming the first place where ``data`` breaks the schema."""
    from jsonschema.exceptions import best_match

    error = best_match(_validator().iter_errors(data))
    if error is not None:
        path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path).lstrip(".")
        raise InvalidTrace(f"{source}: {path + ': ' if path else ''}{error.message}",
                           hint=f"write it again with `migrator trace SRC -o trace.json`; its format is {Path(__file__).with_name(SCHEMA_FILE)}")


def read_trace(text: str, *, source: str) -> Trace:
    """The trace in ``text`` (the contents of ``source``), checked against the schema."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidTrace(f"{source}: not JSON ({error})", hint="write it again with `migrator trace SRC -o trace.json`") from None
    check_trace_document(data, source=source)
    return trace_from_data(data)


def trace_from_data(data: dict[str, Any]) -> Trace:
    use_cases = tuple(
        UseCase(
            id=u["id"], kind=u["kind"], outcome=u.get("outcome", ""), requests=u.get("requests", 0),
            calls=tuple(CallCount(c["source"], c["target"], c["count"]) for c in u.get("calls", ())),
            sql=tuple(SqlCount(s["function"], s["statement"], s["count"]) for s in u.get("sql", ())),
            transactions=tuple(TransactionCount(t["function"], tuple(t["writes"]), tuple(t["reads"]), t["outcome"], t["count"])
                               for t in u.get("transactions", ())),
            exceptions=tuple(ExceptionCount(e["type"], e["raised_in"], e["caught_in"], e["count"]) for e in u.get("exceptions", ())),
        )
        for u in data["use_cases"]
    )
    statements = tuple(Statement(s["statement"], s["operation"], tuple(s["reads"]), tuple(s["writes"])) for s in data.get("statements", ()))
    return Trace(use_cases, statements, dict(data.get("functions", {})), root=data.get("root", ""), command=tuple(data.get("command", ())),
                 suite=data.get("suite", ""), tracer=data.get("tracer", "sys.monitoring"), python=data.get("python", ""),
                 exit_code=data.get("exit_code", 0), seconds=data.get("seconds", 0.0))


def trace_to_json(trace: Trace) -> str:
    """The text of trace.json: every field, sorted, so that the same run gives the same bytes."""
    data = {"schema": SCHEMA, **asdict(trace)}
    data["functions"] = dict(sorted(trace.functions.items()))
    return json.dumps(data, indent=1, sort_keys=False) + "\n"


def counted(items: Iterable[tuple[tuple[Any, ...], int]]) -> list[tuple[tuple[Any, ...], int]]:
    """``(key, count)`` pairs summed by key, sorted by key (None first)."""
    totals: dict[tuple[Any, ...], int] = {}
    for key, count in items:
        totals[key] = totals.get(key, 0) + count
    return sorted(totals.items(), key=lambda item: tuple("" if part is None else str(part) for part in item[0]))
