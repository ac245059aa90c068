"""The words that make a line, a call or a decorator an event or task fact."""

from __future__ import annotations

import re

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
