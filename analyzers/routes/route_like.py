"""Strings that look like routes, counted per file without walking the tree: a URL path passed
to a call or listed (``register_view(bp, routes=["/orders"], ...)``), and Django's ``path("...")``,
``re_path(...)``, ``url(...)``. Far more of them than routes found means the application registers
routes in a way the routes analyzer does not follow (a helper of its own): said out loud."""

from __future__ import annotations

import re

_URL_ARGUMENT = re.compile(r"""(?:[(\[,]\s*|\w=)[rRuU]?(["'])(/[A-Za-z0-9_\-.~/<>{}:%]*[A-Za-z<{][A-Za-z0-9_\-.~/<>{}:%]*)\1""")
_DJANGO_PATTERN = re.compile(r"""\b(?:re_path|path|url)\(\s*[rRuU]?["']""")
_FILESYSTEM = ("/tmp", "/etc", "/usr", "/var", "/dev", "/proc", "/home", "/bin", "/opt", "/srv", "/root", "/sys", "/run")
MIN_ROUTE_LIKE = 10
"""Below this many, a shortfall is too small to say anything about."""


_PATH = re.compile(r"/[A-Za-z0-9_\-.~/<>{}:%]*[A-Za-z<{][A-Za-z0-9_\-.~/<>{}:%]*")


def count_route_like(source: str) -> int:
    """How many route-like strings ``source`` passes to calls."""
    return len(route_like_offsets(source)) + count_django_patterns(source)


def count_django_patterns(source: str) -> int:
    """How many ``path("...")``, ``re_path(...)``, ``url(...)`` calls ``source`` makes."""
    return len(_DJANGO_PATTERN.findall(source))


def route_like_offsets(source: str) -> list[int]:
    """Where ``source`` passes a URL path to a call or lists one."""
    return [found.start(2) for found in _URL_ARGUMENT.finditer(source) if not found.group(2).startswith(_FILESYSTEM)]


def is_route_like(text: str) -> bool:
    """Whether a string reads as a URL path (``/orders/<int:id>``), not a file's."""
    return bool(_PATH.fullmatch(text)) and not text.startswith(_FILESYSTEM)


def shortfall(routes: int, route_like: dict[str, int]) -> str | None:
    """The warning when the routes found are far fewer than the route-like strings (by file), else None."""
    total = sum(route_like.values())
    if total < MIN_ROUTE_LIKE or routes * 3 >= total:
        return None
    busiest = sorted(route_like.items(), key=lambda item: (-item[1], item[0]))[:3]
    where = ", ".join(f"{relpath} {count}" for relpath, count in busiest)
    return (f"found {routes} route{'' if routes == 1 else 's'}, but {total} strings that look like routes are passed to calls "
            f"({where}{', ...' if len(route_like) > 3 else ''}): routes registered through a helper of the application are "
            "not followed, so no service will own them")
