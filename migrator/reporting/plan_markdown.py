"""The migration plan as Markdown, for people; deterministic, like the JSON form. Every name from
the code or the decomposition goes through ``markdown_text`` or ``code``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from migrator.markdown import code, fenced, markdown_text
from migrator.model.plan import CHANNEL, CLIENT, EVENT, HOT_PER_REQUEST, REST, Crossing, MigrationPlan
from migrator.words import plural

TREATMENT_TEXT = {
    "rest": "synchronous REST call",
    "event": "event on the bus",
    "in_process": "stays in the caller's process",
    "saga_or_outbox": "saga or transactional outbox",
    "shared_library": "shared library package",
    "api_or_read_model": "API or local read model",
    "foreign_key_in_code": "foreign key moved into code",
    "switch_write_ownership": "write forwarded to the owner",
    "job_moves_with_owner": "job moves with the table's owner",
}


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]], *, empty: str = "") -> list[str]:
    """A Markdown table of ``rows`` (cells already Markdown); ``empty`` (when given) stands for a
    table without rows."""
    if empty and not rows:
        return [empty]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _names(names: Iterable[str], *, empty: str = "") -> str:
    """Names from the code, as literal text separated by commas."""
    return ", ".join(markdown_text(n) for n in names) or empty


def _codes(names: Iterable[str], *, empty: str = "") -> str:
    return ", ".join(code(n) for n in names) or empty


def _cell_code(text: str) -> str:
    return code(text, in_table=True)


Block = list[str]
"""Lines that a blank line follows: a heading, a paragraph, a list, a table, a code block."""


def render_plan_markdown(plan: MigrationPlan) -> str:
    """The plan for people: a summary line, then one section per concern."""
    blocks: list[Block] = [["# Migration plan"], [_summary(plan)]]
    for title, section in SECTIONS:
        body = section(plan)
        if body:  # a section with nothing to say (run time, without a trace) is left out
            blocks += [[f"## {title}"], *body]
    return "\n".join(line for block in blocks for line in [*block, ""])


def _summary(plan: MigrationPlan) -> str:
    rest = sum(1 for c in plan.crossings if c.treatment == REST)
    events = sum(1 for c in plan.crossings if c.treatment == EVENT)
    return (
        f"{plural(len(plan.services), 'service')}, extracted in {plural(len(plan.waves), 'wave')}; "
        f"{plural(rest, 'call becomes', 'calls become')} REST, {plural(events, 'becomes an event', 'become events')}; "
        f"{plural(len(plan.data), 'table issue')}; {plural(len(plan.transactions), 'transaction needs', 'transactions need')} a saga or outbox; "
        f"{plural(len(plan.violations), 'import breaks', 'imports break')} the boundaries today."
    )


def _waves(plan: MigrationPlan) -> list[Block]:
    order = _table(
        ("wave", "service", "risk", "effort", "routes moving at the gateway", "why"),
        [(str(w.number), _names(w.services), f"{w.risk}/5", f"{w.effort}/5", str(len(w.routes)), "; ".join(map(markdown_text, w.reasons)))
         for w in plan.waves],
    )
    moves = [[f"Wave {w.number} ({_names(w.services)}) moves: " + _codes(w.routes)] for w in plan.waves if w.routes]
    held = [f"- {code(h.route)} of {markdown_text(h.service)}: {markdown_text(h.reason)}" for h in plan.held_routes]
    if held:
        held.insert(0, f"{plural(len(held), 'route stays', 'routes stay')} with the monolith at the gateway, whichever wave moves its service:")
    return [order, *moves, *([held] if held else [])]


def _couplings(plan: MigrationPlan) -> list[Block]:
    rows = [
        (c.kind, _cell_code(c.source), _cell_code(c.target), TREATMENT_TEXT.get(c.treatment, c.treatment), _names(c.evidence[:3]))
        for c in plan.couplings
        if c.kind != "shared_package"
    ]
    # one row per package that uses the shared library, not one per module it uses
    uses: dict[str, list[str]] = defaultdict(list)
    for c in plan.couplings:
        if c.kind == "shared_package":
            uses[c.source].append(c.target.rsplit(".", 1)[-1])
    rows += [("shared_package", _cell_code(source), _names(targets), TREATMENT_TEXT["shared_library"], "") for source, targets in sorted(uses.items())]
    return [_table(("coupling", "from", "to", "treatment", "evidence"), rows)]


def _services(plan: MigrationPlan) -> list[Block]:
    blocks: list[Block] = []
    for scope in plan.services:
        facts = [
            f"- modules: {_codes(scope.units)}",
            f"- models: {_codes(scope.models, empty='none')}; tables: {_names(scope.tables, empty='none')}",
            f"- routes: {len(scope.routes)}; publishes: {_names(scope.publishes, empty='nothing')}; "
            f"subscribes to: {_names(scope.subscribes, empty='nothing')}",
        ]
        if scope.tasks:
            facts.append(f"- tasks and jobs: {_names(scope.tasks)}")
        facts.append(f"- depends on: {_counts(scope.depends_on)}; used by: {_counts(scope.used_by)}")
        blocks += [[f"### {markdown_text(scope.name)}"], facts]
    return blocks


def _crossings(plan: MigrationPlan) -> list[Block]:
    grouped = defaultdict(list)
    for c in plan.crossings:
        grouped[(c.source_service, c.target_service)].append(c)
    rows = [
        (f"{markdown_text(a)} → {markdown_text(b)}", TREATMENT_TEXT[c.treatment], c.via, f"{_cell_code(c.source)} → {_cell_code(c.target)}",
         markdown_text(generated_text(c)), _names(c.evidence[:3]))
        for (a, b), items in sorted(grouped.items())
        for c in items
    ]
    return [_table(("services", "becomes", "via", "code", "in the generated code", "evidence"), rows, empty="None.")]


def generated_text(crossing: Crossing) -> str:
    """What the generated code has for a crossing, and why when it is not what the plan says."""
    what = {CLIENT: "client and internal endpoint", CHANNEL: f"channel {crossing.event}"}.get(crossing.generated, "nothing")
    return f"{what}: {crossing.reason}" if crossing.reason else what


def _data(plan: MigrationPlan) -> list[Block]:
    steps = "Database-per-service steps, in order: " + "; ".join(f"({i}) {s}" for i, s in enumerate(plan.database_steps, 1)) + "."
    rows = [
        (markdown_text(d.table), markdown_text(d.owner), _names(d.services), TREATMENT_TEXT[d.treatment],
         markdown_text(d.detail or ", ".join(sorted({s for s, _ in d.links}))[:300]), "; ".join(map(markdown_text, d.steps)), _names(d.evidence[:3]))
        for d in plan.data
    ]
    header = ("table", "owner", "reached by", "treatment", "what", "steps", "evidence")
    return [[steps], _table(header, rows, empty="No table is reached from outside its owner.")]


def _transactions(plan: MigrationPlan) -> list[Block]:
    rows = [
        (_cell_code(t.root), _names(t.services), _names(t.tables), " → ".join(markdown_text(p.rsplit(".", 1)[-1]) for p in t.path),
         TREATMENT_TEXT[t.treatment])
        for t in plan.transactions
    ]
    return [_table(("unit of work", "services", "tables", "path", "treatment"), rows, empty="None.")]


def _runtime(plan: MigrationPlan) -> list[Block]:
    """With a merged trace: the calls across services by their volume, the transactions seen."""
    runtime = plan.runtime
    if runtime is None:
        return []
    hot = sum(c.hot for c in runtime.calls)
    intro = (f"From the trace merged into the graph: {plural(len(runtime.calls), 'synchronous call')} across services ran "
             f"({hot} hot: {HOT_PER_REQUEST:g} or more per request, each a network round trip once split; batch them, cache, or "
             f"move the caller and callee together); {plural(runtime.unseen_crossings, 'other')} never ran in the traced use cases.")
    calls = [(_cell_code(c.source), _cell_code(c.target), markdown_text(f"{c.source_service} → {c.target_service}"), str(c.calls),
              f"{c.per_request:g}", _cell_code(c.route) if c.route else "", "**hot**" if c.hot else "")
             for c in runtime.calls]
    transactions = [(_cell_code(t.function), markdown_text(t.service), _names(t.tables), _names(t.services), str(t.count),
                     TREATMENT_TEXT["saga_or_outbox"] if len(t.services) > 1 else "stays in one service")
                    for t in runtime.transactions]
    return [[intro], _table(("caller", "callee", "services", "calls", "per request", "route", ""), calls, empty="None ran."),
            ["Transactions seen at run time, by the function that made their first write and what they wrote:"],
            _table(("first write in", "its service", "tables written", "owners", "times", "treatment"), transactions, empty="None seen.")]


def _enforcement(plan: MigrationPlan) -> list[Block]:
    contracts = (
        f"The contracts below (`.importlinter`, and `tach.toml` for tach users) encode the services and the shared library. "
        f"Today {plural(len(plan.violations), 'import breaks', 'imports break')} them:"
    )
    rows = [(markdown_text(v.contract), _cell_code(v.importer), _cell_code(v.imported), _names(v.evidence[:3])) for v in plan.violations]
    return [
        [contracts],
        _table(("contract", "importer", "imported", "where"), rows, empty="None."),
        fenced(plan.importlinter.rstrip(), "ini"),
        ["Shared library: " + _codes(plan.shared, empty="none") + "."],
        ["Infrastructure (stays with the platform, rebuilt per service): " + _codes(plan.infrastructure, empty="none") + "."],
    ]


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{markdown_text(k)} ({v})" for k, v in counts.items()) or "nothing"


SECTIONS: tuple[tuple[str, Callable[[MigrationPlan], list[Block]]], ...] = (
    ("Order of extraction (strangler fig)", _waves),
    ("Couplings and their treatment", _couplings),
    ("Services", _services),
    ("Calls and events across services", _crossings),
    ("Data: one owner per table", _data),
    ("Transactions across services", _transactions),
    ("Run time: volumes and observed transactions", _runtime),
    ("Boundary enforcement", _enforcement),
)
