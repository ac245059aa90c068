"""What ``migrator propose`` prints: one line per service."""

from __future__ import annotations

from migrator.model.decomposition import Decomposition
from migrator.words import plural


def _split_modules(decomposition: Decomposition) -> list[tuple[str, list[str]]]:
    """Modules other services take classes or functions from -> what each takes (``items 7``)."""
    taken: dict[str, dict[str, int]] = {}
    for service in decomposition.services:
        for symbol in service.symbols:
            counts = taken.setdefault(symbol.rpartition(".")[0], {})
            counts[service.name] = counts.get(service.name, 0) + 1
    return [(module, [f"{name} {count}" for name, count in sorted(counts.items())]) for module, counts in sorted(taken.items())]


def render_decomposition(decomposition: Decomposition, output: str | None = None) -> str:
    rows = [("service", "units", "models", "routes", "depends on")]
    for service in sorted(decomposition.services, key=lambda s: s.name):
        summary = service.summary
        depends = ", ".join(list(summary.get("depends_on", {}))[:4])
        rows.append((service.name, str(len(service.units)), str(summary.get("models_count", 0)), str(summary.get("routes_count", 0)), depends))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [f"Proposed {plural(len(decomposition.services), 'service')} ({decomposition.unit} level):", ""]
    lines += ["  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]
    lines.append("")
    shared = decomposition.shared.units if decomposition.shared else ()
    lines.append(f"Shared library: {plural(len(shared), 'unit')}" + (f" ({', '.join(shared[:5])}{', ...' if len(shared) > 5 else ''})" if shared else ""))
    lines.append(f"Infrastructure: {plural(len(decomposition.infrastructure), 'unit')}" + (f" ({', '.join(decomposition.infrastructure[:5])}{', ...' if len(decomposition.infrastructure) > 5 else ''})" if decomposition.infrastructure else ""))
    split = _split_modules(decomposition)
    if split:
        lines.append(f"Split at class and function level: {plural(len(split), 'module')} ("
                     + "; ".join(f"{module}: {', '.join(takers)}" for module, takers in split[:5]) + ("; ..." if len(split) > 5 else "") + ")")
    if decomposition.excluded:
        lines.append(f"Excluded: {plural(len(decomposition.excluded), 'unit')}")
    if output:
        lines += ["", f"Written to {output}: edit it freely, every later stage honours the edit."]
    return "\n".join(lines)
