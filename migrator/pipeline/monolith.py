"""What ``generate`` reads of the monolith itself, beside its graph: the text of its modules, the
facts its runtime needs (application factory, dispatcher, database variables, raising functions),
its own OpenAPI document (from its application, built in a child process so that none of its code
runs inside migrator) and its HTTP test suite (what it declares it needs: ``dependencies``)."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import subprocess
from dataclasses import dataclass, replace
import sys
from pathlib import Path
from collections.abc import Mapping, Sequence
from typing import Any

import analyzers
from analyzers.hosting import ModuleText, find_hosting
from analyzers.runtime_facts import database_components, database_variables, raising_functions
from generators.service.render import ModuleSource
from migrator.model.facts import EdgeKind, NodeKind
from migrator.model.graph import DependencyGraph
from migrator.config import load_project_config
from migrator.model.dependencies.declared import DeclaredRequirements
from migrator.model.hosting import ASGI, Hosting
from migrator.pipeline import caches
from migrator.planning.service_plan import RuntimeFacts
from migrator.verify.application.ports import Interpreter

OPENAPI_TIMEOUT = 120.0
BASE_URL_VARIABLE = "MONOLITH_BASE_URL"
_OPENAPI_CHILD = """
import importlib, json, sys
module_name, attribute = sys.argv[1], sys.argv[2]
target = getattr(importlib.import_module(module_name), attribute, None)
app = target if callable(getattr(target, "openapi", None)) else target() if callable(target) else None
document = app.openapi() if callable(getattr(app, "openapi", None)) else None
sys.stdout.write("\\n" + json.dumps(document))
"""


def module_sources(graph: DependencyGraph, src: Path) -> dict[str, ModuleSource]:
    """The text of every module of the graph, keyed by dotted name, with its path relative to the
    folder that holds the top-level package."""
    root = src.resolve()
    prefix = f"{root.name}/" if (root / "__init__.py").is_file() else ""
    sources = {}
    for node in graph.nodes(NodeKind.MODULE, NodeKind.PACKAGE):
        if not node.file:
            continue
        try:
            text = (root / node.file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        sources[node.id] = ModuleSource(prefix + node.file, text, node.kind is NodeKind.PACKAGE or node.file.endswith("__init__.py"))
    return sources


def _dispatcher(graph: DependencyGraph) -> str:
    """The module whose ``publish`` the functions that publish events call."""
    counts: dict[str, int] = {}
    for edge in graph.edges(EdgeKind.PUBLISHES):
        for callee in graph.find_successors(edge.source, EdgeKind.CALLS):
            module, _, name = callee.rpartition(".")
            if name in ("publish", "emit", "dispatch", "send_event", "fire"):
                counts[module] = counts.get(module, 0) + 1
    return max(sorted(counts), key=counts.__getitem__) if counts else ""


def runtime_facts(graph: DependencyGraph, src: Path, sources: dict[str, ModuleSource], *, cache_dir: Path | None = None) -> RuntimeFacts:
    """What the generated runtime needs to know of the monolith; what its modules' text says is
    kept in ``cache_dir`` (``facts.pickle``) by a digest of that text, and read from there while
    it is the same."""
    found = _text_facts(sources, _env_files(src), cache_dir)
    hosting = replace(found.hosting, env={**found.hosting.env, **_stated_env(src)}, database_components=found.components)
    asgi_app = hosting.target if hosting.interface == ASGI and hosting.framework else ""
    return RuntimeFacts(app_factory=asgi_app, dispatcher=_dispatcher(graph), database_variables=found.variables, raising=found.raising, hosting=hosting)


@dataclass(frozen=True)
class _TextFacts:
    """The runtime facts that are a function of the modules' text (and the project's .env files) alone."""

    hosting: Hosting
    components: dict[str, str]
    variables: tuple[str, ...]
    raising: frozenset[str]


def _text_facts(sources: dict[str, ModuleSource], env_files: dict[str, str], cache_dir: Path | None) -> _TextFacts:
    # each text digested as its bytes, its name, place and length before it: a repr of them all
    # escapes every character of every module first
    hashed = hashlib.blake2b(repr(sorted(env_files.items())).encode("utf-8", "surrogatepass"), digest_size=16)
    for module, source in sorted(sources.items()):
        hashed.update(repr((module, source.path, len(source.text))).encode("utf-8", "surrogatepass") + source.text.encode("utf-8", "surrogatepass"))
    digest = hashed.hexdigest()
    path = cache_dir / FACTS if cache_dir is not None else None
    kept_digest, kept = caches.load(path, _facts_key(), tuple, ("", None))
    if kept_digest == digest and isinstance(kept, _TextFacts):
        return kept
    texts = [(module, s.text) for module, s in sources.items()]
    found = _TextFacts(find_hosting({m: ModuleText(s.path, s.text) for m, s in sources.items()}, env_files), database_components(texts),
                       database_variables(texts), raising_functions(texts))
    if path is not None:
        caches.save(path, _facts_key(), (digest, found))
    return found


FACTS = "facts.pickle"


@functools.cache
def _facts_key() -> str:
    """Kept facts are trusted only by the same code: the analyzers (hosting, runtime facts and what they use) and this module."""
    digest = hashlib.blake2b(Path(__file__).read_bytes(), digest_size=12)
    for file in sorted(Path(str(analyzers.__file__)).parent.rglob("*.py")):
        digest.update(file.read_bytes())
    return digest.hexdigest()


def _env_files(src: Path) -> dict[str, str]:
    """The project's ``.flaskenv`` and ``.env``, beside the source folder or above it."""
    found = {}
    for folder in (src.resolve(), src.resolve().parent):
        for name in (".flaskenv", ".env"):
            try:
                found.setdefault(name, (folder / name).read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError):
                continue
    return found


def monolith_suite(src: Path) -> dict[str, str] | None:
    """The monolith's HTTP test suite, when it has one that takes its base URL from a variable
    (its conftest.py reads ``MONOLITH_BASE_URL``); a suite that calls the application in process
    is not one (it would test the monolith's own code, not the split system)."""
    tests = src.resolve() / "tests"
    try:
        conftest = (tests / "conftest.py").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    return {"path": str(tests), "base_url_variable": BASE_URL_VARIABLE} if BASE_URL_VARIABLE in conftest else None


def monolith_openapi(src: Path, factory: str, requirements: DeclaredRequirements | None = None) -> dict[str, Any] | None:
    """The monolith's own OpenAPI document, from the application ``factory`` (``module:name``, as
    ``analyzers.runtime_facts.app_factory`` finds it) when it builds one; None otherwise (no
    factory, or its application does not import or build). The application is imported in an
    environment of its own ``requirements`` (the one verify would build, cached), never migrator's:
    an app on pydantic 1 or with libraries migrator lacks builds its document there; migrator's
    interpreter only where that environment cannot be made (no index)."""
    if not factory:
        return None
    from migrator.verify.adapters.suite import import_root as imports_of

    module_name, _, attribute = factory.partition(":")
    import_root = str(imports_of(src.resolve()) or src.resolve())  # a package's parent; the folder that holds the packages (the template's backend/app)
    env = {**_stated_env(src), **os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [import_root, os.environ.get("PYTHONPATH", "")]))}
    python = _application_python(requirements) if requirements is not None and requirements.requirements else sys.executable
    try:
        completed = subprocess.run([python, "-c", _OPENAPI_CHILD, module_name, attribute], cwd=import_root, env=env,
                                   capture_output=True, text=True, timeout=OPENAPI_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if completed.returncode != 0:
        return None
    try:
        document = json.loads(completed.stdout.rsplit("\n", 1)[-1])
    except json.JSONDecodeError:
        return None
    return document if isinstance(document, dict) else None


VOLATILE_VARIABLES = frozenset({"_", "PWD", "OLDPWD", "SHLVL", "PS1", "PS2", "PROMPT_COMMAND", "COLUMNS", "LINES", "TERM", "TERM_PROGRAM",
                                 "TERM_SESSION_ID", "WINDOWID", "TMUX_PANE", "SSH_TTY", "SSH_CLIENT", "SSH_CONNECTION", "SSH_AUTH_SOCK"})
"""Variables of the shell that change between two commands and that no application reads for its routes."""
OPENAPI = "openapi.pickle"


def kept_monolith_openapi(
    src: Path, factory: str, requirements: DeclaredRequirements | None, *, sources: Mapping[str, ModuleSource], files: Mapping[str, bytes],
    cache_dir: Path | None,
) -> dict[str, Any] | None:
    """``monolith_openapi``, kept in ``cache_dir`` by what the document is made of: the factory, the
    monolith's modules and other files, its requirements and the variables it runs with (but the
    shell's own, ``VOLATILE_VARIABLES``). Building it imports the whole application in a child
    process, seconds that a regeneration after a decomposition edit need not spend again."""
    if not factory or cache_dir is None:
        return monolith_openapi(src, factory, requirements)
    digest = hashlib.blake2b(digest_size=16)
    stated = _stated_env(src)
    variables = {name: value for name, value in os.environ.items() if name not in VOLATILE_VARIABLES}
    digest.update(repr((factory, str(src.resolve()), requirements, sorted(stated.items()), sorted(variables.items()))).encode("utf-8", "surrogatepass"))
    for module, source in sorted(sources.items()):
        digest.update(repr((module, source.path)).encode("utf-8", "surrogatepass") + source.text.encode("utf-8", "surrogatepass"))
    for path, data in sorted(files.items()):
        digest.update(path.encode("utf-8", "surrogatepass") + b"\0" + hashlib.blake2b(data, digest_size=16).digest())
    kept_digest, kept = caches.load(cache_dir / OPENAPI, _facts_key(), tuple, ("", None))
    if kept_digest == digest.hexdigest():
        return kept
    document = monolith_openapi(src, factory, requirements)
    caches.save(cache_dir / OPENAPI, _facts_key(), (digest.hexdigest(), document))
    return document


def application_environment(requirements: DeclaredRequirements, tools: Sequence[str] = ()) -> Interpreter:
    """An environment of the monolith's own ``requirements`` and ``tools`` (built by uv once, in
    verify's cache, then reused while they are unchanged); a MigratorError naming what cannot be installed."""
    import tempfile

    from migrator.verify.adapters.environments import UvEnvironments, environments_cache, find_uv

    with tempfile.TemporaryDirectory(prefix="migrator-app-") as folder:
        declared = Path(folder) / "requirements.txt"
        declared.write_text("".join(f"{line}\n" for line in requirements.requirements), encoding="utf-8")
        return UvEnvironments(environments_cache(), uv=find_uv()).ensure([declared], tools=tools)


def _application_python(requirements: DeclaredRequirements) -> str:
    """The interpreter of ``application_environment``, else migrator's own."""
    from migrator.errors import MigratorError

    try:
        return str(application_environment(requirements).python)
    except MigratorError:
        return sys.executable


def _stated_env(src: Path) -> Mapping[str, str]:
    """What the project's ``[tool.migrator.env]`` sets: the variables the application's settings read."""
    return load_project_config(src).env if src.is_dir() else {}
