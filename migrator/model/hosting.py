"""How the monolith's application is served: its framework, the object or factory that builds it,
and the folders its top-level packages are imported from. The generated runtime loads the
application from this, under gunicorn (WSGI: Flask, Django) or uvicorn (ASGI: FastAPI, Starlette)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

FLASK, DJANGO, FASTAPI, STARLETTE = "flask", "django", "fastapi", "starlette"
WSGI, ASGI = "wsgi", "asgi"
INTERFACE = {FLASK: WSGI, DJANGO: WSGI, FASTAPI: ASGI, STARLETTE: ASGI}


@dataclass(frozen=True)
class Hosting:
    framework: str = ""
    """flask, django, fastapi or starlette; empty when no application was found."""
    target: str = ""
    """``module:attribute``: the application object or its factory; for Django, the settings module."""
    factory: bool = False
    """``target`` is called (with no argument) to build the application."""
    import_roots: tuple[str, ...] = ()
    """Folders, relative to a service's folder, that hold the monolith's top-level packages
    (``src``) and go on ``sys.path``; the service's folder itself always does."""
    env: dict[str, str] = field(default_factory=dict)
    """Variables the application expects at start (``FLASK_APP``, ``DJANGO_SETTINGS_MODULE``),
    as its own project sets them (``.flaskenv``, ``manage.py``)."""
    found_in: str = ""
    """The file it was found in, relative to the source folder: for the reasons in the plan."""
    database_components: dict[str, str] = field(default_factory=dict)
    """Variables the application builds its database URL from (``POSTGRES_SERVER`` -> ``host``):
    each service sets them from its own database's URL. Components: host, port, user, password, name."""

    @property
    def interface(self) -> str:
        """wsgi or asgi; asgi when none was found (the runtime's endpoints alone)."""
        return INTERFACE.get(self.framework, ASGI)

    @property
    def module(self) -> str:
        return self.target.partition(":")[0]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Hosting:
        data = data or {}
        return cls(framework=data.get("framework", ""), target=data.get("target", ""), factory=bool(data.get("factory", False)),
                   import_roots=tuple(data.get("import_roots", ())), env=dict(data.get("env", {})), found_in=data.get("found_in", ""),
                   database_components=dict(data.get("database_components", {})))
