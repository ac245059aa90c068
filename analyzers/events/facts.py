"""What the scan records per file: small picklable values, cached by qualified class name."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple


class Arg(NamedTuple):
    """An argument as written: ``tag`` says how to read ``value``.

    "name" a dotted reference; "str" a string literal; "new" an instance built by a CapWords call
    (``value`` is the class as written); "sig" a Celery signature ``fn.s()`` (``value`` is ``fn``);
    "names" a list or tuple of references (``value`` is a tuple); "other" anything else.
    """

    tag: str
    value: Any = ""


class Site(NamedTuple):
    """A call, decorator, assignment or beat schedule that may be an event or task fact."""

    kind: str
    """"call", "decorator", "assign" (module or class level ``x = Factory(...)``), "beat", or
    "class" (a class deriving from a ``*Signal`` class: ``args`` are its bases)."""
    scope: str
    """Enclosing function or class in the module ("" at module level); for a decorator the
    decorated function, for an assignment the variable, both as qualified names in the module."""
    callee: str
    """Dotted, with "()" marking a call inside the chain: ``signal().send``, ``Namespace().signal``."""
    line: int
    args: tuple[Arg, ...] = ()
    kwargs: tuple[tuple[str, Arg], ...] = ()
    receiver_args: tuple[Arg, ...] = ()
    """Arguments of the call the callee is a method of (``"x"`` in ``signal("x").send()``)."""
    text: str = ""
    """The schedule as written, for schedule-like sites; beat entries are in ``args``."""


@dataclass
class EventFacts:
    sites: list[Site] = field(default_factory=list)
