"""Regenerating from the plan `migrator migrate` recorded gives the artifacts it wrote, byte for byte
(tests/unit/generators/deploy/test_output.py: the writer keeps a person's edits to them): the CLI
and the golden files (tests/golden) render the same way, and the golden files leave out only what
comes from the monolith's code or the machine."""

from __future__ import annotations

import json
import re
from pathlib import Path

from migrator.model.service_plan import ServicePlan
from migrator.pipeline.monolith import monolith_openapi
from tests.golden.render import render_golden


def test_the_plan_in_system_json_renders_every_golden_artifact_on_disk_byte_for_byte(sample_system: Path) -> None:
    document = json.loads((sample_system / "system.json").read_text(encoding="utf-8"))
    plan = ServicePlan.from_dict(document["plan"])
    files = render_golden(plan, source=document["source"], tests=document["tests"],
                          monolith=monolith_openapi(Path(document["source"]), plan.app_factory))
    assert len(files) > 250
    written = {path.relative_to(sample_system).as_posix(): path.read_bytes() for path in sample_system.rglob("*") if path.is_file()}
    # requirements.lock is resolved from the package index when generate runs: the golden files hold the unresolved stand-in
    assert "requirements.lock" in written and "requirements.lock" in files
    assert [path for path, text in files.items() if path != "requirements.lock" and written.get(path) != text.encode("utf-8")] == []
    left_out = re.compile(
        r"\.migrator/.*"  # the writer's manifest
        r"|[^/]+/requirements\.txt"  # what the monolith declares (the golden files hold a stand-in)
        r"|[^/]+/[^/]+/(runtime/[^/]+\.py|system_openapi\.json)"  # copied as it is; the monolith's own document
        rf"|([^/]+/{re.escape(Path(document['source']).name)}|shared)/.+"  # the monolith's code and its other files, carried over
    )
    assert sorted(path for path in written.keys() - files.keys() if not left_out.fullmatch(path)) == []
