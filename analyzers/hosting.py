"""Where the monolith's application is, found without running it: Django's settings module (as
``manage.py``, ``wsgi.py`` or ``asgi.py`` set it), a Flask application (``FLASK_APP`` in
``.flaskenv``/``.env``, a module-level ``Flask(...)`` or an object a factory builds, a factory that
needs no argument), a FastAPI or Starlette application, in any layout (``src/``, ``app/main.py``).

Entry files (``wsgi.py``, ``autoapp.py``, ``asgi.py``, ``main.py``...) come before the rest, a
built object before a factory, a shallow module before a deep one."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from migrator.model.hosting import DJANGO, FASTAPI, FLASK, STARLETTE, Hosting

_SETTINGS = re.compile(r"""DJANGO_SETTINGS_MODULE['"]\s*,\s*['"]([\w.]+)['"]""")
_CONSTRUCTORS = {"Flask": FLASK, "FastAPI": FASTAPI, "Starlette": STARLETTE}
_ENTRY = ("wsgi", "autoapp", "asgi", "main", "app", "application", "run", "server", "manage")
_FLASK_APP = re.compile(r"^\s*(?:export\s+)?FLASK_APP\s*=\s*['\"]?([^'\"\s#]+)", re.MULTILINE)


@dataclass(frozen=True)
class ModuleText:
    path: str
    """Relative to the folder a service carries the monolith's tree in."""
    text: str


@dataclass(frozen=True)
class _Candidate:
    framework: str
    module: str
    attribute: str
    factory: bool

    def rank(self, preferred: str) -> tuple[int, int, int, int, str]:
        last = self.module.rsplit(".", 1)[-1]
        return (self.module != preferred, last not in _ENTRY, self.factory, self.module.count("."), f"{self.module}:{self.attribute}")


def find_hosting(modules: Mapping[str, ModuleText], env_files: Mapping[str, str] = {}) -> Hosting:  # noqa: B006 - read only
    """The monolith's hosting; an empty ``Hosting`` when no application is found."""
    django = _django(modules)
    if django is not None:
        return django
    trees = {m: tree for m, source in modules.items() if (tree := _parse(source.text)) is not None and _mentions_app(source.text)}
    factories = _factories(trees)
    candidates = list(_objects(trees, factories)) + [
        _Candidate(framework, module, name, True) for (module, name), (framework, callable_bare) in factories.items() if callable_bare]
    if not candidates:
        return Hosting()
    preferred = _flask_app(env_files)
    best = min(candidates, key=lambda c: c.rank(preferred))
    env = {"FLASK_APP": f"{best.module}:{best.attribute}"} if best.framework == FLASK else {}
    return Hosting(framework=best.framework, target=f"{best.module}:{best.attribute}", factory=best.factory,
                   import_roots=_import_roots(modules, best.module), env=env, found_in=modules[best.module].path)


def _django(modules: Mapping[str, ModuleText]) -> Hosting | None:
    found = []
    for module, source in modules.items():
        match = _SETTINGS.search(source.text)
        if match and match.group(1) in modules:
            last = module.rsplit(".", 1)[-1]
            found.append(((last != "manage", last not in ("wsgi", "asgi"), module), match.group(1), source.path))
    if not found:
        return None
    _, settings, path = min(found)
    return Hosting(framework=DJANGO, target=settings, import_roots=_import_roots(modules, settings),
                   env={"DJANGO_SETTINGS_MODULE": settings}, found_in=path)


def _mentions_app(text: str) -> bool:
    return any(f"{name}(" in text for name in _CONSTRUCTORS) or "_app(" in text


def _parse(text: str) -> ast.Module | None:
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError):
        return None


def _constructed(node: ast.AST) -> str | None:
    """The framework of ``Flask(...)``/``FastAPI(...)``/``Starlette(...)`` (any qualifier)."""
    if isinstance(node, ast.Call):
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        return _CONSTRUCTORS.get(name)
    return None


def _factories(trees: Mapping[str, ast.Module]) -> dict[tuple[str, str], tuple[str, bool]]:
    """Module-level functions that build an application: ``(module, name) -> (framework, callable
    with no argument)``."""
    found = {}
    for module, tree in trees.items():
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                framework = next((f for n in ast.walk(node) if (f := _constructed(n))), None)
                if framework:
                    args = node.args
                    bare = len(args.defaults) == len(args.posonlyargs) + len(args.args) and all(d is not None for d in args.kw_defaults)
                    found[(module, node.name)] = (framework, bare)
    return found


def _objects(trees: Mapping[str, ast.Module], factories: Mapping[tuple[str, str], tuple[str, bool]]) -> Iterator[_Candidate]:
    """Module-level ``name = Flask(...)`` and ``name = create_app(...)`` of a known factory."""
    by_name = {name: framework for (_, name), (framework, _) in factories.items()}
    for module, tree in trees.items():
        for node in tree.body:
            if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)):
                continue
            framework = _constructed(node.value)
            if framework is None and isinstance(node.value, ast.Call):
                func = node.value.func
                framework = by_name.get(func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else "")
            if framework:
                yield _Candidate(framework, module, node.targets[0].id, False)


def _flask_app(env_files: Mapping[str, str]) -> str:
    """The module ``FLASK_APP`` names in the project's ``.flaskenv``/``.env`` (``flasky.py`` -> ``flasky``)."""
    for text in env_files.values():
        match = _FLASK_APP.search(text)
        if match:
            value = match.group(1).split(":")[0].removesuffix(".py").replace("/", ".")
            return value
    return ""


def _import_roots(modules: Mapping[str, ModuleText], module: str) -> tuple[str, ...]:
    """The folder ``module`` is imported from, when it is not the service's folder itself."""
    path = modules[module].path
    depth = module.count(".") + (1 if path.endswith("__init__.py") else 0)
    folder = "/".join(path.split("/")[: -1 - depth]) if path.count("/") > depth else ""
    return (folder,) if folder else ()
