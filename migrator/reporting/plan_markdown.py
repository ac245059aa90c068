"""The migration plan as Markdown, for people; deterministic, like the JSON form."""

from __future__ import annotations

from collections import defaultdict

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


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def render_plan_markdown(plan: MigrationPlan) -> str:
    out: list[str] = ["# Migration plan", ""]
    rest = sum(1 for c in plan.crossings if c.treatment == REST)
    events = sum(1 for c in plan.crossings if c.treatment == EVENT)
    out += [
        f"{len(plan.services)} services, extracted in {len(plan.waves)} waves; {rest} calls become REST, {events} become events; "
        f"{len(plan.data)} table issues; {len(plan.transactions)} transactions need a saga or outbox; "
        f"{len(plan.violations)} imports break the boundaries today.",
        "",
        "## Order of extraction (strangler fig)",
        "",
    ]
    out += _table(
        ("wave", "service", "risk", "effort", "routes moving at the gateway", "why"),
        [(str(w.number), ", ".join(w.services), f"{w.risk}/5", f"{w.effort}/5", str(len(w.routes)), "; ".join(w.reasons)) for w in plan.waves],
    )
    for wave in plan.waves:
        if wave.routes:
            out += ["", f"Wave {wave.number} ({', '.join(wave.services)}) moves: " + ", ".join(f"`{r}`" for r in wave.routes)]
    out += ["", "## Couplings and their treatment", ""]
    rows = [
        (c.kind, f"`{c.source}`", f"`{c.target}`", TREATMENT_TEXT.get(c.treatment, c.treatment), ", ".join(c.evidence[:3]))
        for c in plan.couplings
        if c.kind != "shared_package"
    ]
    uses: dict[str, list[str]] = defaultdict(list)
    for c in plan.couplings:
        if c.kind == "shared_package":
            uses[c.source].append(c.target.rsplit(".", 1)[-1])
    rows += [("shared_package", f"`{source}`", ", ".join(targets), TREATMENT_TEXT["shared_library"], "") for source, targets in sorted(uses.items())]
    out += _table(("coupling", "from", "to", "treatment", "evidence"), rows)
    out += ["", "## Services", ""]
    for scope in plan.services:
        out += [f"### {scope.name}", ""]
        out += [f"- modules: {', '.join(f'`{u}`' for u in scope.units)}"]
        out += [f"- models: {', '.join(f'`{m}`' for m in scope.models) or 'none'}; tables: {', '.join(scope.tables) or 'none'}"]
        out += [f"- routes: {len(scope.routes)}; publishes: {', '.join(scope.publishes) or 'nothing'}; subscribes to: {', '.join(scope.subscribes) or 'nothing'}"]
        if scope.tasks:
            out += [f"- tasks and jobs: {', '.join(scope.tasks)}"]
        out += [f"- depends on: {_counts(scope.depends_on)}; used by: {_counts(scope.used_by)}", ""]
    out += ["## Calls and events across services", ""]
    grouped = defaultdict(list)
    for c in plan.crossings:
        grouped[(c.source_service, c.target_service)].append(c)
    rows = []
    for (a, b), items in sorted(grouped.items()):
        for c in items:
            rows.append((f"{a} → {b}", TREATMENT_TEXT[c.treatment], c.via, f"`{c.source}` → `{c.target}`", ", ".join(c.evidence[:3])))
    out += _table(("services", "becomes", "via", "code", "evidence"), rows) if rows else ["None."]
    out += ["", "## Data: one owner per table", ""]
    out += ["Database-per-service steps, in order: " + "; ".join(f"({i}) {s}" for i, s in enumerate(plan.database_steps, 1)) + ".", ""]
    out += _table(
        ("table", "owner", "reached by", "treatment", "what", "steps", "evidence"),
        [
            (d.table, d.owner, ", ".join(d.services), TREATMENT_TEXT[d.treatment], d.detail or ", ".join(sorted({s for s, _ in d.links}))[:300],
             "; ".join(d.steps), ", ".join(d.evidence[:3]))
            for d in plan.data
        ],
    ) if plan.data else ["No table is reached from outside its owner."]
    out += ["", "## Transactions across services", ""]
    out += _table(
        ("unit of work", "services", "tables", "path", "treatment"),
        [(f"`{t.root}`", ", ".join(t.services), ", ".join(t.tables), " → ".join(p.rsplit(".", 1)[-1] for p in t.path), TREATMENT_TEXT[t.treatment]) for t in plan.transactions],
    ) if plan.transactions else ["None."]
    out += ["", "## Boundary enforcement", ""]
    out += [
        f"The contracts below (`.importlinter`, and `tach.toml` for tach users) encode the services and the shared library. "
        f"Today {len(plan.violations)} imports break them:",
        "",
    ]
    out += _table(
        ("contract", "importer", "imported", "where"),
        [(v.contract, f"`{v.importer}`", f"`{v.imported}`", ", ".join(v.evidence[:3])) for v in plan.violations],
    ) if plan.violations else ["None."]
    out += ["", "```ini", plan.importlinter.rstrip(), "```", ""]
    out += ["Shared library: " + (", ".join(f"`{u}`" for u in plan.shared) or "none") + ".", ""]
    out += ["Infrastructure (stays with the platform, rebuilt per service): " + (", ".join(f"`{u}`" for u in plan.infrastructure) or "none") + ".", ""]
    return "\n".join(out)


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{k} ({v})" for k, v in counts.items()) or "nothing"
