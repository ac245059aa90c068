"""Static analyzers: pure functions from a source tree to typed facts.

Each analyzer is a plugin (see ``analyzers.base.Analyzer``) in a module of its own. The engine
(``migrator.engine``) runs them through that interface: it scans every file once, in parallel,
caches the per-file facts by content hash and links them into one graph; a failing file is a
value (``Skipped``), never an exception that ends the run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from analyzers.base import Analyzer


def default_analyzers() -> list[Analyzer]:
    """Every analyzer, in the order their contributions are merged."""
    from analyzers.data import DataAnalyzer
    from analyzers.events import EventsAnalyzer
    from analyzers.history import HistoryAnalyzer
    from analyzers.imports import ImportsAnalyzer
    from analyzers.routes import RoutesAnalyzer
    from analyzers.symbols import SymbolsAnalyzer

    return [ImportsAnalyzer(), SymbolsAnalyzer(), DataAnalyzer(), RoutesAnalyzer(), EventsAnalyzer(), HistoryAnalyzer()]
