"""A corpus application's own test suite run against its split system (issue 18, item 1): flasky's
unittest suite (Flask 1.0, ``app.test_client()``) with a database per service (its own proposal,
tables of three owners; and one edited so that one service owns them all), and parsifal's
Django test runner suite (``django.test.Client``) on the database the services share, each on the
monolith in process and then through the gateway, the mail the services send read back by the
suite's outbox."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from tests.cli import invoke
from tests.corpus import FLASKY_CONFIG, PARSIFAL_CONFIG, configured_copy

STEP = "monolith's own test suite"


def _own_suite(source: Path, out: Path) -> dict[str, Any]:
    migrated = invoke("migrate", str(source), "-o", str(out), "--quiet")
    assert migrated.exit_code == 0, migrated.output + migrated.stderr
    verified = invoke("verify", str(out / "system"), "--json", "--timeout", "240", "--database", "shared", "--no-fuzz")
    return next(step for step in json.loads(verified.stdout)["steps"] if step["name"] == STEP)


FLASKY_PER_SERVICE_DIFFERENCES = {
    "tests.test_api.APITestCase.test_comments",  # the comments service keeps no read model of users: 401 on basic auth
    "tests.test_api.APITestCase.test_posts",  # the users service keeps no read model of posts: a user's posts counted 0
    "tests.test_api.APITestCase.test_users",  # likewise: its database no longer holds posts at all (each keeps its own tables), 500
    "tests.test_client.FlaskClientTestCase.test_register_and_login",  # the auth service writes the new user on its own database
}
"""What flasky's split with one owner of its tables does otherwise than the monolith: real
differences of that split (the plan's read models), which a shared database hides."""


def test_flasky_unittest_suite_with_a_database_per_service_where_one_service_owns_the_tables(tmp_path: Path) -> None:
    """The proposal edited as a user would: every model class left with app.models' service, the
    one owner of the five tables; the others read them through read models fed by its events. The
    suite's fixtures are written on the owner's database and reach the read models through its
    outbox before each request; its tests otherwise pass through the gateway as on the monolith.
    (flasky's shared-database run, and its own suite there, is tests/e2e/test_corpus_split.py's.)"""
    source = configured_copy("flasky", tmp_path, FLASKY_CONFIG)
    decomposition = tmp_path / "decomposition.yaml"
    proposed = invoke("propose", str(source), "-o", str(decomposition), "--quiet")
    assert proposed.exit_code == 0, proposed.output + proposed.stderr
    data = yaml.safe_load(decomposition.read_text(encoding="utf-8"))
    for service in data["services"].values():
        service["symbols"] = {name: why for name, why in (service.get("symbols") or {}).items() if not name.startswith("app.models.")}
    decomposition.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    generated = invoke("generate", str(source), "--decomposition", str(decomposition), "-o", str(tmp_path / "out"), "--quiet")
    assert generated.exit_code == 0, generated.output + generated.stderr
    assert sum(bool(s["tables"]) for s in json.loads((tmp_path / "out" / "system.json").read_text())["plan"]["services"]) == 1
    verified = invoke("verify", str(tmp_path / "out"), "--json", "--timeout", "240", "--database", "per-service", "--no-fuzz")
    step = next(step for step in json.loads(verified.stdout)["steps"] if step["name"] == STEP)
    assert step["counts"]["tests"] == 35 and step["counts"]["passed on the monolith"] == 34, step
    assert step["counts"]["passed on the split"] >= 34 - len(FLASKY_PER_SERVICE_DIFFERENCES), step
    assert {failure.split(":")[0] for failure in step["failures"]} <= FLASKY_PER_SERVICE_DIFFERENCES, step


def test_flasky_unittest_suite_with_a_database_per_service_and_its_own_proposal_of_several_owners(tmp_path: Path) -> None:
    """flasky as proposed: users, posts and comments own its tables. Each row the suite writes goes
    to its owner's database and reaches the read models through that owner's events; a service's
    write of another's table (the auth service registers a user and its ``follows``) goes to the
    owner before the writer commits: every test passing on the monolith passes through the gateway."""
    source = configured_copy("flasky", tmp_path, FLASKY_CONFIG)
    migrated = invoke("migrate", str(source), "-o", str(tmp_path / "out"), "--quiet")
    assert migrated.exit_code == 0, migrated.output + migrated.stderr
    plan = json.loads((tmp_path / "out" / "system" / "system.json").read_text())["plan"]
    assert sum(bool(s["tables"]) for s in plan["services"]) > 1
    verified = invoke("verify", str(tmp_path / "out" / "system"), "--json", "--timeout", "240", "--database", "per-service", "--no-fuzz")
    step = next(step for step in json.loads(verified.stdout)["steps"] if step["name"] == STEP)
    counts = step["counts"]
    assert counts["tests"] == 35 and counts["passed on the monolith"] == 34, step
    assert (counts["passed on the split"], counts["differences"], counts["not covered over HTTP"]) == (34, 0, 0), step
    assert step["status"] == "passed" and not step["failures"], step


def test_parsifal_django_suite_passes_through_the_gateway_with_the_mail_the_services_sent(tmp_path: Path) -> None:
    """parsifal's settings send mail over SMTP (nothing listens here); under verify the services keep
    what they send in the run's folder, where the suite's ``mail.outbox`` reads it: the two
    invitation tests see their mail as in process. Four tests read the template context or the
    templates: named, not counted."""
    step = _own_suite(configured_copy("parsifal", tmp_path, PARSIFAL_CONFIG), tmp_path / "out")
    assert step["counts"]["tests"] == 75 and step["counts"]["passed on the monolith"] == 75
    assert step["counts"]["not covered over HTTP"] == 4 and step["counts"]["differences"] == 0, step
    assert step["counts"]["passed on the split"] == 71
    assert step["status"] == "passed"
