"""The routes link: every part put together, in the order each needs the others."""

from __future__ import annotations

from analyzers.base import Contribution, warning_note
from analyzers.routes.django import _DjangoLinks
from analyzers.routes.helpers import _HelperLinks
from analyzers.routes.mounts import _MountLinks
from analyzers.routes.route_like import shortfall


class _Linker(_MountLinks, _HelperLinks, _DjangoLinks):
    """Turns every file's route facts into route nodes and HANDLES edges."""

    def run(self) -> Contribution:
        self._collect_objects()
        self._collect_registrations()
        self._django()
        self._apps()
        self._helpers()
        route_like = {self.files[m].relpath: f.route_like for m, f in self.facts.items() if f.route_like}
        found = shortfall(len(self.nodes), route_like)
        if found:
            self.notes.append(warning_note(found))
        return Contribution(list(self.nodes.values()), list(self.edges.values()), list(self.skipped.values()), self.notes)
