"""What ``migrator verify`` prints: one row per check, then the log ends that explain failures."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text

_MARKS = {"passed": "[green]PASS[/green]", "failed": "[bold red]FAIL[/bold red]", "skipped": "[yellow]SKIP[/yellow]"}


def verification_table(data: dict[str, Any]) -> Table:
    """The report of a run (``VerifyReport.to_dict()``) as a table."""
    table = Table(title=f"migrator verify ({data['run_id']})", title_justify="left")
    table.add_column("check", no_wrap=True)
    table.add_column("result", no_wrap=True)
    table.add_column("detail")
    for step in data["steps"]:
        # names and details come from user code and logs: plain text, never rich markup
        table.add_row(Text(step["name"]), Text.from_markup(_MARKS.get(step["status"], step["status"])), Text(step["detail"]))
    return table


def failure_details(data: dict[str, Any]) -> str:
    """For each failed check: what failed and the end of the log that shows why."""
    blocks = []
    for step in data["steps"]:
        if step["status"] != "failed":
            continue
        lines = [f"--- {step['name']}: {step['detail']}"]
        lines += [f"    failed: {failure}" for failure in step["failures"][:10] if failure not in step["detail"]]
        if step["log"] and all(excerpt["source"] != step["log"] for excerpt in step["excerpts"]):
            lines.append(f"    log: {step['log']}")
        for excerpt in step["excerpts"]:
            lines.append(f"    {excerpt['what']} {excerpt['source']}:")
            lines += ["      " + line for line in excerpt["text"].splitlines()]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def summary_line(data: dict[str, Any]) -> str:
    failed = sum(step["status"] == "failed" for step in data["steps"])
    total = len(data["steps"])
    if not failed:
        return f"All {total} checks passed" + (f"; logs and reports kept in {data['run_dir']}" if data["run_dir"] else ".")
    return f"{failed} of {total} checks failed" + (f"; logs and reports kept in {data['run_dir']}" if data["run_dir"] else "")
