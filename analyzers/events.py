"""Placeholder: being written."""

from __future__ import annotations

from analyzers.base import Analyzer, Contribution, Project


class EventsAnalyzer(Analyzer):
    name = "events"

    def link(self, project: Project) -> Contribution:
        return Contribution()
