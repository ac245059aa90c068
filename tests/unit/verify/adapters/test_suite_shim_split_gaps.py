"""The shim's ``split_gaps``: a service's statement on a table another service owns and its own
database does not hold is written down while it answers, and the suite's process gives it to the
running test, with the table's owner. Run as the processes are, with the shim loaded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from migrator.verify.adapters.own_suite_run import SHIM

REPO = Path(__file__).resolve().parents[4]

SERVICE = """
import sys, types
manifest = types.ModuleType("posts_service.manifest")
manifest.SERVICE, manifest.HELD_TABLES, manifest.PLANNED_TABLES = "posts", ["comments", "posts", "roles"], ["comments", "posts", "roles", "users"]
manifest.CHANGES_IN = {"comments": ["comments"]}  # its read model of the comments service's table
sys.modules["posts_service.manifest"] = manifest
from sqlalchemy import create_engine, text
engine = create_engine("sqlite://")
with engine.begin() as connection:
    connection.execute(text("CREATE TABLE users (id INTEGER PRIMARY KEY, email VARCHAR(20))"))
    connection.execute(text("CREATE TABLE posts (id INTEGER PRIMARY KEY, author_id INTEGER)"))
    connection.execute(text("CREATE TABLE sessions (id INTEGER PRIMARY KEY)"))
    connection.execute(text("SELECT posts.id FROM posts JOIN users ON users.id = posts.author_id")).all()
    connection.execute(text("INSERT INTO users (id, email) VALUES (1, 'a@b.c')"))
    connection.execute(text("CREATE TABLE comments (id INTEGER PRIMARY KEY)"))
    connection.execute(text("SELECT id FROM sessions")).all()
    connection.execute(text("SELECT id FROM comments")).all()  # its read model: read as it is
    connection.execute(text("DELETE FROM comments"))  # written other than by the owner's changes

def _apply_change(connection):  # as the event runtime applies an owner's row change (events.py)
    connection.execute(text("INSERT INTO comments (id) VALUES (1)"))
_apply_change.__code__ = _apply_change.__code__.replace(co_filename="runtime/events.py")
with engine.begin() as connection:
    _apply_change(connection)
"""

SUITE = """
import json
from migrator_suite_shim import flags, split_gaps
split_gaps._READ.clear()  # the service wrote before this process started: read it as a test's
flags.begin("tests.test_api.APITestCase.test_posts")
split_gaps.collect({"users": "users", "posts": "posts", "comments": "comments"})
split_gaps.collect({"users": "users", "posts": "posts", "comments": "comments"})  # nothing new since
print(json.dumps(flags.GAPS))
"""


def test_a_services_statements_on_tables_its_database_does_not_hold_are_the_running_tests_gaps(tmp_path: Path) -> None:
    base = {**{k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "DATABASE_MODE")},
            "PYTHONPATH": os.pathsep.join([str(SHIM), str(REPO)]), "MIGRATOR_MAIL_DIR": str(tmp_path / "mail")}
    service = subprocess.run([sys.executable, "-c", SERVICE], env=base, capture_output=True, text=True, timeout=60, check=False)
    assert service.returncode == 0, service.stderr
    suite = subprocess.run([sys.executable, "-c", SUITE], env={**base, "MIGRATOR_SUITE_RESULTS": str(tmp_path / "results.jsonl")},
                           capture_output=True, text=True, timeout=60, check=False)
    assert suite.returncode == 0, suite.stderr
    assert json.loads(suite.stdout.strip().splitlines()[-1]) == [
        "the posts service read users (owned by users), of which its database keeps no read model",
        "the posts service wrote users (owned by users) in its own database, where the owner never sees it",
        "the posts service wrote comments (owned by comments) in its own database, where the owner never sees it",
    ]


def test_with_one_database_for_every_service_nothing_is_written_down(tmp_path: Path) -> None:
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONPATH"}, "PYTHONPATH": os.pathsep.join([str(SHIM), str(REPO)]),
           "MIGRATOR_MAIL_DIR": str(tmp_path / "mail"), "DATABASE_MODE": "shared"}
    service = subprocess.run([sys.executable, "-c", SERVICE], env=env, capture_output=True, text=True, timeout=60, check=False)
    assert service.returncode == 0, service.stderr
    assert not (tmp_path / "split-gaps").exists()
