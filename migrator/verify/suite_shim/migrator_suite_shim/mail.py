"""Mail the services send, kept in the run's folder (``MIGRATOR_MAIL_DIR``) instead of being sent,
and read back in the suite's process where its test reads what was sent.

- In a service (``capture``): Django's ``get_connection`` gives a backend that keeps each message
  there, whatever backend the settings name (SMTP, console, a provider's API); Flask-Mail's
  connection opens no SMTP session and keeps each message it sends. A run of verify never sends
  mail to anyone, and a service whose settings name an SMTP server nobody runs here still answers.
- In the suite's split run (``PATCHES``): Django's ``mail.outbox`` (the in-memory outbox its test
  runner gives) and the list Flask-Mail's ``record_messages`` yields take the messages the
  services kept, in the order they were sent, whenever the test reads them; a new outbox (each
  test's start) or a new recording forgets what the services sent before, as the test's own
  outbox is emptied.

Messages are pickled: the services and the suite run on the same environment, so the test reads
the very ``EmailMessage`` or ``Message`` the view built."""

from __future__ import annotations

import contextlib
import copy
import itertools
import os
import pickle
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

VARIABLE = "MIGRATOR_MAIL_DIR"
_SUFFIX = ".pickle"
DJANGO, FLASK_MAIL = "django", "flask_mail"
_COUNTER = itertools.count()


def _folder(kind: str) -> Path:
    """The folder of one library's messages (``django``, ``flask_mail``): each outbox reads its own."""
    folder = Path(os.environ[VARIABLE]) / kind
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def keep(kind: str, message: Any) -> None:
    """Write ``message`` to the folder of ``kind``, named so that names sort in the order of sending."""
    folder = _folder(kind)
    name = f"{time.time_ns():020d}-{os.getpid()}-{next(_COUNTER):06d}"
    partial = folder / f".{name}.part"
    partial.write_bytes(pickle.dumps(message))
    os.replace(partial, folder / f"{name}{_SUFFIX}")


def take(kind: str) -> list[Any]:
    """The messages of ``kind`` kept since the last ``take`` or ``forget``, oldest first; gone from the folder."""
    taken = []
    for path in sorted(_folder(kind).glob(f"*{_SUFFIX}")):
        with contextlib.suppress(FileNotFoundError):
            data = path.read_bytes()
            path.unlink()
            taken.append(pickle.loads(data))  # noqa: S301 - written by this run's own services
    return taken


def forget(kind: str) -> None:
    for path in _folder(kind).glob(f"*{_SUFFIX}"):
        path.unlink(missing_ok=True)


# ---------------------------------------------------------------- in a service


def _keep_django(module: ModuleType) -> None:
    from django.core.mail.backends.base import BaseEmailBackend

    class KeptMail(BaseEmailBackend):
        """Django's in-memory backend, but the outbox is the run's folder."""

        def send_messages(self, messages: Any) -> int:
            count = 0
            for message in messages:
                message.message()  # as Django's own test backend: a message that cannot be built fails here
                kept = copy.copy(message)
                kept.connection = None
                keep(DJANGO, kept)
                count += 1
            return count

    def get_connection(backend: Any = None, fail_silently: bool = False, **kwargs: Any) -> Any:
        return KeptMail(fail_silently=fail_silently, **kwargs)

    module.get_connection = get_connection


def _keep_flask_mail(module: ModuleType) -> None:
    original_send = module.Connection.send

    def __enter__(self: Any) -> Any:
        self.host = None  # what MAIL_SUPPRESS_SEND does: no SMTP session
        self.num_emails = 0
        return self

    def send(self: Any, message: Any, *args: Any, **kwargs: Any) -> Any:
        result = original_send(self, message, *args, **kwargs)
        keep(FLASK_MAIL, message)
        return result

    module.Connection.__enter__ = __enter__
    module.Connection.send = send


CAPTURES = [("django.core.mail", _keep_django), ("flask_mail", _keep_flask_mail)]


# ---------------------------------------------------------------- in the suite's process


class Outbox(list):  # type: ignore[type-arg]
    """A list that takes the services' kept messages of ``kind`` before it is read, and what the
    library records in the test's own process into ``local`` (Flask-Mail's recording)."""

    def __init__(self, kind: str, items: Any = (), *, local: list[Any] | None = None) -> None:
        super().__init__(items)
        self.kind, self.local, self.seen = kind, local, 0

    def _pull(self) -> None:
        if self.local is not None:
            list.extend(self, self.local[self.seen:])
            self.seen = len(self.local)
        list.extend(self, take(self.kind))

    def __len__(self) -> int:
        self._pull()
        return list.__len__(self)

    def __getitem__(self, index: Any) -> Any:
        self._pull()
        return list.__getitem__(self, index)

    def __iter__(self) -> Iterator[Any]:
        self._pull()
        return list.__iter__(self)

    def __contains__(self, item: object) -> bool:
        self._pull()
        return list.__contains__(self, item)

    def __eq__(self, other: object) -> bool:
        self._pull()
        return list.__eq__(self, other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        self._pull()
        return list.__repr__(self)


def outbox_attribute(module: ModuleType, *, read: Callable[[Any], Any], write: Callable[[Any], Any]) -> None:
    """``module.outbox`` (Django's ``mail.outbox``, which its test runner and each test set anew)
    passed through ``read`` when read and through ``write`` when set."""

    class Mail(type(module)):  # type: ignore[misc]
        @property
        def outbox(self) -> Any:
            try:
                return read(self.__dict__["_migrator_outbox"])
            except KeyError:
                raise AttributeError("outbox") from None

        @outbox.setter
        def outbox(self, value: Any) -> None:
            self.__dict__["_migrator_outbox"] = write(value)

        @outbox.deleter
        def outbox(self) -> None:  # Django's teardown_test_environment
            self.__dict__.pop("_migrator_outbox", None)

    existing = module.__dict__.pop("outbox", None)
    module.__class__ = Mail
    if existing is not None:
        module.outbox = existing


def _read_django(module: ModuleType) -> None:
    """``mail.outbox`` as an ``Outbox``: what the test's own process sends is appended to it as
    before (Django's in-memory backend), what the services sent joins it when read."""

    def write(value: Any) -> Any:
        forget(DJANGO)
        return Outbox(DJANGO, value) if isinstance(value, list) else value

    outbox_attribute(module, read=lambda value: value, write=write)


def _read_flask_mail(module: ModuleType) -> None:
    """``record_messages()`` yields an ``Outbox``: the messages the test's process dispatches, and
    those the services sent once the recording started."""

    original = module._MailMixin.record_messages

    @contextlib.contextmanager
    def record_messages(self: Any) -> Iterator[Outbox]:
        forget(FLASK_MAIL)
        with original(self) as local:
            yield Outbox(FLASK_MAIL, local=local)

    module._MailMixin.record_messages = record_messages


READERS = [("django.core.mail", _read_django), ("flask_mail", _read_flask_mail)]
