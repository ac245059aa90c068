"""Reading source as written: attribute chains, arguments and beat schedule dicts."""

from __future__ import annotations

import ast

from analyzers.events.facts import Arg
from analyzers.events.vocabulary import BEAT_NAMES, SCHEDULE_TEXT_LIMIT
from analyzers.names import dotted


def _last(chain: str) -> str:
    return chain.rpartition(".")[2]


def _chain(node: ast.expr) -> str | None:
    """``a.b().c`` for an attribute chain that may contain calls, None for anything else."""
    tokens: list[str] = []
    while True:
        if isinstance(node, ast.Attribute):
            tokens.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Call):
            tokens.append("()")
            node = node.func
        elif isinstance(node, ast.Name):
            tokens.append(node.id)
            break
        else:
            return None
    text = ""
    for token in reversed(tokens):
        text += token if token == "()" else (f".{token}" if text else token)
    return text


def _arg(node: ast.expr, *, keep_text: bool = False) -> Arg:
    """What an argument is; with ``keep_text`` (schedules) anything else keeps its source text."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return Arg("str", node.value)
    if isinstance(node, (ast.Name, ast.Attribute)):
        name = dotted(node)
        if name:
            return Arg("name", name)
    elif isinstance(node, ast.Call):
        name = dotted(node.func)
        if name and isinstance(node.func, ast.Attribute) and node.func.attr in ("s", "si", "signature"):
            inner = dotted(node.func.value)
            if inner:
                return Arg("sig", inner)
        elif name and _last(name)[:1].isupper() and not keep_text:
            return Arg("new", name)
    elif isinstance(node, (ast.List, ast.Tuple)) and not keep_text:
        names = tuple(n for n in (dotted(e) for e in node.elts if isinstance(e, (ast.Name, ast.Attribute))) if n)
        return Arg("names", names)
    return Arg("other", _unparse(node) if keep_text else "")


def _unparse(node: ast.AST) -> str:
    text = node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else ast.unparse(node)
    return text if len(text) <= SCHEDULE_TEXT_LIMIT else text[: SCHEDULE_TEXT_LIMIT - 3] + "..."


def _join(scope: str, name: str) -> str:
    return f"{scope}.{name}" if scope else name


def _beat_entries(node: ast.Dict) -> tuple[Arg, ...]:
    entries: list[Arg] = []
    for key, value in zip(node.keys, node.values):
        if not (isinstance(key, ast.Constant) and isinstance(value, ast.Dict)):
            continue
        fields = {k.value: v for k, v in zip(value.keys, value.values) if isinstance(k, ast.Constant)}
        task = fields.get("task")
        if isinstance(task, ast.Constant) and isinstance(task.value, str):
            schedule = _unparse(fields["schedule"]) if "schedule" in fields else ""
            entries.append(Arg("beat", (str(key.value), task.value, schedule)))
    return tuple(entries)


def _beat_update(chain: str, call: ast.Call) -> tuple[Arg, ...]:
    """Beat entries of ``app.conf.update(beat_schedule={...})`` or ``beat_schedule.update({...})``."""
    for keyword in call.keywords:
        if keyword.arg in BEAT_NAMES and isinstance(keyword.value, ast.Dict):
            return _beat_entries(keyword.value)
    owner = chain.rpartition(".")[0]
    if _last(owner) in BEAT_NAMES and call.args and isinstance(call.args[0], ast.Dict):
        return _beat_entries(call.args[0])
    return ()
