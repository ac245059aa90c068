"""Placeholder: being written."""

from __future__ import annotations

from analyzers.base import Analyzer, Contribution, Project


class RoutesAnalyzer(Analyzer):
    name = "routes"

    def link(self, project: Project) -> Contribution:
        return Contribution()
