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

from analyzers.base import Analyzer, Contribution, ParsedModule, Project
from analyzers.events.facts import Arg, EventFacts, Site
from analyzers.events.link import Linker
from analyzers.events.scan import _Scanner
from analyzers.events.triggers import _trigger_lines, is_schedule_decorator, is_schedule_name, name_tokens
from analyzers.events.vocabulary import *  # noqa: F403  (the vocabulary stays importable from here)

__all__ = ["Arg", "EventFacts", "EventsAnalyzer", "Site", "is_schedule_decorator", "is_schedule_name", "name_tokens"]


class EventsAnalyzer(Analyzer):
    """Signals, in-process events and background tasks, with their publishers and handlers."""

    name = "events"
    version = 2

    def scan(self, module: ParsedModule) -> EventFacts | None:
        source = module.source
        lines = _trigger_lines(source)
        if not lines:
            return None
        scanner = _Scanner(lines)
        scanner.body(module.tree.body, "", False)
        return EventFacts(scanner.sites) if scanner.sites else None

    def link(self, project: Project) -> Contribution:
        return Linker(project, self.name).run()
