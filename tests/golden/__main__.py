"""``python -m tests.golden``: tell how the golden files differ from what the renderers produce
now (exit 1 when they do); ``--refresh`` rewrites them and prints what changed; ``--replan``
first builds the sample's plan again from sample_monolith, as ``migrator generate`` does."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from tests.golden.render import GOLDENS, REFRESH, SAMPLE_PLAN
from tests.golden.tree import compare, rewrite

SAMPLE = Path(__file__).resolve().parents[2] / "sample_monolith"
SAMPLE_SERVICES = 10


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.golden", description=__doc__)
    parser.add_argument("--refresh", action="store_true", help="rewrite the golden files to what is rendered now")
    parser.add_argument("--replan", action="store_true", help="freeze the sample's plan again from sample_monolith, then refresh")
    parser.add_argument("--lines", type=int, default=None, metavar="N", help="print at most N lines of diff (0: only a line a file)")
    args = parser.parse_args(argv)
    if args.replan:
        print(freeze_sample_plan())
    differs = False
    for golden in GOLDENS:
        rendered = golden.render()
        diff = compare(golden.folder, rendered)
        rewritten = ", rewritten" if args.refresh or args.replan else ""
        print(f"{golden.name}: {len(rendered)} files, " + (f"{len(diff.files)} differ{rewritten}" if diff else "unchanged"))
        if diff:
            print(diff.report(args.lines))
            differs = True
        if args.refresh or args.replan:
            rewrite(golden.folder, rendered)
    if differs and not (args.refresh or args.replan):
        print(f"refresh with `{REFRESH}`", file=sys.stderr)
        return 1
    return 0


def freeze_sample_plan() -> str:
    """Write the plan ``migrator propose`` and ``migrator generate`` build for the sample now."""
    from migrator.model.service_plan import ServicePlan
    from migrator.pipeline import ProposeRequest, generate, propose

    with tempfile.TemporaryDirectory() as temporary:
        decomposition = Path(temporary) / "decomposition.yaml"
        propose(ProposeRequest(source=SAMPLE, output=decomposition, services=SAMPLE_SERVICES))
        plan = generate(SAMPLE, decomposition, Path(temporary) / "system", dry_run=True)[0]
    document = plan.to_dict()
    assert ServicePlan.from_dict(document) == plan, "the plan does not survive to_dict and from_dict"
    text = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    changed = not SAMPLE_PLAN.exists() or SAMPLE_PLAN.read_text(encoding="utf-8") != text
    SAMPLE_PLAN.parent.mkdir(parents=True, exist_ok=True)
    SAMPLE_PLAN.write_text(text, encoding="utf-8")
    return f"{SAMPLE_PLAN.relative_to(SAMPLE.parent)}: " + ("changed" if changed else "unchanged")


if __name__ == "__main__":
    sys.exit(main())
