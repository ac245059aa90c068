"""What a service did, with a database per service, to a table of another service that its own
database does not hold (it neither owns it nor keeps a read model of it): a gap of the split, which
a shared database hides. A test failing on the split after one is a real difference, named with it.

- In a service (``CAPTURES``): each SQL statement (SQLAlchemy's, Django's) naming a table the plan
  gives another owner (the manifest's ``PLANNED_TABLES``) and the service does not hold
  (``HELD_TABLES``), or writing its read model of one other than through the owner's row changes
  (but where its runtime sends the write to the owner, ``OWNERS``),
  is appended to ``split-gaps/<pid>.jsonl`` beside the run's mail folder (the
  service, read or write, the table), while the service answers a request.
- In the suite's process: after each request a test client sends (``forward``), what the services
  appended since is the running test's (``flags.GAPS``), written with its outcome (``results``)."""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from . import flags, mail

FOLDER = "split-gaps"
_TABLE = re.compile(r'\b(FROM|JOIN|INTO|UPDATE)\s+(?:[`"\[]?\w+[`"\]]?\.)?[`"\[]?(\w+)[`"\]]?', re.IGNORECASE)
_WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


def folder() -> Path | None:
    where = os.environ.get(mail.VARIABLE)
    return Path(where).parent / FOLDER if where else None


def tables_of(sql: str) -> tuple[str, list[str]]:
    """Whether ``sql`` reads or writes, and the tables it names (FROM, JOIN, INTO, UPDATE)."""
    return ("write" if _WRITES.match(sql) else "read"), sorted({match.group(2) for match in _TABLE.finditer(sql)})


# ---------------------------------------------------------------- in a service


_MANIFEST: list[Any] = []


def _manifest() -> Any:
    """The service's manifest (its tables), once its runtime imported it; None before, or for the
    monolith's service where the services share a database."""
    if not _MANIFEST:
        found = next((m for name, m in list(sys.modules.items()) if name.endswith(".manifest") and hasattr(m, "HELD_TABLES")
                      and hasattr(m, "PLANNED_TABLES") and hasattr(m, "SERVICE")), None)
        if found is None:
            return None
        _MANIFEST.append(found)
    return _MANIFEST[0]


def note_statement(sql: Any) -> None:
    """A statement the service runs, appended where it names a table its database does not hold."""
    if os.environ.get("DATABASE_MODE") == "shared" or not isinstance(sql, str):
        return
    manifest = _manifest()
    target = folder()
    if manifest is None or target is None:
        return
    op, tables = tables_of(sql)
    unheld = [t for t in tables if t in manifest.PLANNED_TABLES and t not in manifest.HELD_TABLES]
    if op == "write":
        read_models = {t for owned in getattr(manifest, "CHANGES_IN", {}).values() for t in owned}
        forwarded = getattr(manifest, "OWNERS", {})  # the runtime sends the write to the owner too, whose change comes back
        unheld += [t for t in tables if t in read_models and t not in forwarded and not _applying_a_change()]
    if not unheld:
        return
    with contextlib.suppress(OSError):
        target.mkdir(parents=True, exist_ok=True)
        with open(target / f"{os.getpid()}.jsonl", "a", encoding="utf-8") as file:
            for table in unheld:
                file.write(json.dumps({"service": manifest.SERVICE, "op": op, "table": table}) + "\n")


def _applying_a_change() -> bool:
    """Whether the event runtime is applying an owner's row change to its read model (the one writer it has)."""
    frame = sys._getframe(2)
    while frame is not None:
        if frame.f_code.co_name == "_apply_change" and frame.f_code.co_filename.endswith("events.py"):
            return True
        frame = frame.f_back  # type: ignore[assignment]
    return False


def _sqlalchemy(module: ModuleType) -> None:
    """Once SQLAlchemy is imported whole (its engine's events are registered last: 1.3's ``events``)."""

    def before(conn: Any, cursor: Any, statement: Any, parameters: Any, context: Any, executemany: bool) -> None:
        note_statement(statement)

    with contextlib.suppress(Exception):  # a service this cannot watch still serves
        module.event.listen(module.engine.Engine, "before_cursor_execute", before)


def _django(module: ModuleType) -> None:
    for name in ("execute", "executemany"):
        original = getattr(module.CursorWrapper, name)

        def run(self: Any, sql: Any, *args: Any, _original: Any = original, **kwargs: Any) -> Any:
            note_statement(sql)
            return _original(self, sql, *args, **kwargs)

        setattr(module.CursorWrapper, name, run)


CAPTURES = [("sqlalchemy", _sqlalchemy), ("django.db.backends.utils", _django)]


# ---------------------------------------------------------------- in the suite's process


_READ: dict[str, int] = {}


def skip_earlier() -> None:
    """What the services wrote down before the suite started (the run's earlier checks) is no test's."""
    target = folder()
    for path in sorted(target.glob("*.jsonl")) if target is not None and target.is_dir() else ():
        with contextlib.suppress(OSError):
            _READ[path.name] = path.stat().st_size


def collect(owners: dict[str, str]) -> None:
    """What the services appended since the last request, as the running test's (``owners``: table -> its owner)."""
    target = folder()
    if target is None or not target.is_dir():
        return
    for path in sorted(target.glob("*.jsonl")):
        with contextlib.suppress(OSError, ValueError), open(path, "rb") as file:
            file.seek(_READ.get(path.name, 0))
            data = file.read()
            complete = data[: data.rfind(b"\n") + 1]
            _READ[path.name] = _READ.get(path.name, 0) + len(complete)
            for line in complete.decode("utf-8").splitlines():
                gap = describe(json.loads(line), owners)
                if gap not in flags.GAPS:
                    flags.GAPS.append(gap)


def describe(item: dict[str, str], owners: dict[str, str]) -> str:
    """One statement a service ran on a table its database does not hold, for the report."""
    table = item["table"] + (f" (owned by {owners[item['table']]})" if item["table"] in owners else "")
    if item["op"] == "read":
        return f"the {item['service']} service read {table}, of which its database keeps no read model"
    return f"the {item['service']} service wrote {table} in its own database, where the owner never sees it"
