"""Static analyzers: pure functions from a source tree to typed facts.

Each analyzer is a plugin (see ``analyzers.base.Analyzer``) in a module of its own. The engine
(``migrator.engine``) runs them through that interface: it scans every file once, in parallel,
caches the per-file facts by content hash and links them into one graph; a failing file is a
value (``Skipped``), never an exception that ends the run.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from analyzers.base import Analyzer


DEFAULT: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("analyzers.imports", "ImportsAnalyzer",
     {"name": "imports", "version": 1, "cacheable": True, "per_module": False, "summary_view": "import-statements", "link_apart": False}),
    ("analyzers.symbols", "SymbolsAnalyzer",
     {"name": "symbols", "version": 3, "cacheable": True, "per_module": True, "summary_view": "summary", "link_apart": False}),
    ("analyzers.data", "DataAnalyzer",
     {"name": "data", "version": 5, "cacheable": True, "per_module": False, "summary_view": "summary", "link_apart": True}),
    ("analyzers.routes", "RoutesAnalyzer",
     {"name": "routes", "version": 5, "cacheable": True, "per_module": False, "summary_view": "summary", "link_apart": False}),
    ("analyzers.events", "EventsAnalyzer",
     {"name": "events", "version": 2, "cacheable": True, "per_module": False, "summary_view": "summary", "link_apart": False}),
    ("analyzers.history", "HistoryAnalyzer",
     {"name": "history", "version": 1, "cacheable": False, "per_module": False, "summary_view": "summary", "link_apart": False}),
)
"""Every analyzer (module, class, and the class attributes of ``analyzers.base.Analyzer`` it has),
in the order their contributions are merged. ``tests/unit/analyzers/test_default_analyzers.py``
checks the attributes against the classes: change them together."""


def default_analyzers() -> list[Analyzer]:
    """Every analyzer, in the order their contributions are merged. Each is imported on first use
    of anything but its class attributes (``DEFAULT``), which are all the engine reads of an
    analyzer whose results it takes from its cache: a warm analysis never imports them (the
    analyzers' modules are a tenth of a second to import)."""
    return [_Deferred(module, cls, known) for module, cls, known in DEFAULT]  # type: ignore[misc]


class _Deferred:
    """An analyzer that is imported and made on first use of anything but ``known``."""

    def __init__(self, module: str, cls: str, known: dict[str, Any]) -> None:
        self.__dict__.update(known)
        self.__dict__["_place"] = (module, cls)

    def __getattr__(self, attr: str) -> Any:
        # only reached for what ``known`` lacks: the analyzer's methods
        if attr.startswith("__") or "_place" not in self.__dict__:
            raise AttributeError(attr)
        analyzer = self.__dict__.get("_analyzer")
        if analyzer is None:
            module, cls = self.__dict__["_place"]
            analyzer = self.__dict__["_analyzer"] = getattr(importlib.import_module(module), cls)()
        return getattr(analyzer, attr)

    def __repr__(self) -> str:
        return f"<{self.__dict__['_place'][1]} (deferred)>"
