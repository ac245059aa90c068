"""What ``migrator check`` prints: each broken contract with the imports that break it, at
file:line, as lint-imports lists them."""

from __future__ import annotations

from itertools import groupby

from migrator.model.plan import BoundaryCheck, Violation
from migrator.words import plural


def render_check(check: BoundaryCheck, decomposition: str) -> str:
    """One line per breaking import, under its contract; a last line with the counts."""
    lines: list[str] = []
    for part, violations in groupby(sorted(check.violations, key=_order), key=lambda v: v.contract):
        found = list(violations)
        lines.append(f"{part} BROKEN ({plural(len(found), 'import')}):")
        lines += [f"  {place}: {v.importer} -> {v.imported}" for v in found for place in v.evidence or (v.importer,)]
        lines.append("")
    kept = len(check.contracts) - len(check.broken)
    lines.append(f"Boundaries of {decomposition}: {plural(len(check.contracts), 'contract')}, {kept} kept, {len(check.broken)} broken; "
                 f"{check_failure(check) if check.violations else 'no new import breaks them' if check.known else 'no import breaks them'}.")
    if check.known:
        lines.append(f"Tolerated, as the baseline lists them: {plural(len(check.known), 'import that breaks', 'imports that break')} them too.")
    if check.unchecked:
        lines.append(f"Left unchecked: {plural(len(check.unchecked), 'package init')} whose submodules belong to several services "
                     f"({', '.join(check.unchecked[:5])}{', ...' if len(check.unchecked) > 5 else ''}).")
    return "\n".join(lines)


def check_failure(check: BoundaryCheck) -> str:
    """``28 imports break the boundaries``: the one-line reason a failed check exits with."""
    return f"{plural(len(check.violations), 'import breaks', 'imports break')} the boundaries"


def _order(violation: Violation) -> tuple[str, str, str]:
    return violation.contract, violation.importer, violation.imported
