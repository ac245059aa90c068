"""What the golden files hold: for each plan, the output of every renderer that depends on the
plan alone, rendered as ``migrator generate`` renders it (``migrator/pipeline/generation.py``)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generators.system import Monolith, render_system
from migrator.model.dependencies.declared import DeclaredRequirements
from migrator.model.deployment import Topology
from migrator.model.service_plan import ServicePlan
from tests.plans import awkward_plan

GOLDEN = Path(__file__).resolve().parent
REFRESH = "python -m tests.golden --refresh"
SERVICE_CODE = ("__init__.py", "main.py", "manifest.py")
"""The files of a service's package rendered from the plan; the rest are the monolith's modules
carried over and the runtime copied as it is."""
SAMPLE_PLAN = GOLDEN / "sample" / "plan.json"
REQUIREMENTS = DeclaredRequirements(("golden-requirement==1.0",), ("requirements.txt",))
"""Stands for what the monolith declares (requirements.txt is left out: a unit test of its own pins it)."""


@dataclass(frozen=True)
class Golden:
    """One plan and the folder of what it renders to."""

    name: str
    plan: Callable[[], ServicePlan]
    source: str
    """What system.json names as the monolith's folder (migrator writes the absolute path)."""
    tests: Mapping[str, str] | None = None

    @property
    def folder(self) -> Path:
        return GOLDEN / self.name / "files"

    def render(self) -> dict[str, str]:
        return render_golden(self.plan(), source=self.source, tests=self.tests)


def render_golden(plan: ServicePlan, *, source: str, tests: Mapping[str, str] | None,
                  monolith: Mapping[str, Any] | None = None) -> dict[str, str]:
    """``{path: text}`` of the artifacts of ``plan`` that no monolith source and no environment
    enter. ``monolith`` is the monolith's own OpenAPI document, which the contracts are cut from
    (the golden files have none: their contracts list the routes)."""
    files = render_system(plan, Monolith(source=source, requirements=REQUIREMENTS, openapi=monolith, tests=tests))
    return {path: text for path, text in files.items() if path not in _left_out(plan, files)}


def _left_out(plan: ServicePlan, files: Mapping[str, str]) -> set[str]:
    """The files of a service that are not its own code: its runtime (copied as it is), its
    requirements.txt (what the monolith declares) and the monolith's whole document (the contracts cut it up)."""
    left = set()
    for workload in Topology(plan).workloads:
        package = f"{workload.folder}/{workload.package}/"
        left |= {path for path in files if path.startswith(package + "runtime/")}
        left |= {f"{workload.folder}/requirements.txt", package + "system_openapi.json"}
    return left


def sample_plan() -> ServicePlan:
    """The sample monolith's plan as ``migrator generate`` built it when it was last frozen
    (``python -m tests.golden --replan`` builds it again)."""
    return ServicePlan.from_dict(json.loads(SAMPLE_PLAN.read_text(encoding="utf-8")))


GOLDENS = (
    Golden("sample", sample_plan, source="sample_monolith",
           tests={"path": "sample_monolith/tests", "base_url_variable": "MONOLITH_BASE_URL"}),
    Golden("awkward", awkward_plan, source="awkward_shop"),
)
