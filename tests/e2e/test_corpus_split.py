"""Real applications nobody here wrote, migrated and booted split: ``migrator migrate`` then
``migrator verify`` on a Flask application pinned to 2017 (flasky: Flask 1.0, SQLAlchemy 1.3,
Flask-SQLAlchemy 2.2, its Alembic migrations), served by gunicorn, and on a Django one (parsifal:
14 apps, its own migrations), each in one database mode, and flasky again on PostgreSQL with a
database per service. Every service must get ready on the
application's own dependencies, every route pattern must be answered through the gateway by the
service that owns it, and every GET route without parameters must answer as on the monolith.

What a user writes for such an application is written into the copy's pyproject.toml, as they
would: which requirements file to install, the pins that cannot install on this Python replaced
(the corpus entry lists them), the variables its settings need."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from tests.cli import invoke
from tests.corpus import FLASKY_CONFIG, PARSIFAL_CONFIG, configured_copy
from tests.postgres import SERVER


def _migrate_and_verify(source: Path, out: Path, *verify_options: str) -> dict[str, Any]:
    migrated = invoke("migrate", str(source), "-o", str(out), "--quiet")
    assert migrated.exit_code == 0, migrated.output + migrated.stderr
    verified = invoke("verify", str(out / "system"), "--json", "--timeout", "240", *verify_options)
    return json.loads(verified.stdout)


def _steps(report: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {step["name"]: step for step in report["steps"]}


def _assert_split_serves_the_application(report: dict[str, Any], out: Path, *, at_least_routes: int, judged_apart: str = "") -> None:
    steps = _steps(report)
    services = [service["name"] for service in json.loads((out / "system" / "system.json").read_text())["services"]]
    failed = {name: step["detail"] for name, step in steps.items()
              if step["status"] == "failed" and not name.startswith("schemathesis") and name != judged_apart}
    assert not failed, failed
    assert [steps[f"{name} ready"]["status"] for name in services] == ["passed"] * len(services)
    assert steps["database schema"]["status"] == "passed"
    routes = steps["routes through the gateway"]
    assert routes["status"] == "passed" and int(routes["detail"].split()[0]) >= at_least_routes, routes
    assert steps["GET routes answer as on the monolith"]["status"] == "passed"


def test_flasky_from_2017_runs_split_on_its_own_pins_in_a_shared_database(tmp_path: Path) -> None:
    source = configured_copy("flasky", tmp_path, FLASKY_CONFIG)
    out = tmp_path / "out"
    report = _migrate_and_verify(source, out, "--database", "shared")
    _assert_split_serves_the_application(report, out, at_least_routes=39)
    fuzzed = [step for step in report["steps"] if step["name"].startswith("schemathesis")]
    assert fuzzed and all(step["status"] == "passed" for step in fuzzed), fuzzed  # what the monolith fails alike is the application's own
    own = _steps(report)["monolith's own test suite"]  # its unittest suite, through the gateway on the shared database
    assert (own["counts"]["tests"], own["counts"]["passed on the monolith"], own["counts"]["passed on the split"]) == (35, 34, 34), own
    assert report["ok"]
    requirements = (out / "system" / "monolith" / "requirements.txt").read_text()
    assert "Flask==1.0.4" in requirements and "SQLAlchemy==1.3.24" in requirements
    assert re.search(r"^gunicorn==[0-9][^ ]*  # runtime$", requirements, re.MULTILINE)  # pinned to what requirements.lock resolved
    assert "fastapi" not in requirements and "pydantic" not in requirements  # a WSGI application gets none of the ASGI layer


def test_flasky_runs_split_on_postgresql_with_a_database_per_service(tmp_path: Path) -> None:
    """The deployment's database: flasky's SQLAlchemy 1.3 knows no psycopg 3, so its services get
    psycopg2 (none booted on PostgreSQL before); the monolith's own run of its suite is on the same
    server, so an order PostgreSQL gives a query without ORDER BY (test_follows) fails there alike."""
    source = configured_copy("flasky", tmp_path, FLASKY_CONFIG)
    out = tmp_path / "out"
    report = _migrate_and_verify(source, out, "--no-fuzz", "--database-url", f"{SERVER}/postgres")
    _assert_split_serves_the_application(report, out, at_least_routes=39)
    own = _steps(report)["monolith's own test suite"]
    assert own["status"] == "passed" and own["counts"]["passed on the split"] == own["counts"]["passed on the monolith"] >= 33, own
    assert report["ok"]
    requirements = (out / "system" / "auth" / "requirements.txt").read_text()
    assert re.search(r"^psycopg2-binary==[0-9][^ ]*  # runtime$", requirements, re.MULTILINE) and "psycopg[" not in requirements


def test_parsifal_runs_split_with_a_database_per_service(tmp_path: Path) -> None:
    source = configured_copy("parsifal", tmp_path, PARSIFAL_CONFIG)
    out = tmp_path / "out"
    report = _migrate_and_verify(source, out, "--no-fuzz")  # 14 services: the fuzzing is flasky's test's
    _assert_split_serves_the_application(report, out, at_least_routes=120, judged_apart="monolith's own test suite")
    assert _steps(report)["database schema"]["detail"].startswith(f"{len(json.loads((out / 'system' / 'system.json').read_text())['services'])} databases")
    # its tables belong to several services: each row the suite writes goes to its owner's database, a service's write of
    # another's table (the sign-up's auth_profile, a review's deletion cascading to reviews' tables) goes to the owner,
    # and the profile reached through Django's own User is read everywhere; Django's auth_user is the authentication
    # service's (its sign-up writes users), read in every other: as many pass as with one database (71), the sign-up's
    # test reaching its in-process response.context (not covered) instead of a 404 for the new user's page
    own = _steps(report)["monolith's own test suite"]
    assert (own["counts"]["tests"], own["counts"]["passed on the monolith"]) == (75, 75), own
    assert own["counts"]["passed on the split"] >= 71, own
