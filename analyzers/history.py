"""Placeholder: being written."""

from __future__ import annotations

from analyzers.base import Analyzer, Contribution, Project


class HistoryAnalyzer(Analyzer):
    name = "history"

    def link(self, project: Project) -> Contribution:
        return Contribution()
