"""The shim's ``replication`` (a database per service, one owner of the tables): a row the suite
commits in a table others read goes to the owner's outbox through the services' own event runtime,
the next request waits until the reader's inbox holds it, and emptying the owner's tables empties
the reader's read model. Run in a process of its own with the shim loaded by ``sitecustomize``; the
reader is played by the script (no bus here)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from migrator.verify.adapters.own_suite_run import SHIM

REPO = Path(__file__).resolve().parents[4]

SUITE = """
import json, sqlite3, sys, threading, time
from sqlalchemy import Column, Integer, MetaData, String, create_engine
from sqlalchemy.orm import Session, declarative_base
from migrator_suite_shim import replication

owner_db, reader_db = sys.argv[1], sys.argv[2]
Base = declarative_base()
class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))
engine = create_engine("sqlite:///" + owner_db)
Base.metadata.create_all(engine)
from generators.service.runtime.events import create_runtime_tables
create_runtime_tables(engine)  # the outbox on the owner's database, as the owner service made it
with Session(engine) as session:
    session.add(User(id=1, name="ada"))
    session.commit()
(message_id, channel), = sqlite3.connect(owner_db).execute("SELECT message_id, channel FROM migrator_outbox").fetchall()

def reader_applies():  # what the reader service does once the owner's relay published the change
    time.sleep(0.4)
    with sqlite3.connect(reader_db) as reader:
        reader.execute("INSERT INTO users (id, name) VALUES (1, 'ada')")
        reader.execute("INSERT INTO migrator_inbox (message_id, channel, processed_at) VALUES (?, 'changes.users', '2026-12-06')", (message_id,))
threading.Thread(target=reader_applies).start()
started = time.monotonic()
replication.settle()
waited = time.monotonic() - started
again = time.monotonic()
replication.settle()  # nothing left to wait for
Base.metadata.drop_all(engine)
left = sqlite3.connect(reader_db).execute("SELECT count(*) FROM users").fetchone()[0]
print(json.dumps({"channel": channel, "waited": waited, "again": time.monotonic() - again, "left": left}))
"""


def _suite_with_a_reader(python: Path | str, script: str, tmp_path: Path, *, table: str, columns: str) -> dict[str, Any]:
    """Run ``script`` as the suite's split process (the owner's database empty, a reader's holding an
    empty read model of ``table`` and an inbox); what it printed last."""
    import sqlite3

    owner, reader = tmp_path / "owner.sqlite3", tmp_path / "reader.sqlite3"
    with sqlite3.connect(reader) as connection:
        connection.execute(f"CREATE TABLE {table} ({columns})")
        connection.execute("CREATE TABLE migrator_inbox (message_id VARCHAR(36) PRIMARY KEY, channel VARCHAR(200), processed_at DATETIME)")
    manifest = tmp_path / "manifest.py"
    manifest.write_text(f'SERVICE = "users"\nCHANGES_OUT = {{"{table}": ["reader"]}}\nMOVES = {{}}\n', encoding="utf-8")
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONPATH"}, "PYTHONPATH": os.pathsep.join([str(SHIM), str(REPO)]),
           "MIGRATOR_SUITE_RESULTS": str(tmp_path / "results.jsonl"), "MIGRATOR_SUITE_GATEWAY": "http://127.0.0.1:9",
           "MIGRATOR_SUITE_RUNTIME": "generators.service.runtime", "MIGRATOR_SUITE_DATABASE_URL": f"sqlite:///{owner}",
           "MIGRATOR_SUITE_OWNER_MANIFEST": str(manifest), "MIGRATOR_SUITE_READERS": json.dumps({"reader": f"sqlite:///{reader}"})}
    done = subprocess.run([str(python), "-c", script, str(owner), str(reader)], env=env, cwd=tmp_path, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_a_committed_row_reaches_the_reader_before_the_next_request_and_drop_all_empties_its_read_model(tmp_path: Path) -> None:
    got = _suite_with_a_reader(sys.executable, SUITE, tmp_path, table="users", columns="id INTEGER PRIMARY KEY, name VARCHAR(20)")
    assert got["channel"] == "changes.users"
    assert 0.35 < got["waited"] < 5 and got["again"] < 0.1
    assert got["left"] == 0


DJANGO_SUITE = """
import json, sqlite3, sys, threading, time
import django
from django.conf import settings
owner_db, reader_db = sys.argv[1], sys.argv[2]
settings.configure(DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": owner_db}},
                   INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth"], USE_TZ=True)
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from sqlalchemy import create_engine
from generators.service.runtime.events import create_runtime_tables
from migrator_suite_shim import replication
create_runtime_tables(create_engine("sqlite:///" + owner_db))  # as the owner service made them
from django.contrib.auth.models import Group
Group.objects.create(id=1, name="editors")
(message_id, channel), = sqlite3.connect(owner_db).execute("SELECT message_id, channel FROM migrator_outbox").fetchall()

def reader_applies():
    time.sleep(0.4)
    with sqlite3.connect(reader_db) as reader:
        reader.execute("INSERT INTO auth_group (id, name) VALUES (1, 'editors')")
        reader.execute("INSERT INTO migrator_inbox (message_id, channel, processed_at) VALUES (?, 'changes.users', '2026-12-06')", (message_id,))
threading.Thread(target=reader_applies).start()
started = time.monotonic()
replication.settle()
waited = time.monotonic() - started
call_command("flush", interactive=False, verbosity=0)  # as TransactionTestCase after each test
left = sqlite3.connect(reader_db).execute("SELECT count(*) FROM auth_group").fetchone()[0]
print(json.dumps({"channel": channel, "waited": waited, "left": left}))
"""


def test_django_saves_reach_the_reader_through_the_owners_outbox_and_flush_empties_its_read_model(tmp_path: Path) -> None:
    """The same through Django's signals (``post_save``, on Django's own connection) and its ``flush``."""
    from migrator.verify.adapters.environments import UvEnvironments, environments_cache, find_uv

    folder = tmp_path / "env"
    folder.mkdir()
    (folder / "requirements.txt").write_text("Django==4.2.17\nSQLAlchemy==2.0.36\nanyio\nprometheus-client\nfaststream[nats]\n", encoding="utf-8")
    python = UvEnvironments(environments_cache(), uv=find_uv()).ensure([folder / "requirements.txt"], tools=()).python
    got = _suite_with_a_reader(python, DJANGO_SUITE, tmp_path, table="auth_group", columns="id INTEGER PRIMARY KEY, name VARCHAR(150)")
    assert got["channel"] == "changes.auth_group"
    assert 0.35 < got["waited"] < 5
    assert got["left"] == 0
