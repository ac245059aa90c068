"""What the tracer counts, keyed by the use case it happened in: the test running (a global, since a
suite runs one test at a time and an in-process client may serve it on another thread) and the
route of the HTTP request being served, if any. Names are the project's own: ``module.qualname``."""

from __future__ import annotations

import json
import os
import sys
from typing import Any, Dict, Optional, Tuple

STATE: "Optional[Recorder]" = None
MAX_DEPTH = 120
"""Frames walked up to find the project function that called, through library frames (a framework's
dispatch, a signal, a registry): the calls static analysis cannot see."""
_TEST_PARTS = ("tests", "test", "testing")
_OUTSIDE = ("site-packages", "dist-packages", os.sep + ".venv" + os.sep, os.sep + "venv" + os.sep, os.sep + ".tox" + os.sep)


class Recorder:
    """The counts of one traced process."""

    def __init__(self, root: str) -> None:
        self.root = os.path.realpath(root) + os.sep
        self.agent = os.path.dirname(os.path.realpath(__file__))
        self.test: Optional[str] = None
        self.route: Optional[str] = None
        self.names: Dict[Any, Any] = {}
        """code object -> its project name, or False when it is not the project's own."""
        self.calls: Dict[Tuple[Any, ...], int] = {}
        self.sql: Dict[Tuple[Any, ...], int] = {}
        self.statements: Dict[str, Any] = {}
        self.transactions: Dict[Tuple[Any, ...], int] = {}
        self.exceptions: Dict[Tuple[Any, ...], int] = {}
        self.requests: Dict[Tuple[Any, ...], int] = {}
        self.tests: Dict[str, int] = {}
        self.places: Dict[str, str] = {}
        self.last_exception: Any = None

    def name_of(self, code: Any, module: Optional[str]) -> Any:
        """The project name of ``code`` (run in ``module``), or False; kept per code object."""
        name = self.names.get(code)
        if name is None:
            name = self._classify(code, module)
            self.names[code] = name
        return name

    def _classify(self, code: Any, module: Optional[str]) -> Any:
        path = os.path.realpath(code.co_filename) if code.co_filename and not code.co_filename.startswith("<") else ""
        if not path.startswith(self.root) or path.startswith(self.agent) or any(part in path for part in _OUTSIDE):
            return False
        relative = path[len(self.root):]
        parts = relative.split(os.sep)
        stem = parts[-1]
        if any(part in _TEST_PARTS for part in parts[:-1]) or stem.startswith("test_") or stem in ("conftest.py", "tests.py") \
                or stem.endswith("_tests.py"):
            return False
        if module == "__main__":
            return False  # the program's entry (manage.py's main): below every stack, it calls nothing itself
        if not module:
            module = ".".join(p for p in (relative[:-3] if relative.endswith(".py") else relative).split(os.sep))
            if module.endswith(".__init__"):
                module = module[: -len(".__init__")]
        qualname = getattr(code, "co_qualname", code.co_name).split(".<locals>", 1)[0]
        name = module if qualname == "<module>" or qualname.startswith("<") else f"{module}.{qualname}"
        self.places.setdefault(name, f"{relative.replace(os.sep, '/')}:{code.co_firstlineno}")
        return name

    def caller(self, frame: Any) -> Optional[str]:
        """The nearest project function from ``frame`` up (``frame`` included)."""
        depth = 0
        names = self.names
        while frame is not None and depth < MAX_DEPTH:
            code = frame.f_code
            name = names.get(code)
            if name is None:
                name = self.name_of(code, frame.f_globals.get("__name__"))
            if name:
                return name
            frame = frame.f_back
            depth += 1
        return None

    def call(self, frame: Any, name: str) -> None:
        """``name`` starts in ``frame``: count the call from the nearest project function above it."""
        caller = self.caller(frame.f_back)
        if caller == name:
            return  # recursion, or a comprehension in its own function
        key = (self.test, self.route, caller, name)
        calls = self.calls
        calls[key] = calls.get(key, 0) + 1

    def start_test(self, test_id: str) -> None:
        self.test = test_id
        self.route = None
        self.tests[test_id] = self.tests.get(test_id, 0) + 1

    def end_test(self) -> None:
        self.test = None
        self.route = None

    def start_request(self, route: str) -> Optional[str]:
        """Serving a request of ``route`` (``METHOD path``): returns the route it interrupts."""
        previous, self.route = self.route, route
        key = (self.test, route)
        self.requests[key] = self.requests.get(key, 0) + 1
        return previous

    def end_request(self, previous: Optional[str]) -> None:
        self.route = previous

    def count(self, table: Dict[Tuple[Any, ...], int], *key: Any) -> None:
        full = (self.test, self.route, *key)
        table[full] = table.get(full, 0) + 1

    def dump(self, path: str, *, tracer: str) -> None:
        def rows(table: Dict[Tuple[Any, ...], int]) -> list:
            return [[*key, count] for key, count in table.items()]

        data = {
            "agent": 1, "tracer": tracer, "python": ".".join(map(str, sys.version_info[:3])), "root": self.root.rstrip(os.sep),
            "calls": rows(self.calls), "sql": rows(self.sql), "statements": self.statements,
            "transactions": rows(self.transactions), "exceptions": rows(self.exceptions), "requests": rows(self.requests),
            "tests": self.tests, "places": self.places,
        }
        with open(path, "w", encoding="utf-8") as file:
            json.dump(data, file)
