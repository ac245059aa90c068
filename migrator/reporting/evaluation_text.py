"""What ``migrator evaluate`` prints: the scores with which way is better."""

from __future__ import annotations

from typing import Any

from migrator.words import plural

METRICS: tuple[tuple[str, str, str, str], ...] = (
    ("sm", "Structural Modularity", "higher", "call-joined unit pairs inside services minus those between them (Jin et al. 2019, as Mono2Micro's code)"),
    ("ned", "Non-Extreme Distribution", "lower", "share of units in services of extreme size (<5 or >20 units)"),
    ("icp", "Inter-Call Percentage", "lower", "share of calls crossing services, each caller-callee pair weighing 1 + ln(calls) (Mono2Micro's code)"),
    ("icp_volume", "ICP by raw volume", "lower", "share of call volume crossing services (Mono2Micro's paper)"),
    ("ifn", "Interface Number", "lower", "unit pairs joined by a call across services, per service (Mono2Micro's code)"),
    ("ifn_interfaces", "IFN by interfaces", "lower", "units called from other services, per service (the paper's definition)"),
    ("bcp", "Business Context Purity", "lower", "mean entropy of the routes reaching each service (Mono2Micro)"),
    ("mq", "Modularization Quality", "higher", "TurboMQ of Bunch: sum of cluster factors"),
    ("modularity", "Newman modularity", "higher", "Q of the undirected weighted graph"),
    ("cargo_cohesion", "CARGO cohesion", "higher", "mean share of each service's ties that stay inside it"),
    ("cargo_coupling", "CARGO coupling", "lower", "share of all dependency weight crossing services"),
    ("mojofm", "MoJoFM vs truth", "higher", "100 - moves and joins to reach the truth, in % (Wen and Tzerpos 2004)"),
    ("a2a", "a2a vs truth", "higher", "architecture-to-architecture similarity, in % (Le et al. 2015)"),
    ("ari", "Adjusted Rand index vs truth", "higher", "pair agreement with the truth, corrected for chance"),
)


def render_evaluation(data: dict[str, Any]) -> str:
    scores = data["scores"]
    lines = [
        f"{plural(data['services'], 'service')}; {data['in_services']} of {plural(data['units'], 'unit')} in services "
        f"({100 * data['assigned_share']:.1f}%), {data['shared']} shared, {data['infrastructure']} infrastructure"
        + (f", {data['excluded']} excluded" if data["excluded"] else ""),
        "",
    ]
    rows = [("metric", "value", "better", "what it measures")]
    for key, name, better, meaning in METRICS:
        value = scores.get(key)
        if value is None:
            continue
        rows.append((name, f"{value:.3f}" if key not in ("mojofm", "a2a") else f"{value:.1f}%", better, meaning))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines += ["  " + "  ".join(r[i].ljust(widths[i]) for i in range(3)) + "  " + r[3] for r in rows]
    conflicts = scores.get("ownership_conflicts") or []
    lines.append("")
    lines.append(f"Data-ownership conflicts: {len(conflicts)}" + (" (tables written by more than one service)" if conflicts else ""))
    lines += [f"  {c['table']}: {', '.join(c['services'])}" for c in conflicts]
    if data.get("truth_units") is not None:
        lines.append(f"Compared with the truth on {plural(data['truth_units'], 'unit')} both know.")
    if data["unknown_units"]:
        lines.append(f"Not in the graph (renamed or deleted?): {', '.join(data['unknown_units'][:10])}")
    return "\n".join(lines)
