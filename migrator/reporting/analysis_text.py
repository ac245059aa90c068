"""The summary that ``migrator analyze`` prints."""

from __future__ import annotations

from migrator.model.summary import AnalysisSummary
from migrator.words import plural

LISTED = 12
"""How many routes, models, events... are named before "and N more"."""


def render_analysis_summary(summary: AnalysisSummary, *, verbose: bool = False) -> str:
    limit = None if verbose else LISTED
    lines = [
        f"Analysed {plural(summary.files, 'file')} ({plural(summary.lines, 'line')}) under {summary.root}",
        f"  import roots: {', '.join(summary.roots)}" + (f"; {plural(summary.reused, 'file')} from cache" if summary.reused else ""),
        "",
        "Nodes: " + _counts(summary.nodes),
        "Edges: " + _counts(summary.edges),
    ]
    for title, items in (
        ("Routes", summary.routes),
        ("Models", summary.models),
        ("Events", summary.events),
        ("Tasks and jobs", summary.tasks),
    ):
        lines.append("")
        lines.append(f"{title} ({len(items)})" + (":" if items else ""))
        lines.extend(f"  {item}" for item in items[:limit])
        if limit is not None and len(items) > limit:
            lines.append(f"  ... and {len(items) - limit} more (--verbose lists all)")
    if summary.notes:
        lines.append("")
        lines.append("Notes:")
        lines.extend(f"  {note}" for note in summary.notes)
    lines.append("")
    if summary.skipped:
        lines.append(f"Skipped ({len(summary.skipped)}):")
        lines.extend(f"  {item}" for item in summary.skipped[:limit])
        if limit is not None and len(summary.skipped) > limit:
            lines.append(f"  ... and {len(summary.skipped) - limit} more (--verbose lists all)")
    else:
        lines.append("Skipped: none")
    if summary.output:
        lines.append("")
        lines.append(f"Graph written to {summary.output}")
    return "\n".join(lines)


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{count} {kind}" for kind, count in counts.items()) or "none"
