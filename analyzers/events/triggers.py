"""Which lines, names and calls may hold a fact: cheap tests that decide what is walked."""

from __future__ import annotations

import ast
import re

from analyzers.events.vocabulary import (
    BUS_LIKE,
    ENQUEUE_NAMES,
    NOT_FOLLOWED_BY_LETTER,
    PUBLISH_NAME,
    SCHEDULE_HEAD,
    SCHEDULE_TAIL,
    SCHEDULED_DECORATORS,
    SIGNAL_DECORATORS,
    SUBSCRIBE_CALLS,
    SUBSCRIBE_DECORATORS,
    TASK_CALL_METHODS,
    TASK_DECORATORS,
    TRIGGER_WORDS,
    WHOLE_WORD_START,
)
from analyzers.words import Words, line_numbers


def name_tokens(name: str) -> list[str]:
    """``ScheduledJob`` and ``scheduled_job`` both give ``["scheduled", "job"]``."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return [t for t in spaced.lower().split("_") if t]


def is_schedule_name(name: str) -> bool:
    """Whether a decorator or registration call is named like a periodic-job scheduler."""
    tokens = name_tokens(name)
    return bool(tokens) and (tokens[-1] in SCHEDULE_TAIL or tokens[0] in SCHEDULE_HEAD)


def is_schedule_decorator(name: str) -> bool:
    """Decorators whose arguments say when the function runs (``@periodic_task(crontab())``)."""
    if name in SCHEDULED_DECORATORS:
        return True
    known = name in TASK_DECORATORS or name in SUBSCRIBE_DECORATORS or name in SIGNAL_DECORATORS
    return not known and is_schedule_name(name)


def _is_construct(name: str) -> bool:
    return "signal" in name.lower() or name.endswith(("Namespace", "Celery", "Huey", "Scheduler"))


def _interesting_call(name: str, chain: str, call: ast.Call) -> bool:
    if "." in chain and (name.startswith(("send", "asend")) or name in TASK_CALL_METHODS or name in SIGNAL_DECORATORS):
        return True
    if name in ENQUEUE_NAMES or name in ("send_task", "add_periodic_task"):
        return True
    if name in SUBSCRIBE_CALLS and call.args and isinstance(call.args[0], ast.Constant | ast.Name | ast.Attribute):
        return name != "register" or bool(BUS_LIKE.search(chain.rpartition(".")[0]))
    if PUBLISH_NAME.fullmatch(name) and (call.args or call.keywords):
        return True
    if name == "do" and "every()" in chain:
        return True
    return name == "update" or (bool(call.args or call.keywords) and is_schedule_name(name))


def _is_trigger(source: str, index: int, word: str) -> bool:
    if word in WHOLE_WORD_START and index and (source[index - 1].isalnum() or source[index - 1] == "_"):
        return False
    after = source[index + len(word) : index + len(word) + 1]
    if word == "handle":
        return after in ("r", "s")  # handler, handles; not ``def handle(self)`` of every command
    return not (word in NOT_FOLLOWED_BY_LETTER and after.isalpha())


_TRIGGERS = Words(TRIGGER_WORDS)


def _trigger_lines(source: str) -> list[int]:
    """Sorted numbers of the lines that hold a trigger word."""
    return line_numbers(source, [index for index, word in _TRIGGERS.occurrences(source) if _is_trigger(source, index, word)])
