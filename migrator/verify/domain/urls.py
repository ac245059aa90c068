"""Server URLs as a run uses them: the same server with another database, without its password."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import unquote, urlsplit, urlunsplit


def is_postgres_url(url: str) -> bool:
    return urlsplit(url).scheme.split("+")[0] in ("postgresql", "postgres")


def on_server(url: str) -> bool:
    """``url`` names a database on a server (it has a host), not a file (SQLite)."""
    return bool(urlsplit(url).hostname)


def database_parts(url: str, components: Mapping[str, str]) -> dict[str, str]:
    """The variables an application builds its database URL from (``components``: variable ->
    host, port, user, password or name, as ``Hosting.database_components`` has them) set to
    ``url``'s parts; an empty part sets nothing, nor does a URL without a host. What the services'
    runtime does at start (``host.database_components``), for the processes verify runs itself."""
    if not on_server(url):
        return {}
    parts = urlsplit(url)
    values = {"host": parts.hostname or "", "port": str(parts.port or ""), "user": unquote(parts.username or ""),
              "password": unquote(parts.password or ""), "name": unquote(parts.path.lstrip("/"))}
    return {variable: values[part] for variable, part in components.items() if values.get(part)}


def with_database(url: str, database: str) -> str:
    """``url`` naming ``database`` instead of the one it names (the driver part is kept)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, parts.fragment))


def redacted(url: str) -> str:
    """``url`` without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
