"""The migration plan as Markdown, for people; deterministic, like the JSON form."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from migrator.model.plan import EVENT, REST, MigrationPlan

TREATMENT_TEXT = {
    "rest": "synchronous REST call",
    "event": "event on the bus",
    "saga_or_outbox": "saga or transactional outbox",
    "shared_library": "shared library package",
    "api_or_read_model": "API or local read model",
    "foreign_key_in_code": "foreign key moved into code",
    "switch_write_ownership": "write ownership switched",
    "job_moves_with_owner": "job moves with the table's owner",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]], *, empty: str = "") -> list[str]:
    """A Markdown table of ``rows``; ``empty`` (when given) stands for a table without rows."""
    if empty and not rows:
        return [empty]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


Block = list[str]
"""Lines that a blank line follows: a heading, a paragraph, a list, a table, a code block."""


def render_plan_markdown(plan: MigrationPlan) -> str:
    """The plan for people: a summary line, then one section per concern."""
    blocks: list[Block] = [["# Migration plan"], [_summary(plan)]]
    for title, section in SECTIONS:
        blocks += [[f"## {title}"], *section(plan)]
    return "\n".join(line for block in blocks for line in [*block, ""])


def _summary(plan: MigrationPlan) -> str:
    rest = sum(1 for c in plan.crossings if c.treatment == REST)
    events = sum(1 for c in plan.crossings if c.treatment == EVENT)
    return (
        f"{len(plan.services)} services, extracted in {len(plan.waves)} waves; {rest} calls become REST, {events} become events; "
        f"{len(plan.data)} table issues; {len(plan.transactions)} transactions need a saga or outbox; "
        f"{len(plan.violations)} imports break the boundaries today."
    )


def _waves(plan: MigrationPlan) -> list[Block]:
    order = _table(
        ("wave", "service", "risk", "effort", "routes moving at the gateway", "why"),
        [(str(w.number), ", ".join(w.services), f"{w.risk}/5", f"{w.effort}/5", str(len(w.routes)), "; ".join(w.reasons)) for w in plan.waves],
    )
    moves = [[f"Wave {w.number} ({', '.join(w.services)}) moves: " + ", ".join(f"`{r}`" for r in w.routes)] for w in plan.waves if w.routes]
    return [order, *moves]


def _couplings(plan: MigrationPlan) -> list[Block]:
    rows = [
        (c.kind, f"`{c.source}`", f"`{c.target}`", TREATMENT_TEXT.get(c.treatment, c.treatment), ", ".join(c.evidence[:3]))
        for c in plan.couplings
        if c.kind != "shared_package"
    ]
    # one row per package that uses the shared library, not one per module it uses
    uses: dict[str, list[str]] = defaultdict(list)
    for c in plan.couplings:
        if c.kind == "shared_package":
            uses[c.source].append(c.target.rsplit(".", 1)[-1])
    rows += [("shared_package", f"`{source}`", ", ".join(targets), TREATMENT_TEXT["shared_library"], "") for source, targets in sorted(uses.items())]
    return [_table(("coupling", "from", "to", "treatment", "evidence"), rows)]


def _services(plan: MigrationPlan) -> list[Block]:
    blocks: list[Block] = []
    for scope in plan.services:
        facts = [
            f"- modules: {', '.join(f'`{u}`' for u in scope.units)}",
            f"- models: {', '.join(f'`{m}`' for m in scope.models) or 'none'}; tables: {', '.join(scope.tables) or 'none'}",
            f"- routes: {len(scope.routes)}; publishes: {', '.join(scope.publishes) or 'nothing'}; subscribes to: {', '.join(scope.subscribes) or 'nothing'}",
        ]
        if scope.tasks:
            facts.append(f"- tasks and jobs: {', '.join(scope.tasks)}")
        facts.append(f"- depends on: {_counts(scope.depends_on)}; used by: {_counts(scope.used_by)}")
        blocks += [[f"### {scope.name}"], facts]
    return blocks


def _crossings(plan: MigrationPlan) -> list[Block]:
    grouped = defaultdict(list)
    for c in plan.crossings:
        grouped[(c.source_service, c.target_service)].append(c)
    rows = [
        (f"{a} → {b}", TREATMENT_TEXT[c.treatment], c.via, f"`{c.source}` → `{c.target}`", ", ".join(c.evidence[:3]))
        for (a, b), items in sorted(grouped.items())
        for c in items
    ]
    return [_table(("services", "becomes", "via", "code", "evidence"), rows, empty="None.")]


def _data(plan: MigrationPlan) -> list[Block]:
    steps = "Database-per-service steps, in order: " + "; ".join(f"({i}) {s}" for i, s in enumerate(plan.database_steps, 1)) + "."
    rows = [
        (d.table, d.owner, ", ".join(d.services), TREATMENT_TEXT[d.treatment], d.detail or ", ".join(sorted({s for s, _ in d.links}))[:300],
         "; ".join(d.steps), ", ".join(d.evidence[:3]))
        for d in plan.data
    ]
    header = ("table", "owner", "reached by", "treatment", "what", "steps", "evidence")
    return [[steps], _table(header, rows, empty="No table is reached from outside its owner.")]


def _transactions(plan: MigrationPlan) -> list[Block]:
    rows = [
        (f"`{t.root}`", ", ".join(t.services), ", ".join(t.tables), " → ".join(p.rsplit(".", 1)[-1] for p in t.path), TREATMENT_TEXT[t.treatment])
        for t in plan.transactions
    ]
    return [_table(("unit of work", "services", "tables", "path", "treatment"), rows, empty="None.")]


def _enforcement(plan: MigrationPlan) -> list[Block]:
    contracts = (
        f"The contracts below (`.importlinter`, and `tach.toml` for tach users) encode the services and the shared library. "
        f"Today {len(plan.violations)} imports break them:"
    )
    rows = [(v.contract, f"`{v.importer}`", f"`{v.imported}`", ", ".join(v.evidence[:3])) for v in plan.violations]
    return [
        [contracts],
        _table(("contract", "importer", "imported", "where"), rows, empty="None."),
        ["```ini", plan.importlinter.rstrip(), "```"],
        ["Shared library: " + (", ".join(f"`{u}`" for u in plan.shared) or "none") + "."],
        ["Infrastructure (stays with the platform, rebuilt per service): " + (", ".join(f"`{u}`" for u in plan.infrastructure) or "none") + "."],
    ]


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{k} ({v})" for k, v in counts.items()) or "nothing"


SECTIONS: tuple[tuple[str, Callable[[MigrationPlan], list[Block]]], ...] = (
    ("Order of extraction (strangler fig)", _waves),
    ("Couplings and their treatment", _couplings),
    ("Services", _services),
    ("Calls and events across services", _crossings),
    ("Data: one owner per table", _data),
    ("Transactions across services", _transactions),
    ("Boundary enforcement", _enforcement),
)
