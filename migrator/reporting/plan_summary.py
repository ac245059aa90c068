"""The plan in numbers: what ``plan`` and ``migrate`` print once the plan is written."""

from __future__ import annotations

from migrator.model.plan import EVENT, REST, MigrationPlan
from migrator.words import plural


def plan_counts(plan: MigrationPlan) -> dict[str, int]:
    """How much the plan holds, by kind; the ``--json`` form of the summary."""
    return {
        "services": len(plan.services),
        "waves": len(plan.waves),
        "rest_calls": sum(1 for c in plan.crossings if c.treatment == REST),
        "events": sum(1 for c in plan.crossings if c.treatment == EVENT),
        "table_issues": len(plan.data),
        "transactions": len(plan.transactions),
        "violations": len(plan.violations),
    }


def render_plan_counts(counts: dict[str, int]) -> str:
    """``10 waves, 12 REST calls, 1 event, ...``: the counts as one line for people."""
    return ", ".join((
        plural(counts["waves"], "wave"),
        plural(counts["rest_calls"], "REST call"),
        plural(counts["events"], "event"),
        plural(counts["table_issues"], "table issue"),
        plural(counts["transactions"], "transaction needing a saga", "transactions needing a saga"),
        plural(counts["violations"], "import breaking the boundaries", "imports breaking the boundaries") + " today",
    ))
