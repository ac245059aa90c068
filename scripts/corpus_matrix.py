"""The corpus table of the README, measured again: every application of ``../shared/corpus`` copied
with what its user writes in its pyproject.toml (``tests/corpus.py``), ``migrator migrate`` into a
folder of its own, then ``migrator verify --no-fuzz`` in each database mode; one Markdown row per
run, printed as it ends.

    .venv/bin/python scripts/corpus_matrix.py [--only flasky,parsifal] [--modes shared,per-service] [--work DIR]

The FastAPI template needs PostgreSQL: its runs create their databases on ``--database-url``
(default: the machine's server on 127.0.0.1). Every run's JSON report is kept under the work
folder (``<app>-<mode>.json``) beside the migrated system."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.corpus import CHIPY_CONFIG, FASTAPI_TEMPLATE_CONFIG, FLASKY_CONFIG, PARSIFAL_CONFIG, configured_copy  # noqa: E402

MIGRATOR = [sys.executable, "-m", "migrator"]


@dataclass(frozen=True)
class Application:
    name: str
    label: str
    config: str
    source: str = ""
    """The folder migrate is given, inside the copy ("" for the copy itself)."""
    postgres: bool = False


APPLICATIONS = (
    Application("flasky", "flasky (Flask 1.0, SQLAlchemy 1.3)", FLASKY_CONFIG),
    Application("ihatemoney", "ihatemoney (Flask 3)", ""),
    Application("parsifal", "parsifal (Django 4)", PARSIFAL_CONFIG),
    Application("chipy-org", "chipy-org (Django 5.1)", CHIPY_CONFIG),
    Application("full-stack-fastapi-template", "full-stack-fastapi-template (FastAPI, PostgreSQL)", FASTAPI_TEMPLATE_CONFIG, "backend",
                postgres=True),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="", help="comma-separated corpus folders (default: all)")
    parser.add_argument("--modes", default="shared,per-service")
    parser.add_argument("--work", type=Path, default=None, help="where the copies, systems and reports go (default: a new temporary folder)")
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1/postgres")
    parser.add_argument("--timeout", default="240")
    args = parser.parse_args(argv)
    wanted = [a for a in APPLICATIONS if not args.only or a.name in args.only.split(",")]
    work = args.work or Path(tempfile.mkdtemp(prefix="corpus-matrix-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"work folder: {work}", file=sys.stderr)
    print("| application | database | services ready | routes answered by their owner | GET routes as on the monolith | its own suite through the gateway | time |")
    print("|---|---|---|---|---|---|---|")
    failed = 0
    for application in wanted:
        copy = _copy(application, work)
        source = copy / application.source if application.source else copy
        out = work / f"{application.name}-out"
        migrated = subprocess.run([*MIGRATOR, "migrate", str(source), "-o", str(out), "--quiet", "--no-pictures", "--force"], capture_output=True, text=True)
        if migrated.returncode != 0:
            print(f"| {application.label} | - | migrate failed: {migrated.stderr.strip().splitlines()[-1:]} | | | | |")
            failed += 1
            continue
        for mode in args.modes.split(","):
            started = time.monotonic()
            options = ["--json", "--no-fuzz", "--timeout", args.timeout, "--database", mode]
            if application.postgres:
                options += ["--database-url", args.database_url]
            verified = subprocess.run([*MIGRATOR, "verify", str(out / "system"), *options], capture_output=True, text=True)
            (work / f"{application.name}-{mode}.json").write_text(verified.stdout or verified.stderr, encoding="utf-8")
            try:
                report = json.loads(verified.stdout)
            except json.JSONDecodeError:
                print(f"| {application.label} | {mode} | verify ended without a report: {verified.stderr.strip()[-200:]} | | | | |")
                failed += 1
                continue
            failed += not report.get("ok")
            print(_row(application.label, mode, report, time.monotonic() - started), flush=True)
    return 1 if failed else 0


def _copy(application: Application, work: Path) -> Path:
    """The configured copy; the FastAPI template's pyproject.toml is its backend's."""
    copy = configured_copy(application.name, work / "copies", "" if application.source else application.config)
    if application.source:
        project = copy / application.source / "pyproject.toml"
        project.write_text(project.read_text(encoding="utf-8") + application.config, encoding="utf-8")
    return copy


def _row(label: str, mode: str, report: dict[str, Any], seconds: float) -> str:
    steps = {step["name"]: step for step in report.get("steps", [])}
    ready = [s for name, s in steps.items() if name.endswith(" ready") and name != "gateway ready"]
    up = sum(s["status"] == "passed" for s in ready)
    routes = steps.get("routes through the gateway", {})
    gets = steps.get("GET routes answer as on the monolith", {})
    own = steps.get("monolith's own test suite", {})
    return (f"| {label} | {mode} | {up}/{len(ready)} | {_cell(routes)} | {_cell(gets)} | {_cell(own)} | {seconds:.0f} s |")


def _cell(step: dict[str, Any]) -> str:
    if not step:
        return "not run"
    detail = " ".join(str(step.get("detail", "")).split())
    return f"{step['status']}: {detail[:160]}".replace("|", "\\|")


if __name__ == "__main__":
    sys.exit(main())
