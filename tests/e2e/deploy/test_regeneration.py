"""Regenerating from the plan `migrator migrate` recorded gives the artifacts it wrote, byte for byte
(tests/unit/generators/deploy/test_output.py: the writer keeps a person's edits to them)."""

from __future__ import annotations

import json
from pathlib import Path

from generators.deploy import render_deployment
from migrator.model.service_plan import ServicePlan


def test_the_plan_in_system_json_renders_the_artifacts_on_disk_byte_for_byte(sample_system: Path) -> None:
    plan = ServicePlan.from_dict(json.loads((sample_system / "system.json").read_text(encoding="utf-8"))["plan"])
    files = render_deployment(plan)
    assert len(files) > 150
    for path, text in files.items():
        assert (sample_system / path).read_bytes() == text.encode("utf-8"), path
