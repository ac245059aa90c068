"""The files scanned again since the last run, and whether their edits only moved lines.

When every edited file's summary only moved (``relocation``), or gained functions that nothing
else in the tree names, the whole-program links can keep their previous contributions with the
places moved, and the per-module link need not relink the modules that read the edited ones.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from analyzers.base import SUMMARY, Analyzer
from migrator.engine.relocation import LineMap, NotRelocatable, added_definitions, relocate
from migrator.engine.scan_cache import SOURCE, VIEWS, ScannedFile
from migrator.engine.scanning import ScanOutcome

Moved = dict[str, tuple[ScannedFile, LineMap]]
"""Module -> (its previous scan, the map of its old lines to its new ones)."""


class Edits:
    """The edits of a warm run's scan (``ScanOutcome.previous``), looked at once."""

    def __init__(self, outcome: ScanOutcome, summaries: Mapping[str, Any], analyzers: Sequence[Analyzer]) -> None:
        self.outcome = outcome
        self.summaries = summaries
        self.analyzers = analyzers
        self.by_relpath = {s.file.relpath: s for s in outcome.scans}
        self._moved: Moved | None = None

    def moved(self) -> Moved:
        """The files scanned again whose summary only moved, or gained functions that nothing
        else in the tree names. Empty when any changed file's summary changed otherwise, or the
        previous scan is gone."""
        if self._moved is None:
            self._moved, added = {}, set()
            for relpath, old in self.outcome.previous.items():
                new = self.by_relpath[relpath]
                old_source, new_source = self.outcome.source(old), self.outcome.source(new)
                if old_source is None or new_source is None:
                    return self._none()
                lines = LineMap.between(old_source, new_source)
                module = new.file.module
                if old.digests[SUMMARY] != new.digests[SUMMARY]:
                    try:
                        names = added_definitions(relocate(self.outcome.load(old, SUMMARY), lines), self.summaries[module])
                    except NotRelocatable:
                        names = None
                    if names is None:
                        return self._none()
                    added |= names
                self._moved[module] = (old, lines)
            if added and not self._unnamed(added):
                return self._none()
        return self._moved

    def digests_before(self, part: str) -> list[str | None]:
        """Every file's digest of ``part``, the edited files' as they were (``moved``)."""
        moved = self.moved()
        return [moved[s.file.module][0].digests.get(part) if s.file.module in moved else s.digests.get(part) for s in self.outcome.scans]

    def _none(self) -> Moved:
        self._moved = {}
        return self._moved

    def _unnamed(self, names: set[str]) -> bool:
        """Whether no file but the edited ones holds any of ``names`` (new definitions): then no
        other module can refer to them, and no other module's link changes. The edited files'
        facts must not name them either, except those of a per-module analyzer (linked again)."""
        needles = [name.encode() for name in names]
        per_module = {a.name for a in self.analyzers if a.per_module} | {SUMMARY, SOURCE, *VIEWS}
        for scanned in self.outcome.scans:
            edited = scanned.file.relpath in self.outcome.previous
            parts = [p for p in scanned.digests if p not in per_module] if edited else [SOURCE]
            for part in parts:
                if any(self.outcome.holds(scanned, part, needle) for needle in needles):
                    return False
        return True
