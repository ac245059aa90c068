"""What the running test did that only holds in the suite's own process (the services never see
it): read a response's template context, asserted on templates, read the mail outbox, started a
mock.patch, authenticated a client in process. Reset when each test starts."""

from __future__ import annotations

CURRENT: list[str] = []
TEST = [""]  # the running test's id (``per_test``)
GAPS: list[str] = []
"""What the services did, while the running test's requests were answered, to tables their
databases do not hold (``split_gaps``): not in process, a gap of the split."""


def note(what: str) -> None:
    if what not in CURRENT:
        CURRENT.append(what)


def reset() -> list[str]:
    taken = list(CURRENT)
    CURRENT.clear()
    return taken


def begin(test_id: str) -> None:
    """A test starts: nothing noted yet."""
    reset()
    GAPS.clear()
    TEST[0] = test_id
