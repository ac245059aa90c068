"""Reading a site's arguments, and which framework an external name belongs to."""

from __future__ import annotations

from analyzers.events.facts import Arg, Site
from analyzers.events.vocabulary import FRAMEWORK_PACKAGES


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
