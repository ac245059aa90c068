"""Plan and code agree on every application of the corpus (real applications nobody here wrote,
at ../shared/corpus) and on the sample: every REST call and event plan.json names has its client
and internal endpoint, or its channel, in system.json's plan, or the plan says why not; every
client and channel there is one the plan names; and the generated files have each of them (the
caller's call of the owner's internal endpoint, the endpoint in the owner's manifest, the event
routed to its handler)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from migrator.model.service_plan import ServicePlan
from tests.corpus import CORPUS, require
from tests.cli import run
from tests.plan_agreement import code_disagreements, crossing_from_json, disagreements

REPO = Path(__file__).resolve().parents[2]
APPLICATIONS = {
    "flasky": (CORPUS / "flasky", ()),
    "ihatemoney": (CORPUS / "ihatemoney", ()),
    "parsifal": (CORPUS / "parsifal", ()),
    "chipy-org": (CORPUS / "chipy-org", ()),
    "full-stack-fastapi-template": (CORPUS / "full-stack-fastapi-template" / "backend", ()),
    "sample_monolith": (REPO / "sample_monolith", ("--services", "10")),
}


@pytest.mark.parametrize("name", list(APPLICATIONS))
def test_every_crossing_of_the_plan_is_in_the_code_or_says_why(name: str, tmp_path: Path) -> None:
    folder, options = APPLICATIONS[name]
    require(folder)
    source = tmp_path / folder.name  # keeps the name its package is imported by
    shutil.copytree(folder, source, ignore=shutil.ignore_patterns("__pycache__", "node_modules"))
    out = tmp_path / "out"
    code, _, err = run("migrate", str(source), "-o", str(out), "--no-pictures", "--quiet", *options)
    assert code == 0, err
    crossings = [crossing_from_json(c) for c in json.loads((out / "plan.json").read_text(encoding="utf-8"))["crossings"]]
    system = ServicePlan.from_dict(json.loads((out / "system" / "system.json").read_text(encoding="utf-8"))["plan"])
    assert crossings, "nothing crosses: the decomposition has a single service?"
    assert disagreements(crossings, system) == []
    assert code_disagreements(out / "system", crossings, system) == []


def test_every_application_of_the_corpus_is_checked() -> None:
    assert {folder.name for folder in require(CORPUS).iterdir() if folder.is_dir()} == set(APPLICATIONS) - {"sample_monolith"}
