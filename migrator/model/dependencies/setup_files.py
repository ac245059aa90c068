"""setuptools' setup.cfg (``[options] install_requires``, ``[options.extras_require]``, ``file:``)
and setup.py, whose ``setup(install_requires=[...])`` is read through ast only when it is a
literal (or a name bound once to one): migrator never runs a project's code to learn it."""

from __future__ import annotations

import ast
import configparser
from collections.abc import Collection, Mapping

from migrator.model.dependencies.declared import Declaration, parsed


def setup_cfg_declaration(text: str, *, groups: Collection[str] = ()) -> Declaration:
    """What setup.cfg declares (``declares`` False when it has no ``install_requires``)."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
    except configparser.Error as error:
        return Declaration(notes=(f"setup.cfg: not readable ({type(error).__name__}): left out",))
    if not parser.has_option("options", "install_requires"):
        return Declaration()
    values = [parser.get("options", "install_requires")]
    extras = dict(parser.items("options.extras_require")) if parser.has_section("options.extras_require") else {}
    values += [value for name, value in extras.items() if name in groups]
    lines, includes = [], []
    for value in values:
        if value.strip().startswith("file:"):
            includes += [f.strip() for f in value.strip().removeprefix("file:").split(",") if f.strip()]
        else:
            lines += [line.split("#")[0].strip() for line in value.splitlines() if line.split("#")[0].strip()]
    name = parser.get("metadata", "name", fallback="")
    python = parser.get("options", "python_requires", fallback="")
    return _declaration(lines, "setup.cfg", name=name, requires_python=python, includes=tuple(includes), groups=tuple(sorted(extras)))


def setup_py_declaration(text: str, *, groups: Collection[str] = ()) -> Declaration:
    """What ``setup(...)`` in setup.py declares, read without running it."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return Declaration(notes=("setup.py: not valid Python 3: left out",))
    call = next((node for node in ast.walk(tree) if isinstance(node, ast.Call) and _is_setup(node.func)), None)
    arguments = {keyword.arg: keyword.value for keyword in call.keywords if keyword.arg} if call else {}
    if "install_requires" not in arguments:
        return Declaration()
    bound = _literal_names(tree)
    requires = _literal(arguments["install_requires"], bound)
    if not isinstance(requires, (list, tuple)) or not all(isinstance(item, str) for item in requires):
        return Declaration(declares=True, notes=("setup.py computes install_requires: not read (migrator never runs it)",))
    extras = _literal(arguments["extras_require"], bound) if "extras_require" in arguments else {}
    extras = extras if isinstance(extras, dict) else {}
    lines = [*requires, *(line for name, items in extras.items() if name in groups and isinstance(items, (list, tuple))
                          for line in items if isinstance(line, str))]
    name = _literal(arguments["name"], bound) if "name" in arguments else ""
    python = _literal(arguments["python_requires"], bound) if "python_requires" in arguments else ""
    return _declaration(lines, "setup.py", name=name if isinstance(name, str) else "",
                        requires_python=python if isinstance(python, str) else "", groups=tuple(sorted(map(str, extras))))


def _declaration(lines: list[str], where: str, **fields: object) -> Declaration:
    notes = tuple(f"{where}: {line!r} is not a requirement: left out" for line in lines if parsed(line) is None)
    good = tuple(str(parsed(line)) for line in lines if parsed(line) is not None)
    return Declaration(requirements=good, declares=True, notes=notes, **fields)  # type: ignore[arg-type]


def _is_setup(function: ast.expr) -> bool:
    return (isinstance(function, ast.Name) and function.id == "setup") or (isinstance(function, ast.Attribute) and function.attr == "setup")


def _literal_names(tree: ast.Module) -> Mapping[str, ast.expr]:
    """Module-level names bound exactly once, to what."""
    bound: dict[str, ast.expr] = {}
    twice: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            if name in bound:
                twice.add(name)
            bound[name] = node.value
    return {name: value for name, value in bound.items() if name not in twice}


def _literal(node: ast.expr, bound: Mapping[str, ast.expr]) -> object:
    if isinstance(node, ast.Name) and node.id in bound:
        node = bound[node.id]
    try:
        return ast.literal_eval(node)
    except ValueError:
        return None
