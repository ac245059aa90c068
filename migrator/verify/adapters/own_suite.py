"""The monolith's own test suite found in its folder, and how it runs: pytest-django (the
``DJANGO_SETTINGS_MODULE`` of its pytest configuration), Django's test runner (``manage.py test``
with the test settings its tox.ini, Makefile or CI names, else a settings module named for tests),
pytest (a conftest.py, a pytest configuration, or test functions outside classes) or unittest
(``python -m unittest discover``)."""

from __future__ import annotations

import configparser
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

from migrator.verify.domain.own_suite import DJANGO, PYTEST, PYTEST_DJANGO, UNITTEST, OwnSuite

_SKIP = frozenset({".git", ".tox", ".venv", "venv", "env", "node_modules", "__pycache__", "site-packages", "migrations", ".migrator"})
_TEST_TOOLS = re.compile(r"^(pytest[\w.-]*|freezegun|factory[-_]boy|model[-_]bakery|model[-_]mommy|faker|mock|webtest|django-webtest|"
                         r"responses|requests-mock|parameterized|time-machine|flask-testing)\b", re.IGNORECASE)
_TEST_REQUIREMENTS = ("dev-requirements.txt", "requirements-dev.txt", "test-requirements.txt", "requirements-test.txt",
                      "requirements_dev.txt", "requirements_test.txt", "requirements/test*.txt", "requirements/dev*.txt")
_SETTINGS_OPTION = re.compile(r"manage\.py\s+test\b[^\n]*?--settings[= ]([\w.]+)")
_TEST_SETTINGS = ("test_settings.py", "settings_test.py", "settings/test.py", "settings/tests.py", "settings/testing.py", "testsettings.py")


def find_own_suite(root: Path | None) -> OwnSuite | None:
    """The suite under ``root`` (the folder the monolith's imports resolve from), or None."""
    if root is None or not root.is_dir():
        return None
    tests = list(_test_files(root))
    if not tests:
        return None
    tools = _test_tools(root)
    settings, where = _pytest_django_settings(root)
    if settings:
        plugin = () if any(tool.lower().startswith("pytest-django") for tool in tools) else ("pytest-django",)
        return OwnSuite(PYTEST_DJANGO, ("-m", "pytest", "-p", "no:cacheprovider"), settings, (*plugin, *tools), where)
    if (root / "manage.py").is_file():
        settings, where = _django_test_settings(root)
        argv = ("manage.py", "test", "--noinput", *([f"--settings={settings}"] if settings else []))
        return OwnSuite(DJANGO, argv, settings, tools, where or "manage.py test")
    if _uses_pytest(root, tests):
        return OwnSuite(PYTEST, ("-m", "pytest", "-p", "no:cacheprovider"), tools=tools, where="pytest")
    start = "tests" if (root / "tests").is_dir() else "."
    return OwnSuite(UNITTEST, ("-m", "unittest", "discover", "-s", start, "-t", "."), tools=tools, where=f"unittest discover -s {start}")


def _walk(folder: Path, depth: int = 0) -> Iterator[Path]:
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return
    for entry in entries:
        if entry.is_dir() and entry.name not in _SKIP and not entry.name.startswith(".") and depth < 8:
            if not (entry / "pyvenv.cfg").exists():
                yield from _walk(entry, depth + 1)
        elif entry.is_file():
            yield entry


def _test_files(root: Path) -> Iterator[Path]:
    return (p for p in _walk(root) if p.suffix == ".py" and (p.name == "tests.py" or p.name.startswith("test") or p.name.endswith(("_test.py", "_tests.py"))))


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _pytest_django_settings(root: Path) -> tuple[str, str]:
    """``DJANGO_SETTINGS_MODULE`` of the pytest configuration, and the file that sets it."""
    for name, section in (("pytest.ini", "pytest"), ("tox.ini", "pytest"), ("setup.cfg", "tool:pytest")):
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read_string(_read(root / name))
        except configparser.Error:
            continue
        if parser.has_option(section, "DJANGO_SETTINGS_MODULE"):
            return parser.get(section, "DJANGO_SETTINGS_MODULE").strip(), name
    try:
        options = tomllib.loads(_read(root / "pyproject.toml")).get("tool", {}).get("pytest", {}).get("ini_options", {})
    except tomllib.TOMLDecodeError:
        options = {}
    return (str(options["DJANGO_SETTINGS_MODULE"]), "pyproject.toml") if "DJANGO_SETTINGS_MODULE" in options else ("", "")


def _django_test_settings(root: Path) -> tuple[str, str]:
    """The settings ``manage.py test`` is run with by the project (tox.ini, Makefile, setup.cfg,
    CI workflows), else a settings module named for tests."""
    for path in [root / "tox.ini", root / "Makefile", root / "setup.cfg", *sorted((root / ".github" / "workflows").glob("*.y*ml"))]:
        found = _SETTINGS_OPTION.search(_read(path))
        if found:
            return found.group(1), f"manage.py test, settings from {path.relative_to(root)}"
    for path in _walk(root):
        if any(str(path.relative_to(root)).endswith(suffix) for suffix in _TEST_SETTINGS):
            module = ".".join(path.relative_to(root).with_suffix("").parts)
            return module, f"manage.py test, settings {module}"
    return "", ""


def _uses_pytest(root: Path, tests: list[Path]) -> bool:
    if any(p.name == "conftest.py" for p in _walk(root)) or (root / "pytest.ini").is_file() or "[tool.pytest" in _read(root / "pyproject.toml"):
        return True
    return any(re.search(r"^def test_|^import pytest|^from pytest", _read(path), re.MULTILINE) for path in tests)


def _test_tools(root: Path) -> tuple[str, ...]:
    """The test libraries the project's test or dev requirements name (as pinned there): its
    requirements files for tests, or the extras and dependency groups of its pyproject.toml."""
    lines = [line for pattern in _TEST_REQUIREMENTS for path in sorted(root.glob(pattern)) for line in _read(path).splitlines()]
    lines += _pyproject_test_lines(root)
    found: dict[str, str] = {}
    for line in lines:
        requirement = line.split("#", 1)[0].strip()
        match = _TEST_TOOLS.match(requirement)
        if match:
            found.setdefault(match.group(1).lower(), requirement)
    return tuple(found[name] for name in sorted(found))


def _pyproject_test_lines(root: Path) -> list[str]:
    """The requirements of pyproject.toml's extras and dependency groups (PEP 735) named for tests or development."""
    try:
        project = tomllib.loads(_read(root / "pyproject.toml"))
    except tomllib.TOMLDecodeError:
        return []
    groups = {**project.get("project", {}).get("optional-dependencies", {}), **project.get("dependency-groups", {})}
    return [line for name, members in groups.items() if re.search(r"test|dev", name, re.IGNORECASE) and isinstance(members, list)
            for line in members if isinstance(line, str)]
