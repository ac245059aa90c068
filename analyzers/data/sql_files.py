"""What a .sql file holds: the tables it creates, and aiosql's named queries with the tables each
reads and writes (``-- name: get-user-by-email^`` then the statement, up to the next name)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from analyzers.data.sql import _sql_tables, schema_changes, without_comments
from analyzers.words import line_numbers

_QUERY_NAME = re.compile(r"^[ \t]*--[ \t]*name[ \t]*:[ \t]*([A-Za-z_][\w-]*)", re.MULTILINE)


@dataclass(frozen=True)
class NamedQuery:
    name: str
    """As Python calls it: ``get_user_by_email`` for ``-- name: get-user-by-email^``."""
    line: int
    reads: tuple[str, ...]
    writes: tuple[str, ...]


@dataclass(frozen=True)
class SqlFile:
    creates: tuple[tuple[str, int], ...]
    """(table, line) of every ``CREATE TABLE`` not dropped later in the file."""
    queries: tuple[NamedQuery, ...]


def read_sql_file(text: str) -> SqlFile:
    code = without_comments(text)
    tables: dict[str, int] = {}
    for kind, table, offset in schema_changes(code):
        if kind == "create":
            tables.setdefault(table, line_numbers(code, [offset])[0])
        else:
            tables.pop(table, None)
    names = list(_QUERY_NAME.finditer(text))
    queries = []
    for index, match in enumerate(names):
        end = names[index + 1].start() if index + 1 < len(names) else len(text)
        reads, writes = _sql_tables(code[match.end() : end])
        line = line_numbers(text, [match.start()])[0]
        queries.append(NamedQuery(match.group(1).replace("-", "_"), line, reads, writes))
    return SqlFile(tuple(tables.items()), tuple(queries))
