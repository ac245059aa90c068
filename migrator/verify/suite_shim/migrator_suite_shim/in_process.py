"""Where a test reaches state that lives in its own process only, noted (``flags``) so that a test
failing on the split for that reason is reported as not covered over HTTP, not as a difference."""

from __future__ import annotations

from types import ModuleType
from typing import Any

from . import flags, mail


def patch_template_assertions(module: ModuleType) -> None:
    for name in ("assertTemplateUsed", "assertTemplateNotUsed"):
        original = getattr(module.SimpleTestCase, name)

        def noted(self: Any, *args: Any, _original: Any = original, _name: str = name, **kwargs: Any) -> Any:
            flags.note(f"{_name} (the templates a view rendered)")
            return _original(self, *args, **kwargs)

        setattr(module.SimpleTestCase, name, noted)


def patch_outbox(module: ModuleType) -> None:
    """``mail.outbox`` read where the services' mail is not read back (``mail``): it stays in their processes."""

    def read(value: Any) -> Any:
        flags.note("mail.outbox (the mail the services send stays in their processes)")
        return value

    mail.outbox_attribute(module, read=read, write=lambda value: value)


def patch_force_authenticate(module: ModuleType) -> None:
    for holder in (module.APIClient, module.APIRequestFactory):
        original = getattr(holder, "force_authenticate", None)
        if original is None:
            continue

        def noted(self: Any, *args: Any, _original: Any = original, **kwargs: Any) -> Any:
            flags.note("force_authenticate (a user set in the test's process, never sent)")
            return _original(self, *args, **kwargs)

        holder.force_authenticate = noted


def patch_mock(module: ModuleType) -> None:
    original = module._patch.__enter__

    def __enter__(self: Any) -> Any:
        try:
            owner = self.getter()
            name = getattr(owner, "__name__", type(owner).__name__)
        except Exception:  # noqa: BLE001 - the patch itself will say what is wrong
            name = "?"
        flags.note(f"mock.patch of {name}.{self.attribute} (the services run the real one)")
        return original(self)

    module._patch.__enter__ = __enter__
