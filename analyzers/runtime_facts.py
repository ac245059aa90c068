"""Facts about a monolith's runtime that the generated services need and the graph does not hold:
its application factory, its database URL variables, and which functions raise."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

_ENV_PREFIX = re.compile(r"""['"]([A-Z][A-Z0-9_]*_)\{""")
_DATABASE_VARIABLE = re.compile(r"""['"]([A-Z][A-Z0-9_]*DATABASE_URL)['"]""")
_PYDANTIC_PREFIX = re.compile(r"""env_prefix\s*=\s*['"]([A-Za-z0-9_]+)['"]""")


def app_factory(src: Path) -> str:
    """``package.module:create_app`` (or ``:app``) for a FastAPI/Starlette monolith; empty if none."""
    root = src.resolve()
    package = root.name if (root / "__init__.py").is_file() else None
    if package is None:
        return ""
    for name in ("app", "main", "asgi", "application"):
        path = root / f"{name}.py"
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (OSError, SyntaxError, ValueError):
            continue
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name in ("create_app", "make_app", "build_app", "get_app"):
                return f"{package}.{name}:{node.name}"
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "app" for t in node.targets):
                return f"{package}.{name}:app"
    return ""


def database_variables(sources: Iterable[tuple[str, str]]) -> tuple[str, ...]:
    """Environment variables the monolith reads its database URL from (``SHOP_DATABASE_URL``):
    literal names, and ``PREFIX_{field}`` / ``env_prefix`` settings classes with a ``database_url`` field."""
    found: set[str] = set()
    for _module, text in sources:
        found.update(_DATABASE_VARIABLE.findall(text))
        if re.search(r"\bdatabase_url\s*:", text):
            found.update(prefix + "DATABASE_URL" for prefix in _ENV_PREFIX.findall(text))
            found.update(prefix.upper() + "DATABASE_URL" for prefix in _PYDANTIC_PREFIX.findall(text))
    return tuple(sorted(found))


_COMPONENT = re.compile(r"\b((?:POSTGRES|POSTGRESQL|PG|DB|DATABASE|MYSQL)_?(SERVER|HOST|HOSTNAME|PORT|USER|USERNAME|PASSWORD|PASS|DB|NAME|DATABASE))\b")
_COMPONENT_OF = {"SERVER": "host", "HOST": "host", "HOSTNAME": "host", "PORT": "port", "USER": "user", "USERNAME": "user",
                 "PASSWORD": "password", "PASS": "password", "DB": "name", "NAME": "name", "DATABASE": "name"}


def database_components(sources: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Variables the monolith builds its database URL from, each with the part of the URL it holds
    (``POSTGRES_SERVER`` -> host, ``POSTGRES_DB`` -> name), as settings fields or names it reads."""
    found: dict[str, str] = {}
    for _module, text in sources:
        if "DATABASE_URI" not in text and "DATABASE_URL" not in text and "create_engine" not in text and "DATABASES" not in text:
            continue
        for name, part in _COMPONENT.findall(text):
            found.setdefault(name, _COMPONENT_OF[part])
    return dict(sorted(found.items()))


def raising_functions(sources: Iterable[tuple[str, str]]) -> frozenset[str]:
    """Qualified names of the functions and methods whose own body raises an exception (a bare
    ``raise`` that re-raises does not count)."""
    result: set[str] = set()
    for module, text in sources:
        if "raise" not in text:  # most modules: no need to parse them
            continue
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError):
            continue
        lines = text.splitlines()
        for qualname, function in _functions(tree.body, module):
            end = getattr(function, "end_lineno", None) or len(lines)
            if not any("raise" in line for line in lines[function.lineno - 1:end]):  # type: ignore[attr-defined]
                continue
            if any(isinstance(n, ast.Raise) and n.exc is not None for n in _own_nodes(function)):
                result.add(qualname)
    return frozenset(result)


def _functions(body: list[ast.stmt], prefix: str) -> Iterator[tuple[str, ast.AST]]:
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield f"{prefix}.{node.name}", node
        elif isinstance(node, ast.ClassDef):
            yield from _functions(node.body, f"{prefix}.{node.name}")


def _own_nodes(function: ast.AST) -> Iterator[ast.AST]:
    """The nodes of a function's body, without those of functions and classes nested in it."""
    pending = list(ast.iter_child_nodes(function))
    while pending:
        node = pending.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            pending.extend(ast.iter_child_nodes(node))
