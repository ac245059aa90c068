"""Events and background tasks: who publishes an event, who subscribes to it, what runs a task.

Edges follow the flow: publisher -> ``event:<name>`` (PUBLISHES), event -> subscriber
(SUBSCRIBES); caller -> ``task:<function>`` (PUBLISHES), task -> function (HANDLES). Publishers
and callers are the enclosing function or method (the module for module-level code); handlers
given as references (``connect(handler)``, ``add_job(fn)``) are resolved with the project's
``NameResolver``. Names that cannot be resolved give no edge; an unresolved handler of a known
event or task is reported as skipped. A decorated handler nested in a function subscribes as
that function (nested functions are no graph nodes); a nested task function is left out.

Django signals (framework "django-signal")
    * ``x = Signal()`` at module or class level, where the class is ``django.dispatch.Signal`` or
      a subclass of ours (pretix's ``EventPluginSignal``): ``event:<qualified name of x>``.
    * ``x.send(...)`` and every ``send*``/``asend*`` method (``send_robust``, ``send_chained``)
      publish; ``x.connect(handler, sender=...)``, ``@receiver(x)``, ``@receiver([x, y],
      sender=...)`` subscribe (the sender, when resolved, is kept on the edge as ``sender``).
    * Signals of other packages are recognised when their dotted name has a ``signals`` part
      (``django.core.signals.request_finished``): ``event:<that dotted name>``. Anything passed
      to ``@receiver`` is a signal, so there any resolvable name is accepted.
    * Built-in model signals (``pre_init``, ``post_init``, ``pre_save``, ``post_save``,
      ``pre_delete``, ``post_delete``, ``m2m_changed``) get one event per signal and sender:
      ``event:post_save:<model qualified name>`` (attrs ``signal``, ``sender``), published by the
      model itself (Django sends them from ``save``/``delete``), so the model node gets a
      PUBLISHES edge (attrs ``implicit``). One event per (signal, sender) keeps unrelated models' receivers apart;
      a single ``post_save`` node would tie every receiver of the project together. Without a
      sender we can resolve (none, ``settings.AUTH_USER_MODEL``) the event is
      ``event:django.db.models.signals.post_save``. ``sender="app_label.Model"`` strings are
      matched to a class ``Model`` of ours in a package named ``app_label``; an m2m ``through``
      sender (``Order.items.through``) counts as its model.

blinker (framework "blinker")
    ``signal("name")``, ``Namespace().signal("name")``, ``ns.signal("name")`` with ``ns =
    Namespace()``: ``event:name``; an anonymous ``Signal()``: ``event:<variable>``. Publishing
    with ``.send``, subscribing with ``.connect(fn)``, ``@sig.connect``, ``@sig.connect_via(x)``;
    ``signal("name").send()`` inline works too. Namespaces are separate registries: when two of
    them define the same name (indico has ``created`` for categories and for events), each of
    those signals is ``event:<variable>`` instead. ``flask.request_started`` and the other
    signals flask re-exports are ``event:flask.signals.<name>``.

In-process dispatchers (framework "dispatcher"), the project's own publish/subscribe registry
    * Publishing: a call of a function or method named ``publish``, ``emit``, ``dispatch``,
      ``fire``, ``trigger``, ``notify``, ``send_event``, ``raise_event`` (optionally with an
      ``_event`` suffix) whose first argument (or ``event=``/``name=``/``topic=``) is an
      event-like string literal (an identifier with ``.:/-``, no spaces), giving ``event:<name>``,
      or an instance of a class of ours, ``publish(OrderPlaced(...))``: ``event:<class>``.
    * Subscribing: a decorator named ``subscribe``, ``subscriber``, ``on``, ``listen``,
      ``listener``, ``handler``, ``handles``, ``register_handler``, ``on_event``,
      ``event_handler``, ``subscribe_to`` with such a literal or a class of ours; or a call
      ``subscribe("name", fn)``, ``bus.on("name", fn)``, ``add_listener``, ``add_handler``, and
      ``register`` when its receiver is named like a bus (``bus``, ``events``, ``dispatcher``,
      ``emitter``, ``hub``, ``broker``, ``pubsub``, ``observer``, ``mediator``).
    * Guards against false positives: callees that resolve outside the project are ignored
      (``socketio.emit``, ``sqlalchemy.event.listen``), so are non-literal names, messages with
      spaces (``notify("Backup done")``), FastAPI's ``on_event("startup"/"shutdown")``. Logging,
      ``signal.signal(SIGTERM, ...)`` and ``requests.post`` never match the names above.

Tasks (``task:<qualified function>``)
    * Celery ``@shared_task``, ``@app.task``, ``@celery.task(bind=True)``, ``@task``,
      ``@periodic_task(run_every=...)``; RQ ``@job("queue")``, ``queue.enqueue(fn)``,
      ``enqueue_call(func=fn)``, ``enqueue_in/at(when, fn)``; dramatiq ``@dramatiq.actor``; huey
      ``@huey.task()``, ``@huey.periodic_task(crontab(...))``, ``@db_task``; APScheduler
      ``scheduler.add_job(fn, "interval", ...)``, ``@scheduler.scheduled_job("cron", ...)``;
      ``schedule.every(10).minutes.do(fn)``. The framework comes from what the decorator or its
      app resolves to (``app = Celery(...)``, ``huey = RedisHuey()``).
    * Celery beat: ``beat_schedule``/``CELERYBEAT_SCHEDULE``/``CELERY_BEAT_SCHEDULE`` dicts
      (also ``app.conf.beat_schedule = {...}`` and ``app.conf.update(beat_schedule={...})``)
      and ``add_periodic_task(schedule, fn.s())`` set the task's ``schedule``.
    * In-house periodic jobs (framework "scheduler"): a decorator, or a call receiving a
      function of ours, whose name ends with ``job``/``jobs``/``schedule``/``cron``/``every``/...
      or starts with ``periodic``/``every``/``cron``/``schedule``/``recurring``
      (``ScheduledJob("nightly", fn)``, ``register_job(fn)``, ``@every(minutes=5)``). The first
      string argument (or ``name=``/``id=``) becomes the task's ``name``.
    * Callers (the edge's ``via`` says how): ``fn.delay``, ``fn.apply_async``,
      ``fn.s``/``si``/``signature`` (on any function of ours: they exist only on Celery tasks, so
      one whose decorator we did not recognise becomes a task with ``inferred: True``),
      ``fn.send``/``send_with_options`` (known tasks), ``enqueue(fn)``,
      ``send_task("pkg.tasks.fn")`` (matched against the tasks' default and explicit names; an
      unknown name gets a task node of its own without a handler). Registering a periodic job is
      not a call of it: the registrar gets no PUBLISHES edge.

Not recognised: class-based Celery tasks, direct calls of huey tasks (which enqueue them),
handlers registered through loops or dicts or built by factories (``connect(make_handler())``),
signals stored on instances (``self.changed.send``), event names built at run time.
"""

from __future__ import annotations

import ast
import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from analyzers.base import Analyzer, Contribution, ParsedModule, Project, Skipped
from analyzers.names import dotted
from migrator.model.facts import Edge, EdgeKind, Node, NodeKind

# -- vocabulary ---------------------------------------------------------------------------------

TRIGGER_WORDS = (
    "ignal", "receiver", ".connect", "send", "publish", "emit", "dispatch", "fire", "trigger", "notify",
    "raise_event", "subscribe", "listen", "handle", "on(", "on_event", "register", "task", "delay", "apply_async",
    ".s(", ".si(", "signature", "enqueue", "actor", "job", "Job", "chedul", "SCHEDULE", "periodic", "cron", "every",
    "Namespace", "Celery", "Huey",
)
"""A fact starts on a line holding one of these; a file without any is not walked at all, and
statements that span none of these lines are skipped (plain ``str.find``: a regex alternation of
this size is five times slower)."""
WHOLE_WORD_START = frozenset({"on(", "actor", "every"})
"""Not inside another word: ``json(``, ``factory``, ``everything`` are no triggers."""
NOT_FOLLOWED_BY_LETTER = frozenset({".connect", "every"})
"""``.connection`` and ``everyone`` are no triggers either."""

PUBLISH_NAME = re.compile(r"(?:publish|emit|dispatch|fire|trigger|notify|send_event|raise_event)(?:_event)?")
SUBSCRIBE_DECORATORS = frozenset(
    {"subscribe", "subscriber", "on", "listen", "listener", "handler", "handles", "register_handler",
     "on_event", "event_handler", "subscribe_to"}
)
SUBSCRIBE_CALLS = frozenset(
    {"subscribe", "on", "listen", "add_listener", "add_handler", "register_handler", "subscribe_to", "on_event",
     "add_event_handler", "register"}
)
BUS_LIKE = re.compile(r"bus|event|dispatch|emitter|hub|broker|pubsub|observer|mediator", re.IGNORECASE)
"""``register`` is too common (admin, template tags) unless called on something named like a bus."""
LIFECYCLE_EVENTS = frozenset({"startup", "shutdown", "lifespan"})
EVENT_NAME = re.compile(r"[A-Za-z_][\w.:/\-]{0,99}")
EVENT_KEYWORDS = ("event", "event_name", "event_type", "name", "topic")
HANDLER_KEYWORDS = ("handler", "callback", "fn", "func", "listener", "receiver")

TASK_CALL_METHODS = frozenset({"delay", "apply_async", "s", "si", "signature", "send", "send_with_options"})
CELERY_ONLY_METHODS = frozenset({"delay", "apply_async", "s", "si", "signature"})
ENQUEUE_NAMES = frozenset({"enqueue", "enqueue_call", "enqueue_in", "enqueue_at"})
TASK_DECORATORS = {
    "task": "celery", "shared_task": "celery", "periodic_task": "celery", "db_task": "huey",
    "db_periodic_task": "huey", "actor": "dramatiq", "job": "rq", "scheduled_job": "apscheduler",
}
"""Decorator name -> the framework it means when nothing more specific is known."""
SCHEDULED_DECORATORS = frozenset({"periodic_task", "db_periodic_task", "scheduled_job"})
SIGNAL_DECORATORS = frozenset({"receiver", "connect", "connect_via"})
FRAMEWORK_PACKAGES = {
    "celery": "celery", "huey": "huey", "dramatiq": "dramatiq", "periodiq": "dramatiq", "rq": "rq",
    "django_rq": "rq", "rq_scheduler": "rq", "apscheduler": "apscheduler", "flask_apscheduler": "apscheduler",
    "django_apscheduler": "apscheduler", "schedule": "schedule",
}
"""External top-level packages whose decorators and calls define tasks, and their framework."""
SCHEDULE_TAIL = frozenset({"job", "jobs", "schedule", "scheduled", "cron", "crontab", "every", "periodic"})
SCHEDULE_HEAD = frozenset({"periodic", "every", "cron", "schedule", "scheduled", "recurring"})
JOB_KEYWORDS = ("func", "fn", "job", "target", "callback", "task")
NOT_SCHEDULE_OPTIONS = frozenset(
    {"bind", "name", "base", "queue", "id", "args", "kwargs", "replace_existing", "max_instances",
     "misfire_grace_time", "coalesce", "jobstore", "executor", "retries", "retry_delay", "priority",
     "autoretry_for", "ignore_result", "acks_late", "time_limit", "soft_time_limit", "serializer", "trail",
     "options", "expires", "context", "max_retries", "default_retry_delay", "rate_limit", "retry_backoff",
     "queue_name", "actor_name", "timeout", "result_ttl", "connection", "func", "fn", "job", "target",
     "callback", "task"}
)
BEAT_NAMES = frozenset({"beat_schedule", "CELERYBEAT_SCHEDULE", "CELERY_BEAT_SCHEDULE"})

DJANGO_SIGNAL_CLASSES = frozenset(
    {"django.dispatch.Signal", "django.dispatch.dispatcher.Signal", "django.db.models.signals.ModelSignal"}
)
DJANGO_RECEIVERS = frozenset({"django.dispatch.receiver", "django.dispatch.dispatcher.receiver"})
MODEL_SIGNALS = frozenset(
    f"django.db.models.signals.{n}"
    for n in ("pre_init", "post_init", "pre_save", "post_save", "pre_delete", "post_delete", "m2m_changed")
)
BLINKER_NAMED = frozenset({"blinker.signal", "blinker.base.signal", "blinker.NamedSignal", "blinker.base.NamedSignal"})
BLINKER_ANONYMOUS = frozenset({"blinker.Signal", "blinker.base.Signal"})
BLINKER_NAMESPACES = frozenset(
    {"blinker.Namespace", "blinker.base.Namespace", "blinker.WeakNamespace", "blinker.base.WeakNamespace",
     "flask.signals.Namespace"}
)
FLASK_SIGNALS = frozenset(
    {"template_rendered", "before_render_template", "request_started", "request_finished", "request_tearing_down",
     "got_request_exception", "appcontext_tearing_down", "appcontext_pushed", "appcontext_popped", "message_flashed"}
)
"""Re-exported by ``flask`` itself; named ``flask.signals.<name>`` like other packages' signals."""
APP_CLASSES = {
    "celery.Celery": "celery", "celery.app.Celery": "celery", "celery.app.base.Celery": "celery",
    "huey.Huey": "huey", "huey.RedisHuey": "huey", "huey.SqliteHuey": "huey", "huey.MemoryHuey": "huey",
    "huey.FileHuey": "huey", "huey.PriorityRedisHuey": "huey", "huey.RedisExpireHuey": "huey",
}
"""Objects whose ``.task`` decorator makes tasks; APScheduler schedulers are matched by package."""
SCHEDULE_TEXT_LIMIT = 120


# -- scan: what is written, as small picklable values ------------------------------------------

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


def _trigger_lines(source: str) -> list[int]:
    """Sorted numbers of the lines that hold a trigger word."""
    offsets: list[int] = []
    for word in TRIGGER_WORDS:
        index = source.find(word)
        while index != -1:
            if _is_trigger(source, index, word):
                offsets.append(index)
            index = source.find(word, index + 1)
    offsets.sort()
    lines: list[int] = []
    line, last = 1, 0
    for offset in offsets:
        line += source.count("\n", last, offset)
        last = offset
        if not lines or lines[-1] != line:
            lines.append(line)
    return lines


class _Scanner:
    """Walks only the statements that span a trigger line, and records candidate sites."""

    def __init__(self, lines: list[int]) -> None:
        self.lines = lines
        self.sites: list[Site] = []

    def _touches(self, node: ast.AST) -> bool:
        start = getattr(node, "lineno", None)
        if start is None:
            return True
        for decorator in getattr(node, "decorator_list", ()):
            start = min(start, decorator.lineno)
        index = bisect_left(self.lines, start)
        return index < len(self.lines) and self.lines[index] <= (node.end_lineno or start)

    def body(self, statements: Iterable[ast.AST], scope: str, in_function: bool) -> None:
        for statement in statements:
            if self._touches(statement):
                self.statement(statement, scope, in_function)

    def statement(self, node: ast.AST, scope: str, in_function: bool) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self._function(node, scope, in_function)
        elif isinstance(node, ast.ClassDef):
            inner = scope if in_function else _join(scope, node.name)
            self._class_bases(node, inner, in_function)
            self.body(node.body, inner, in_function)
        else:
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                self._assignment(node, scope, in_function)
            self._children(node, scope, in_function)

    def _children(self, node: ast.AST, scope: str, in_function: bool) -> None:
        for _, value in ast.iter_fields(node):
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, (ast.stmt, ast.excepthandler, ast.match_case)):
                        if self._touches(item):
                            self.statement(item, scope, in_function)
                    elif isinstance(item, ast.expr):
                        self.expression(item, scope)
            elif isinstance(value, ast.expr):
                self.expression(value, scope)

    def _class_bases(self, node: ast.ClassDef, qualified: str, in_function: bool) -> None:
        """Bases of signal classes, generic ones included (``PluginSignal[Event]``)."""
        if in_function:
            return
        bases = [dotted(b.value if isinstance(b, ast.Subscript) else b) for b in node.bases]
        if any(b and "ignal" in _last(b) for b in bases):
            self.sites.append(Site("class", qualified, "", node.lineno, tuple(Arg("name", b) for b in bases if b)))

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, scope: str, in_function: bool) -> None:
        # a nested function is no node of the graph: its facts belong to the enclosing one
        qualified = scope if in_function else _join(scope, node.name)
        for decorator in node.decorator_list:
            self._decorator(decorator, qualified)
            if isinstance(decorator, ast.Call):  # the decorator call itself is no call site
                for argument in [*decorator.args, *(k.value for k in decorator.keywords)]:
                    self.expression(argument, scope)
        for default in [*node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)]:
            self.expression(default, scope)
        self.body(node.body, qualified, True)

    def _decorator(self, node: ast.expr, qualified: str) -> None:
        call = node if isinstance(node, ast.Call) else None
        chain = _chain(call.func if call else node)
        if not chain or chain.endswith(")"):
            return
        name = _last(chain)
        known = name in TASK_DECORATORS or name in SUBSCRIBE_DECORATORS or name in SIGNAL_DECORATORS
        if not known and not is_schedule_name(name):
            return
        keep_text = is_schedule_decorator(name)
        self.sites.append(self._site("decorator", qualified, chain, node.lineno, call, keep_text=keep_text))

    def _site(
        self,
        kind: str,
        scope: str,
        chain: str,
        line: int,
        call: ast.Call | None,
        *,
        keep_text: bool = False,
        text: str = "",
    ) -> Site:
        if call is None:
            return Site(kind, scope, chain, line, text=text)
        receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
        receiver_args = tuple(_arg(a) for a in receiver.args) if isinstance(receiver, ast.Call) else ()
        return Site(
            kind, scope, chain, line,
            tuple(_arg(a, keep_text=keep_text) for a in call.args),
            tuple((k.arg, _arg(k.value, keep_text=keep_text)) for k in call.keywords if k.arg),
            receiver_args,
            text,
        )

    def _assignment(self, node: ast.Assign | ast.AnnAssign, scope: str, in_function: bool) -> None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        value = node.value
        for target in targets:
            written = dotted(target)
            if written and _last(written) in BEAT_NAMES and isinstance(value, ast.Dict):
                self.sites.append(Site("beat", scope, written, node.lineno, _beat_entries(value)))
            elif isinstance(target, ast.Name) and not in_function and isinstance(value, ast.Call):
                chain = _chain(value.func)
                if chain and _is_construct(_last(chain)):
                    self.sites.append(self._site("assign", _join(scope, target.id), chain, node.lineno, value))

    def expression(self, node: ast.expr, scope: str) -> None:
        for child in ast.walk(node):
            if type(child) is ast.Call:
                self._call(child, scope)

    def _call(self, call: ast.Call, scope: str) -> None:
        chain = _chain(call.func)
        if not chain or chain.endswith(")"):
            return
        name = _last(chain)
        if not _interesting_call(name, chain, call):
            return
        if name == "update":
            beat = _beat_update(chain, call)
            if beat:
                self.sites.append(Site("beat", scope, chain, call.lineno, beat))
            return
        # ``schedule.every(10).minutes.do(fn)``: the schedule is the chain before ``do``
        text = _unparse(call.func.value) if name == "do" and isinstance(call.func, ast.Attribute) else ""
        keep_text = name == "add_periodic_task" or is_schedule_name(name)
        self.sites.append(self._site("call", scope, chain, call.lineno, call, keep_text=keep_text, text=text))


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


# -- link: what it means -------------------------------------------------------------------------

@dataclass(frozen=True)
class _Signal:
    event: str
    framework: str
    attrs: tuple[tuple[str, str], ...] = ()
    model_signal: str | None = None
    """For built-in model signals: the signal's dotted name; the event then depends on the sender."""

    def node_attrs(self) -> dict[str, Any]:
        return {"framework": self.framework, **dict(self.attrs)}


@dataclass
class _Pending:
    """A node being assembled: attributes and the places it was seen."""

    kind: NodeKind
    attrs: dict[str, Any]
    definition: tuple[str, int] | None = None
    places: list[tuple[str, int]] = field(default_factory=list)

    def node(self, node_id: str) -> Node:
        file, line = self.definition or (min(self.places) if self.places else (None, None))
        return Node(node_id, self.kind, file, line, (), self.attrs)


class _Module(NamedTuple):
    """Where a site was written: its module, the file, and the qualified scope name."""

    name: str
    relpath: str

    def scope(self, site: Site) -> str:
        return f"{self.name}.{site.scope}" if site.scope else self.name

    def place(self, site: Site) -> str:
        return f"{self.relpath}:{site.line}"


class _Linker:
    def __init__(self, project: Project, analyzer: str) -> None:
        self.project = project
        self.names = project.names
        self.out = Contribution()
        self.pending: dict[str, _Pending] = {}
        self.signals: dict[str, _Signal] = {}
        self.namespaces: set[str] = set()
        self.named: list[tuple[str, str, str, tuple[str, int]]] = []
        """Blinker named signals: variable, name, namespace ("" for the global one), place."""
        self.apps: dict[str, str] = {}
        self.tasks: dict[str, str] = {}
        """Function -> task id."""
        self.task_names: dict[str, str] = {}
        """Celery task name (default or explicit) -> task id."""
        self.sites: list[tuple[_Module, Site]] = []
        for module, facts in sorted(project.facts(analyzer).items()):
            if facts is not None:
                where = _Module(module, project.files[module].relpath)
                self.sites.extend((where, site) for site in facts.sites)
        self._signal_classes: dict[str, bool] = {}
        self.signal_bases: dict[str, list[str]] = {}
        """Bases of classes deriving from ``*Signal`` classes, as the scan saw them."""
        self._labels: dict[str, str | None] = {}

    def run(self) -> Contribution:
        for where, site in self._of("class"):
            resolved = (self.names.resolve(where.name, base.value) for base in site.args)
            self.signal_bases[f"{where.name}.{site.scope}"] = [b for b in resolved if b]
        for where, site in self._of("assign"):
            self._construct(where, site, namespaces_only=True)
        for where, site in self._of("assign"):
            self._construct(where, site, namespaces_only=False)
        self._name_blinker_signals()
        for where, site in self._of("decorator"):
            self._task_decorator(where, site)
        for where, site in self._of("call"):
            self._job_registration(where, site)
        for where, site in self._of("decorator"):
            self._subscribe_decorator(where, site)
        for where, site in self._of("call"):
            self._call(where, site)
        for where, site in self._of("beat"):
            self._beat(where, site)
        self.out.nodes.extend(p.node(i) for i, p in sorted(self.pending.items()))
        return self.out

    def _of(self, kind: str) -> Iterator[tuple[_Module, Site]]:
        return ((w, s) for w, s in self.sites if s.kind == kind)

    # -- names ----------------------------------------------------------------------------------

    def resolve(self, where: _Module, expr: str, site: Site) -> str | None:
        """The canonical name of a chain as written; a call inside it is kept as "()"."""
        head, marker, rest = expr.partition("()")
        resolved = self.names.resolve(where.name, head, scope=where.scope(site)) if head else None
        return f"{resolved}{marker}{rest}" if resolved else None

    def resolve_name(self, where: _Module, expr: str, site: Site) -> str | None:
        """Resolve a dotted name; a decorator's argument is read before the function shadows it."""
        qualified = self.names.resolve(where.name, expr, scope=where.scope(site))
        if site.kind == "decorator" and qualified == f"{where.name}.{site.scope}":
            # ``@receiver(order_paid) def order_paid(...)``: the name still means the import
            return self.imported(where, expr)
        return qualified

    def imported(self, where: _Module, expr: str) -> str | None:
        """What ``expr`` means through the module's imports alone, even where a definition shadows them."""
        head, _, rest = expr.partition(".")
        binding = self.names.summaries[where.name].bindings.get(head)
        return self.names.canonical(".".join(p for p in (binding, rest) if p)) if binding else None

    def is_external(self, qualified: str | None) -> bool:
        return qualified is not None and not self.names.is_internal(qualified)

    def callable(self, where: _Module, arg: Arg, site: Site) -> str | None:
        """The function, method or class of ours an argument refers to (a name or a dotted string)."""
        if arg.tag in ("name", "sig"):
            target = self.names.resolve(where.name, arg.value, scope=where.scope(site))
        elif arg.tag == "str":
            target = arg.value.replace(":", ".")
        else:
            return None
        return self._as_callable(target)

    def _as_callable(self, target: str | None) -> str | None:
        if target is None or not self.names.is_internal(target):
            return None
        kind = self.names.kind(target)
        if kind == "variable":
            followed = self.names.follow_variable(target)
            target, kind = (followed, self.names.kind(followed)) if followed else (target, kind)
        elif kind is None and "." in target:
            owner, _, member = target.rpartition(".")
            found = self.names.find_member(owner, member) if self.names.kind(owner) == "class" else None
            target, kind = (found, self.names.kind(found)) if found else (target, kind)
        return target if kind in ("function", "method", "class") and target else None

    def is_signal_class(self, qualified: str) -> bool:
        """Whether a class is Django's ``Signal`` or derives from it."""
        if qualified not in self._signal_classes:
            self._signal_classes[qualified] = False  # a cycle of bases is no signal
            bases = self.signal_bases.get(qualified) or self.names.bases(qualified)
            found = qualified in DJANGO_SIGNAL_CLASSES or any(self.is_signal_class(b) for b in bases)
            self._signal_classes[qualified] = found
        return self._signal_classes[qualified]

    # -- nodes and edges ------------------------------------------------------------------------

    def node(
        self,
        node_id: str,
        kind: NodeKind,
        attrs: dict[str, Any],
        place: tuple[str, int] | None = None,
        *,
        definition: bool = False,
    ) -> _Pending:
        """Emit (or complete) a node: first attributes win; the definition, else the first place, locates it."""
        pending = self.pending.setdefault(node_id, _Pending(kind, {}))
        for key, value in attrs.items():
            pending.attrs.setdefault(key, value)
        if place is not None:
            if definition and pending.definition is None:
                pending.definition = place
            pending.places.append(place)
        return pending

    def edge(self, source: str, target: str, kind: EdgeKind, where: _Module, site: Site, **attrs: Any) -> None:
        self.out.edges.append(Edge(source, target, kind, 1.0, (where.place(site),), attrs))

    def skip(self, where: _Module, site: Site, reason: str) -> None:
        self.out.skipped.append(Skipped(where.relpath, reason, site.line))

    # -- definitions: signals, namespaces, apps ---------------------------------------------------

    def _construct(self, where: _Module, site: Site, *, namespaces_only: bool) -> None:
        variable = f"{where.name}.{site.scope}"
        factory = self.resolve(where, site.callee, site)
        if factory is None:
            return
        literal = site.args[0].value if site.args and site.args[0].tag == "str" else None
        if namespaces_only:
            if factory in BLINKER_NAMESPACES:
                self.namespaces.add(variable)
            return
        place = (where.relpath, site.line)
        namespace = self._namespace_of(factory, variable)
        if self.is_signal_class(factory):
            self._define(variable, _Signal(f"event:{variable}", "django-signal"), place)
        elif factory in BLINKER_ANONYMOUS:
            self._define(variable, _Signal(f"event:{variable}", "blinker"), place)
        elif literal and namespace is not None:
            self.named.append((variable, literal, namespace, place))
        elif factory in APP_CLASSES:
            self.apps[variable] = APP_CLASSES[factory]
        elif factory.startswith(("apscheduler.", "huey.")):
            self.apps[variable] = FRAMEWORK_PACKAGES[factory.split(".")[0]]

    def _define(self, variable: str, signal: _Signal, place: tuple[str, int]) -> None:
        self.signals[variable] = signal
        self.node(signal.event, NodeKind.EVENT, signal.node_attrs(), place, definition=True)

    def _name_blinker_signals(self) -> None:
        """``event:<name>``, unless two namespaces define the name: then ``event:<variable>``."""
        namespaces: dict[str, set[str]] = {}
        for _, literal, namespace, _ in self.named:
            namespaces.setdefault(literal, set()).add(namespace)
        for variable, literal, namespace, place in self.named:
            shared = namespace == "" or len(namespaces[literal]) == 1
            event = f"event:{literal}" if shared else f"event:{variable}"
            self._define(variable, _Signal(event, "blinker", (("name", literal),)), place)

    def _namespace_of(self, factory: str, variable: str) -> str | None:
        """Which registry a named-signal factory uses: "" for blinker's global ``signal()``, the
        namespace variable for ``ns.signal``; None when the factory makes no named signal."""
        if factory in BLINKER_NAMED:
            return ""
        owner, _, method = factory.rpartition(".")
        if method != "signal":
            return None
        if owner in self.namespaces:
            return owner
        return variable if owner.removesuffix("()") in BLINKER_NAMESPACES else None

    def signal(self, where: _Module, site: Site, expr: str, receiver_args: tuple[Arg, ...] = ()) -> _Signal | None:
        """The signal that ``expr`` (the receiver of ``.send``/``.connect``) is, if it is one."""
        if expr.endswith("()"):  # ``signal("name").send()``
            factory = self.resolve(where, expr[:-2], site)
            literal = receiver_args[0].value if receiver_args and receiver_args[0].tag == "str" else None
            namespace = self._namespace_of(factory, "") if factory and literal else None
            if namespace is None:
                return None
            defined = next((self.signals[v] for v, n, k, _ in self.named if (n, k) == (literal, namespace)), None)
            return defined or _Signal(f"event:{literal}", "blinker", (("name", literal),))
        if "()" in expr:
            return None
        qualified = self.resolve_name(where, expr, site)
        found = self._known_signal(qualified)
        if found is None and qualified and self.names.kind(qualified) in ("function", "class"):
            # a function-local ``from .signals import x`` inside a function also named x
            imported = self.imported(where, expr)
            found = self._known_signal(imported) if imported != qualified else None
        return found

    def _known_signal(self, qualified: str | None) -> _Signal | None:
        if qualified is None:
            return None
        if qualified in MODEL_SIGNALS:
            return _Signal(f"event:{qualified}", "django-signal", model_signal=qualified)
        if qualified in self.signals:
            return self.signals[qualified]
        if not self.is_external(qualified):
            return None
        if qualified.startswith("flask.") and _last(qualified) in FLASK_SIGNALS:
            qualified = f"flask.signals.{_last(qualified)}"
        if "signals" in qualified.split(".")[1:-1]:
            return _Signal(f"event:{qualified}", _external_framework(qualified))
        return None

    def sender(self, where: _Module, site: Site, arg: Arg | None) -> str | None:
        """The class a ``sender=`` argument names: a reference, or an "app_label.Model" string."""
        if arg is None:
            return None
        if arg.tag == "str":
            return self._model_by_label(arg.value)
        if arg.tag != "name" or arg.value.partition(".")[0] in ("self", "cls"):
            return None  # ``sender=cls`` in ``contribute_to_class(self, cls, ...)`` is any model
        qualified = self.names.resolve(where.name, arg.value, scope=where.scope(site))
        if qualified is None:
            return None
        if self.names.is_internal(qualified):
            parts = qualified.split(".")
            for end in range(len(parts), 0, -1):  # ``Order.items.through`` is about Order
                candidate = ".".join(parts[:end])
                if self.names.kind(candidate) == "class":
                    return candidate
            return None
        return qualified if _last(qualified)[:1].isupper() else None

    def _model_by_label(self, label: str) -> str | None:
        if label not in self._labels:
            app, _, model = label.rpartition(".")
            found = [
                f"{module}.{model}"
                for module, summary in self.names.summaries.items()
                if app and app in module.split(".") and getattr(summary.definitions.get(model), "kind", None) == "class"
            ]
            self._labels[label] = found[0] if len(found) == 1 else None
        return self._labels[label]

    def signal_event(self, signal: _Signal, sender: str | None, where: _Module, site: Site) -> str:
        """The event id of a signal used with ``sender``; emits its node (and the model's edge)."""
        place = (where.relpath, site.line)
        if signal.model_signal and sender:
            short = _last(signal.model_signal)
            event = f"event:{short}:{sender}"
            attrs = {"framework": "django-signal", "signal": signal.model_signal, "sender": sender}
            self.node(event, NodeKind.EVENT, attrs, place)
            self.edge(sender, event, EdgeKind.PUBLISHES, where, site, implicit=True)
            return event
        self.node(signal.event, NodeKind.EVENT, signal.node_attrs(), place)
        return signal.event

    # -- subscribers ------------------------------------------------------------------------------

    def _subscribe_decorator(self, where: _Module, site: Site) -> None:
        handler = f"{where.name}.{site.scope}"
        name = _last(site.callee)
        if name == "receiver":
            self._receiver(where, site, handler)
        elif name in ("connect", "connect_via"):
            signal = self.signal(where, site, site.callee.rpartition(".")[0], site.receiver_args)
            given = site.args[0] if name == "connect_via" and site.args else _kw(site, "sender")
            sender = self.sender(where, site, given)
            if signal is not None:
                self._subscribe(self.signal_event(signal, sender, where, site), handler, where, site, sender)
        elif name in SUBSCRIBE_DECORATORS and not self.is_external(self.resolve(where, site.callee, site)):
            for event in self._dispatcher_events(where, site, _first(site, EVENT_KEYWORDS)):
                self._subscribe(event, handler, where, site, None)

    def _receiver(self, where: _Module, site: Site, handler: str) -> None:
        resolved = self.resolve(where, site.callee, site)
        if self.is_external(resolved) and resolved not in DJANGO_RECEIVERS:
            return
        exprs = _references(_first(site, ("signal",)))
        if not exprs:
            self.skip(where, site, "events: the signal of this @receiver is not a name we can follow")
            return
        sender = self.sender(where, site, _kw(site, "sender"))
        for expr in exprs:
            signal = self.signal(where, site, expr) or self._any_signal(where, site, expr)
            if signal is None:
                self.skip(where, site, f"events: signal {expr!r} of @receiver could not be resolved")
                continue
            self._subscribe(self.signal_event(signal, sender, where, site), handler, where, site, sender)

    def _any_signal(self, where: _Module, site: Site, expr: str) -> _Signal | None:
        """Whatever ``@receiver`` gets is a Django signal, even one we did not see defined."""
        qualified = self.resolve_name(where, expr, site)
        return _Signal(f"event:{qualified}", "django-signal") if qualified else None

    def _subscribe(self, event: str, handler: str, where: _Module, site: Site, sender: str | None) -> None:
        attrs = {"sender": sender} if sender else {}
        self.edge(event, handler, EdgeKind.SUBSCRIBES, where, site, **attrs)

    def _dispatcher_events(self, where: _Module, site: Site, arg: Arg | None) -> list[str]:
        """Event ids named by a dispatcher's argument: an event-like literal or classes of ours."""
        if arg is None:
            return []
        place = (where.relpath, site.line)
        if arg.tag == "str":
            if not EVENT_NAME.fullmatch(arg.value):
                return []
            if arg.value in LIFECYCLE_EVENTS and _last(site.callee) in ("on_event", "add_event_handler"):
                return []
            event = f"event:{arg.value}"
            self.node(event, NodeKind.EVENT, {"framework": "dispatcher", "name": arg.value}, place)
            return [event]
        exprs = (arg.value,) if arg.tag == "new" else _references(arg)
        events = []
        for expr in exprs:
            qualified = self.resolve_name(where, expr, site)
            if qualified and self.names.is_internal(qualified) and self.names.kind(qualified) == "class":
                self.node(f"event:{qualified}", NodeKind.EVENT, {"framework": "dispatcher", "class": qualified}, place)
                events.append(f"event:{qualified}")
        return events

    # -- calls --------------------------------------------------------------------------------------

    def _call(self, where: _Module, site: Site) -> None:
        name = _last(site.callee)
        owner = site.callee.rpartition(".")[0]
        caller = where.scope(site)
        if owner and (name.startswith(("send", "asend")) or name in ("connect", "connect_via")):
            signal = self.signal(where, site, owner, site.receiver_args)
            if signal is not None:
                self._signal_call(signal, name, caller, where, site)
                return
        if owner and name in TASK_CALL_METHODS:
            self._task_call(where, site, owner, name, caller)
        elif name in ENQUEUE_NAMES:
            self._enqueue(where, site, caller)
        elif name == "send_task":
            self._send_task(where, site, caller)
        elif name == "add_periodic_task":
            self._periodic(where, site)
        elif PUBLISH_NAME.fullmatch(name):
            self._publish(where, site, caller)
        elif name in SUBSCRIBE_CALLS:
            self._subscribe_call(where, site, owner)

    def _signal_call(self, signal: _Signal, method: str, caller: str, where: _Module, site: Site) -> None:
        if method.startswith(("send", "asend")):
            # Django: send(sender, **kwargs); blinker: send(sender, **kwargs) as well
            sender = self.sender(where, site, _kw(site, "sender") or (site.args[0] if site.args else None))
            self.edge(caller, self.signal_event(signal, sender, where, site), EdgeKind.PUBLISHES, where, site)
            return
        handler_arg = site.args[0] if site.args else _kw(site, "receiver")
        sender_arg = _kw(site, "sender") or (site.args[1] if len(site.args) > 1 else None)
        sender = self.sender(where, site, sender_arg)
        event = self.signal_event(signal, sender, where, site)
        handler = self.callable(where, handler_arg, site) if handler_arg else None
        if handler is None:
            self.skip(where, site, f"events: the receiver connected to {event} could not be resolved")
            return
        self._subscribe(event, handler, where, site, sender)

    def _publish(self, where: _Module, site: Site, caller: str) -> None:
        if self.is_external(self.resolve(where, site.callee, site)):
            return
        for event in self._dispatcher_events(where, site, _first(site, EVENT_KEYWORDS)):
            self.edge(caller, event, EdgeKind.PUBLISHES, where, site)

    def _subscribe_call(self, where: _Module, site: Site, owner: str) -> None:
        name = _last(site.callee)
        if name == "register" and not BUS_LIKE.search(owner):
            return
        if len(site.args) < 1 or self.is_external(self.resolve(where, site.callee, site)):
            return
        handler_arg = site.args[1] if len(site.args) > 1 else _first_kw(site, HANDLER_KEYWORDS)
        if handler_arg is None or site.args[0].tag not in ("str", "name"):
            return
        handler = self.callable(where, handler_arg, site)
        if handler is None or self.names.kind(handler) == "class":  # ``router.register("x", ViewSet)``
            return
        for event in self._dispatcher_events(where, site, site.args[0]):
            self._subscribe(event, handler, where, site, None)

    # -- tasks ----------------------------------------------------------------------------------

    def task(self, function: str, framework: str, where: _Module, site: Site, **attrs: Any) -> str:
        """The task id of ``function``; emits the task node and its HANDLES edge once."""
        task_id = self.tasks.get(function)
        if task_id is None:
            task_id = self.tasks[function] = f"task:{function}"
            module = self.names.module_prefix(function)
            definition = self.names.definition(function)
            place = (self.project.files[module].relpath, definition.line) if module and definition else None
            self.node(task_id, NodeKind.TASK, {"framework": framework}, place, definition=True)
            evidence = f"{place[0]}:{place[1]}" if place else where.place(site)
            self.out.edges.append(Edge(task_id, function, EdgeKind.HANDLES, 1.0, (evidence,)))
            self.task_names.setdefault(function, task_id)
        pending = self.pending[task_id]
        for key, value in attrs.items():
            if value:
                pending.attrs.setdefault(key, value)
        if attrs.get("name"):
            self.task_names.setdefault(attrs["name"], task_id)
        return task_id

    def _task_decorator(self, where: _Module, site: Site) -> None:
        name = _last(site.callee)
        if name not in TASK_DECORATORS and (name in SUBSCRIBE_DECORATORS or name in SIGNAL_DECORATORS):
            return
        function = f"{where.name}.{site.scope}"
        definition = self.names.definition(function)
        if definition is None or site.callee not in definition.decorators:
            return  # a decorated nested function: no node of the graph to run the task
        framework = self._task_framework(where, site, name)
        if framework is None:
            return
        label = _first_kw(site, ("name", "id", "actor_name"))
        schedule = self.schedule(where, site, label) if is_schedule_decorator(name) else ""
        self.task(function, framework, where, site, schedule=schedule, name=_text(label))

    def _task_framework(self, where: _Module, site: Site, name: str) -> str | None:
        """Which framework a task decorator belongs to, or None when it is not one."""
        resolved = self.resolve(where, site.callee, site)
        if self.is_external(resolved):
            return _package_framework(resolved)
        owner = site.callee.rpartition(".")[0]
        if owner:
            app = self.resolve(where, owner, site)
            if app in self.apps:
                return self.apps[app]
            if self.is_external(app):
                return _package_framework(app)
        lowered = site.callee.lower()
        for package in ("huey", "dramatiq", "apscheduler", "celery"):
            if package in lowered:
                return FRAMEWORK_PACKAGES[package]
        if name == "job" or name not in TASK_DECORATORS:
            return "scheduler"  # an in-house decorator of ours (an external one resolved above)
        return TASK_DECORATORS[name]

    def _job_registration(self, where: _Module, site: Site) -> None:
        """``ScheduledJob("nightly", fn)``, ``scheduler.add_job(fn, "cron")``, ``every(5).do(fn)``."""
        name = _last(site.callee)
        if not (is_schedule_name(name) or (name == "do" and "every()" in site.callee)):
            return
        candidates = [a for k, a in site.kwargs if k in JOB_KEYWORDS] + list(site.args)
        function = self._first_function(where, site, candidates)
        if function is None:
            return
        framework = self._registration_framework(where, site, name)
        if framework is None:
            return
        label = _first_kw(site, ("name", "id"))
        if label is None and framework == "scheduler":
            # ``ScheduledJob("nightly-report", fn)``: a name-like first string names the job
            label = next((a for a in site.args if a.tag == "str"), None)
            label = label if label and EVENT_NAME.fullmatch(label.value) else None
        self.task(function, framework, where, site, schedule=self.schedule(where, site, label), name=_text(label))

    def schedule(self, where: _Module, site: Site, label: Arg | None) -> str:
        """The schedule as written: trigger and timing arguments, not the function or the name."""
        if site.text:
            return site.text
        parts: list[str] = []
        for arg in site.args:
            if arg is label or arg.tag not in ("str", "name", "other") or self.callable(where, arg, site):
                continue
            parts.append(arg.value)
        parts += [
            f"{key}={arg.value}"
            for key, arg in site.kwargs
            if key not in NOT_SCHEDULE_OPTIONS and arg.tag in ("str", "name", "other")
        ]
        return " ".join(p for p in parts if p)

    def _first_function(self, where: _Module, site: Site, candidates: list[Arg]) -> str | None:
        for arg in candidates:
            found = self.callable(where, arg, site) if arg.tag in ("name", "str") else None
            if found and self.names.kind(found) != "class":
                return found
        return None

    def _registration_framework(self, where: _Module, site: Site, name: str) -> str | None:
        head = site.callee.partition("()")[0]
        resolved = self.resolve(where, head, site)
        if self.is_external(resolved):
            return _package_framework(resolved)
        owner = head.rpartition(".")[0] if "()" not in site.callee else ""
        app = self.resolve(where, owner, site) if owner else None
        if app in self.apps:
            return self.apps[app]
        if self.is_external(app):
            return _package_framework(app)
        return "apscheduler" if name == "add_job" and "scheduler" in site.callee.lower() else "scheduler"

    def _task_call(self, where: _Module, site: Site, owner: str, method: str, caller: str) -> None:
        function = self._as_callable(self.names.resolve(where.name, owner, scope=caller))
        if function is None or self.names.kind(function) == "class":
            return
        if function not in self.tasks and method not in CELERY_ONLY_METHODS:
            return
        # ``.delay`` exists only on Celery tasks: a decorator we did not recognise made one
        inferred = function not in self.tasks
        task_id = self.task(function, "celery", where, site, inferred=inferred)
        self.edge(caller, task_id, EdgeKind.PUBLISHES, where, site, via=method)

    def _enqueue(self, where: _Module, site: Site, caller: str) -> None:
        name = _last(site.callee)
        resolved = self.resolve(where, site.callee, site)
        if self.is_external(resolved) and _package_framework(resolved) is None:
            return
        position = 1 if name in ("enqueue_in", "enqueue_at") else 0
        arg = _first_kw(site, ("func", "f")) or (site.args[position] if len(site.args) > position else None)
        function = self.callable(where, arg, site) if arg else None
        if function is None or self.names.kind(function) == "class":
            return
        task_id = self.task(function, "rq", where, site)
        self.edge(caller, task_id, EdgeKind.PUBLISHES, where, site, via=name)

    def _send_task(self, where: _Module, site: Site, caller: str) -> None:
        arg = site.args[0] if site.args else _kw(site, "name")
        if arg is None or arg.tag != "str":
            return
        task_id = self.task_names.get(arg.value)
        if task_id is None:
            function = self._as_callable(arg.value)
            if function is not None and self.names.kind(function) != "class":
                task_id = self.task(function, "celery", where, site)
            else:  # a task of another code base: the node stands for it
                task_id = f"task:{arg.value}"
                place = (where.relpath, site.line)
                self.node(task_id, NodeKind.TASK, {"framework": "celery", "name": arg.value}, place)
        self.edge(caller, task_id, EdgeKind.PUBLISHES, where, site, via="send_task")

    def _periodic(self, where: _Module, site: Site) -> None:
        arg = site.args[1] if len(site.args) > 1 else _kw(site, "sig")
        function = self.callable(where, arg, site) if arg else None
        if function is not None and self.names.kind(function) != "class":
            task_id = self.task(function, "celery", where, site)
            given = site.args[0] if site.args else _kw(site, "schedule")
            if given is not None and given.tag in ("str", "name", "other"):
                self.pending[task_id].attrs.setdefault("schedule", given.value)

    def _beat(self, where: _Module, site: Site) -> None:
        for entry in site.args:
            label, name, schedule = entry.value
            task_id = self.task_names.get(name)
            if task_id is None:
                function = self._as_callable(name)
                task_id = self.task(function, "celery", where, site) if function else None
            if task_id is not None:
                attrs = self.pending[task_id].attrs
                attrs.setdefault("schedule", schedule)
                attrs.setdefault("beat", label)


def _text(arg: Arg | None) -> str | None:
    return arg.value if arg is not None and arg.tag == "str" else None


def _references(arg: Arg | None) -> tuple[str, ...]:
    """The dotted names an argument gives: one name, or a list of them."""
    if arg is None:
        return ()
    return arg.value if arg.tag == "names" else ((arg.value,) if arg.tag == "name" else ())


def _kw(site: Site, name: str) -> Arg | None:
    return next((arg for key, arg in site.kwargs if key == name), None)


def _first_kw(site: Site, names: tuple[str, ...]) -> Arg | None:
    return next((arg for name in names for key, arg in site.kwargs if key == name), None)


def _first(site: Site, keywords: tuple[str, ...]) -> Arg | None:
    """The first positional argument, else the first of ``keywords`` given."""
    return site.args[0] if site.args else _first_kw(site, keywords)


def _package_framework(qualified: str | None) -> str | None:
    """The task framework an external dotted name belongs to (``rq.decorators.job``: "rq")."""
    return FRAMEWORK_PACKAGES.get(qualified.split(".")[0]) if qualified else None


def _external_framework(qualified: str) -> str:
    top = qualified.split(".")[0]
    known = {"django": "django-signal", "flask": "blinker", "blinker": "blinker", "celery": "celery-signal"}
    return known.get(top, "signal")


class EventsAnalyzer(Analyzer):
    """Signals, in-process events and background tasks, with their publishers and handlers."""

    name = "events"
    version = 1

    def scan(self, module: ParsedModule) -> EventFacts | None:
        source = module.source
        lines = _trigger_lines(source)
        if not lines:
            return None
        scanner = _Scanner(lines)
        scanner.body(module.tree.body, "", False)
        return EventFacts(scanner.sites) if scanner.sites else None

    def link(self, project: Project) -> Contribution:
        return _Linker(project, self.name).run()
