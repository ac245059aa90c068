"""graph.json checked against its JSON Schema (``graph.schema.json``, beside this module) on load.

A graph written by hand or converted from another tool is read by every later stage; a field of
the wrong type (``"line": "ten"``, ``"evidence": 5``) would otherwise pass in silence or fail deep
inside a stage. The first problem is named by its JSON path, with what to do.
"""

from __future__ import annotations

import difflib
import json
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

from migrator.errors import InvalidGraph

if TYPE_CHECKING:
    from jsonschema import ValidationError
    from jsonschema.protocols import Validator

SCHEMA_FILE = "graph.schema.json"
SCHEMA_PATH = Path(__file__).with_name(SCHEMA_FILE)
"""Where the schema is, in a checkout or an installed package, for messages."""
HINT = f"fix that entry, or write the graph with `migrator analyze SRC -o graph.json`; its format is the JSON Schema {SCHEMA_PATH}"


@cache
def graph_validator() -> Validator:
    """The validator of graph.json documents (jsonschema, imported on first use)."""
    from jsonschema import Draft202012Validator

    schema = json.loads(files("migrator.model").joinpath(SCHEMA_FILE).read_text(encoding="utf-8"))
    return Draft202012Validator(schema)


def check_graph_document(data: Any, *, source: str) -> None:
    """Raise ``InvalidGraph`` naming the first place where ``data`` breaks the schema."""
    from jsonschema.exceptions import best_match

    error = best_match(graph_validator().iter_errors(data))
    if error is not None:
        raise InvalidGraph(f"{source}: {_where(error)}{_what(error)}{_whose(data, error)}", hint=HINT)


def _where(error: ValidationError) -> str:
    path = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.absolute_path).lstrip(".")
    return f"{path}: " if path else ""


def _what(error: ValidationError) -> str:
    if error.validator == "type" and not error.absolute_path:
        return f"not a migrator graph: a JSON object with a 'nodes' list is expected, not {type(error.instance).__name__}"
    if error.validator == "enum":
        choices = [str(choice) for choice in error.validator_value]
        close = difflib.get_close_matches(str(error.instance), choices, n=1)
        guess = f" (did you mean {close[0]!r}?)" if close else ""
        return f"{error.instance!r} is not one of {', '.join(choices)}{guess}"
    if error.validator == "const":
        return f"{error.instance!r}, expected {error.validator_value!r}"
    return error.message


def _whose(data: Any, error: ValidationError) -> str:
    """The node's id or the edge's ends, so that the entry can be found in a large file."""
    path = list(error.absolute_path)
    if len(path) < 3 or path[0] not in ("nodes", "edges") or not isinstance(path[1], int):
        return ""
    item = data[path[0]][path[1]]
    if path[0] == "nodes":
        return f" (node {item['id']})" if isinstance(item.get("id"), str) else ""
    ends = (item.get("source"), item.get("target"))
    return f" (edge {ends[0]} -> {ends[1]})" if all(isinstance(end, str) for end in ends) else ""
