"""A per-module analyzer's link, planned: what it keeps, what it links again, and where.

A per-module link (``Analyzer.per_module``) is the concatenation of one part per module. A warm
run keeps the parts whose inputs are unchanged; of the modules to link again, a forked child
takes the biggest ones, up to its share, while this process links the other analyzers.
"""

from __future__ import annotations

import contextlib
import marshal
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from analyzers.base import Analyzer, Project
from migrator.engine.forking import Forked
from migrator.engine.packing import Packed, freeze_packed, thaw_packed

PARALLEL_LINK_LINES = 50_000
"""Below this many lines to link again, forking a child costs more than it saves."""
CHILD_SHARE = 0.7
"""The child's share of a per-module link: this process links the other analyzers meanwhile."""


def worth_a_child(lines: int) -> bool:
    """Whether a link of this many lines pays for a forked child (``PARALLEL_LINK_LINES``)."""
    return lines >= PARALLEL_LINK_LINES


def nothing() -> None:
    """A step with nothing to do."""


@dataclass
class ModulePlan:
    """A per-module analyzer's link: the modules kept from the previous run, those to link
    again, and (on a large link) the share of them that a forked child links."""

    analyzer: Analyzer
    digests: dict[str, tuple[str, ...]]
    fingerprint: str
    reused: bool = False
    kept: dict[str, Packed] = field(default_factory=dict)
    todo: list[tuple[str, int]] = field(default_factory=list)
    """Modules to link, with their weight (lines)."""
    child: Forked[bytes] | None = None
    child_modules: set[str] = field(default_factory=set)
    sent: bool = False
    """The child was sent the other contributions, to write a share of the edges."""

    def share_with_child(
        self,
        children: contextlib.ExitStack,
        project: Project,
        *,
        fork: bool,
        first: Callable[[], object],
        then: Callable[[str, dict[str, Packed], Any, Callable[[], Any]], Any] | None = None,
        before: Callable[[], object] = nothing,
    ) -> bool:
        """Fork a child that runs ``first``, then links a share of the modules, if that pays.
        With ``then``, the child stays for more work (``Forked.send``): ``then`` gets the
        analyzer's name, the packs the child linked, the payload and ``more``."""
        total = sum(weight for _, weight in self.todo)
        if self.reused or not worth_a_child(total) or not fork:
            return False
        # the biggest modules first, as long as they fit the share
        budget, taken = total * CHILD_SHARE, 0
        for module, weight in sorted(self.todo, key=lambda item: -item[1]):
            if taken + weight <= budget:
                self.child_modules.add(module)
                taken += weight
        share = [m for m, _ in self.todo if m in self.child_modules]
        analyzer = self.analyzer

        own: dict[str, Packed] = {}

        def task() -> bytes:
            first()
            own.update((m, Packed.of(analyzer.link_module(project, m))) for m in share)
            # marshal: the child's share crosses to this process four times faster than pickled
            return marshal.dumps({m: freeze_packed(packed) for m, packed in own.items()})

        more = None if then is None else lambda payload, following: then(analyzer.name, own, payload, following)
        before()
        self.child = children.enter_context(Forked(task, then=more))
        return True

    def link_here(self, project: Project) -> dict[str, Packed]:
        return {m: Packed.of(self.analyzer.link_module(project, m)) for m, _ in self.todo if m not in self.child_modules}

    def child_result(self) -> dict[str, Packed]:
        if self.child is None:
            return {}
        return {m: thaw_packed(p) for m, p in marshal.loads(self.child.result()).items()}
