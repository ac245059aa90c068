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
           "MIGRATOR_SUITE_PLACEMENT": json.dumps({"home": "users", "databases": {"users": f"sqlite:///{owner}", "reader": f"sqlite:///{reader}"},
                                                   "owners": {table: "users"}, "read_models": {"reader": [table]},
                                                   "manifests": {"users": str(manifest)}})}
    done = subprocess.run([str(python), "-c", script, str(owner), str(reader)], env=env, cwd=tmp_path, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_a_committed_row_reaches_the_reader_before_the_next_request_and_drop_all_empties_its_read_model(tmp_path: Path) -> None:
    got = _suite_with_a_reader(sys.executable, SUITE, tmp_path, table="users", columns="id INTEGER PRIMARY KEY, name VARCHAR(20)")
    assert got["channel"] == "changes.users"
    assert 0.35 < got["waited"] < 5 and got["again"] < 0.1
    assert got["left"] == 0


DJANGO_SCHEMA = """
import sys
import django
from django.conf import settings
settings.configure(DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": sys.argv[1]}},
                   INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth"], USE_TZ=True)
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)  # the whole schema in each database, as each service's migrate makes it
from sqlalchemy import create_engine
from generators.service.runtime.events import create_runtime_tables
create_runtime_tables(create_engine("sqlite:///" + sys.argv[1]))
"""

DJANGO_SUITE = """
import json, sqlite3, sys, threading, time
import django
home, accounts_db, reader_db = sys.argv[1:4]
django.setup()
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db import connections
from django.test.testcases import TestCase
from migrator_suite_shim import replication

group = Group.objects.create(id=1, name="editors")
user = User.objects.create(id=1, username="ada")
user.groups.add(group)

def count(path, table):
    return sqlite3.connect(path).execute(f"SELECT count(*) FROM {table}").fetchone()[0]

dbs = (("home", home), ("accounts", accounts_db), ("reader", reader_db))
placed = {name: {t: count(path, t) for t in ("auth_group", "auth_user", "auth_user_groups")} for name, path in dbs}
(message_id, channel), = sqlite3.connect(accounts_db).execute("SELECT message_id, channel FROM migrator_outbox").fetchall()

def reader_applies():
    time.sleep(0.4)
    with sqlite3.connect(reader_db) as reader:
        reader.execute("INSERT INTO auth_group (id, name) VALUES (1, 'editors')")
        reader.execute("INSERT INTO migrator_inbox (message_id, channel, processed_at) VALUES (?, 'changes.accounts', '2026-12-06')", (message_id,))
threading.Thread(target=reader_applies).start()
started = time.monotonic()
replication.settle()
waited = time.monotonic() - started
editors = list(User.objects.filter(groups__name="editors").values_list("username", flat=True))
class Case(TestCase):
    pass
every = sorted(Case._validate_databases())
for alias in connections:  # as TransactionTestCase after each test, on every database it uses
    call_command("flush", interactive=False, verbosity=0, database=alias)
left = {name: {t: count(path, t) for t in ("auth_group", "auth_user", "auth_user_groups")} for name, path in dbs}
print(json.dumps({"placed": placed, "channel": channel, "waited": waited, "editors": editors, "every": every, "left": left}))
"""


def test_django_writes_each_row_on_its_owners_alias_copies_tables_nobody_owns_and_flush_empties_every_database(tmp_path: Path) -> None:
    """Django's own router, with an alias per service: accounts owns auth_group, which reader keeps
    a read model of (through the accounts outbox, Django's post_save on the owner's connection);
    auth_user is nobody's, in every database; auth_user_groups, nobody's, points at auth_group: it is
    where auth_group is. Every test case uses every alias, whose flush empties each database."""
    from migrator.verify.adapters.environments import UvEnvironments, environments_cache, find_uv

    folder = tmp_path / "env"
    folder.mkdir()
    (folder / "requirements.txt").write_text("Django==4.2.17\nSQLAlchemy==2.0.36\nanyio\nprometheus-client\nfaststream[nats]\n", encoding="utf-8")
    python = UvEnvironments(environments_cache(), uv=find_uv()).ensure([folder / "requirements.txt"], tools=()).python
    paths = {name: tmp_path / f"{name}.sqlite3" for name in ("home", "accounts", "reader")}
    plain = {**{k: v for k, v in os.environ.items() if k != "PYTHONPATH"}, "PYTHONPATH": str(REPO)}
    for path in paths.values():
        made = subprocess.run([str(python), "-c", DJANGO_SCHEMA, str(path)], env=plain, capture_output=True, text=True, timeout=120, check=False)
        assert made.returncode == 0, made.stderr
    (tmp_path / "suite_settings.py").write_text(
        f"DATABASES = {{'default': {{'ENGINE': 'django.db.backends.sqlite3', 'NAME': {str(paths['home'])!r}}}}}\n"
        "INSTALLED_APPS = ['django.contrib.contenttypes', 'django.contrib.auth']\nUSE_TZ = True\nSECRET_KEY = 'x'\n", encoding="utf-8")
    manifest = tmp_path / "manifest.py"
    manifest.write_text('SERVICE = "accounts"\nCHANGES_OUT = {"auth_group": ["reader"]}\nMOVES = {}\n', encoding="utf-8")
    placement = {"home": "monolith", "databases": {name if name != "home" else "monolith": f"sqlite:///{path}" for name, path in paths.items()},
                 "owners": {"auth_group": "accounts"}, "read_models": {"reader": ["auth_group"]}, "manifests": {"accounts": str(manifest)}}
    env = {**plain, "PYTHONPATH": os.pathsep.join([str(SHIM), str(REPO), str(tmp_path)]), "DJANGO_SETTINGS_MODULE": "suite_settings",
           "MIGRATOR_SUITE_RESULTS": str(tmp_path / "results.jsonl"), "MIGRATOR_SUITE_GATEWAY": "http://127.0.0.1:9",
           "MIGRATOR_SUITE_RUNTIME": "generators.service.runtime", "MIGRATOR_SUITE_DATABASE_URL": f"sqlite:///{paths['home']}",
           "MIGRATOR_SUITE_PLACEMENT": json.dumps(placement)}
    done = subprocess.run([str(python), "-c", DJANGO_SUITE, *map(str, paths.values())], env=env, cwd=tmp_path, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout.strip().splitlines()[-1])
    assert got["placed"] == {"home": {"auth_group": 0, "auth_user": 1, "auth_user_groups": 0},
                             "accounts": {"auth_group": 1, "auth_user": 1, "auth_user_groups": 1},
                             "reader": {"auth_group": 0, "auth_user": 1, "auth_user_groups": 1}}
    assert got["channel"] == "changes.auth_group" and 0.35 < got["waited"] < 5
    assert got["editors"] == ["ada"]
    assert got["every"] == ["default", "migrator-accounts", "migrator-reader"]
    assert all(count == 0 for counts in got["left"].values() for count in counts.values()), got["left"]


SEVERAL_OWNERS = """
import json, sqlite3, sys, threading, time
from sqlalchemy import Column, ForeignKey, Integer, String, create_engine, select
from sqlalchemy.orm import Session, declarative_base
from generators.service.runtime.events import create_runtime_tables
from migrator_suite_shim import flags, replication

home, users_db, posts_db = sys.argv[1:4]
Base = declarative_base()
class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))
class Follow(Base):
    __tablename__ = "follows"
    __table_args__ = {"sqlite_autoincrement": True}  # numbered on: a drop_all made it anew, from 1
    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id"))
class Post(Base):
    __tablename__ = "posts"
    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id"))
    title = Column(String(20))
class Tag(Base):  # a table nobody owns
    __tablename__ = "tags"
    id = Column(Integer, primary_key=True)
engine = create_engine("sqlite:///" + home)
Base.metadata.create_all(engine)  # the suite's own schema, on its database (flasky's setUp)
for path, tables in ((users_db, [User.__table__, Follow.__table__, Tag.__table__]), (posts_db, [Post.__table__, User.__table__, Tag.__table__])):
    made = create_engine("sqlite:///" + path)  # as each service's schema step made its database
    Base.metadata.create_all(made, tables=tables)
    create_runtime_tables(made)
with Session(engine) as session:
    session.add_all([User(id=1, name="ada"), Follow(id=1, user_id=1), Post(id=1, user_id=1, title="hello"), Tag(id=1)])
    session.commit()

def count(path, table):
    try:
        return sqlite3.connect(path).execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    except sqlite3.OperationalError:  # not made in that database
        return None

placed = {name: {t: count(path, t) for t in ("users", "follows", "posts")} for name, path in (("home", home), ("users", users_db), ("posts", posts_db))}
outboxes = {name: [row[0] for row in sqlite3.connect(path).execute("SELECT channel FROM migrator_outbox")] for name, path in (("users", users_db), ("posts", posts_db))}
(message_id,), = sqlite3.connect(users_db).execute("SELECT message_id FROM migrator_outbox").fetchall()

def posts_applies():  # what the posts service does once the users service's relay published the change
    time.sleep(0.4)
    with sqlite3.connect(posts_db) as reader:
        reader.execute("INSERT INTO users (id, name) VALUES (1, 'ada')")
        reader.execute("INSERT INTO migrator_inbox (message_id, channel, processed_at) VALUES (?, 'changes.users', '2026-12-06')", (message_id,))
threading.Thread(target=posts_applies).start()
with Session(engine) as session:
    started = time.monotonic()
    joined = [tuple(row) for row in session.execute(select(Post.title, User.name).join(User, Post.user_id == User.id))]
    waited = time.monotonic() - started
    follows = session.query(Follow).count()
    user = session.get(User, 1).name
    try:  # follows is on the users service's database only, posts on the posts service's
        session.execute(select(Follow.id, Post.id).join(Post, Follow.user_id == Post.user_id)).all()
    except Exception:
        session.rollback()
notes = flags.reset()
Base.metadata.drop_all(engine)
left = {name: {t: count(path, t) for t in tables} for name, path, tables in (("users", users_db, ("users", "follows", "tags")), ("posts", posts_db, ("posts", "users", "tags")))}
left["numbering"] = sqlite3.connect(users_db).execute("SELECT count(*) FROM sqlite_sequence").fetchone()[0]
print(json.dumps({"placed": placed, "outboxes": outboxes, "joined": joined, "waited": waited, "follows": follows, "user": user,
                  "notes": notes, "left": left}))
"""


def test_with_several_owners_each_row_goes_to_its_owners_database_and_a_read_to_one_holding_its_tables(tmp_path: Path) -> None:
    """users owns users and follows, posts owns posts and keeps a read model of users; tags is
    nobody's. A join of posts and users reads the posts service's database once its read model holds
    what the suite committed; a join no one database holds is named; drop_all empties every owner."""
    home, users, posts = tmp_path / "home.sqlite3", tmp_path / "users.sqlite3", tmp_path / "posts.sqlite3"
    manifests = {}
    for key, changes in (("users", {"users": ["posts"]}), ("posts", {})):
        manifests[key] = tmp_path / f"{key}_manifest.py"
        manifests[key].write_text(f"SERVICE = {key!r}\nCHANGES_OUT = {changes!r}\nMOVES = {{}}\n", encoding="utf-8")
    placement = {"home": "monolith", "databases": {"monolith": f"sqlite:///{home}", "users": f"sqlite:///{users}", "posts": f"sqlite:///{posts}"},
                 "owners": {"users": "users", "follows": "users", "posts": "posts"}, "read_models": {"posts": ["users"]},
                 "manifests": {key: str(path) for key, path in manifests.items()}}
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONPATH"}, "PYTHONPATH": os.pathsep.join([str(SHIM), str(REPO)]),
           "MIGRATOR_SUITE_RESULTS": str(tmp_path / "results.jsonl"), "MIGRATOR_SUITE_GATEWAY": "http://127.0.0.1:9",
           "MIGRATOR_SUITE_RUNTIME": "generators.service.runtime", "MIGRATOR_SUITE_DATABASE_URL": f"sqlite:///{home}",
           "MIGRATOR_SUITE_PLACEMENT": json.dumps(placement)}
    done = subprocess.run([sys.executable, "-c", SEVERAL_OWNERS, str(home), str(users), str(posts)], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout.strip().splitlines()[-1])
    assert got["placed"] == {"home": {"users": 0, "follows": 0, "posts": 0}, "users": {"users": 1, "follows": 1, "posts": None},
                             "posts": {"users": 0, "follows": None, "posts": 1}}
    assert got["outboxes"] == {"users": ["changes.users"], "posts": []}
    assert got["joined"] == [["hello", "ada"]] and 0.35 < got["waited"] < 5
    assert got["follows"] == 1 and got["user"] == "ada"
    assert got["notes"] == ["the suite read follows, posts in one statement; no database of the split holds them all "
                            "(the posts service's lacks follows, owned by users)"]
    assert got["left"] == {"users": {"users": 0, "follows": 0, "tags": 0}, "posts": {"posts": 0, "users": 0, "tags": 0}, "numbering": 0}


def test_an_engine_is_known_by_its_database_whatever_its_driver_password_or_default_port_says(tmp_path: Path) -> None:
    """The FastAPI template builds its URL from parts, naming the port the run's URL leaves out."""
    script = ("from sqlalchemy import create_engine\nfrom migrator_suite_shim import sqlalchemy_routing\n"
              "print([sqlalchemy_routing.service_of(create_engine(url)) for url in ('postgresql+psycopg://app:pw@127.0.0.1:5432/run_users', "
              "'postgresql://app@127.0.0.1/run_items', 'postgresql://app@127.0.0.1:5433/run_users', 'sqlite:///' + __import__('sys').argv[1])])")
    placement = {"home": "users", "databases": {"users": "postgresql://app@127.0.0.1/run_users", "items": "postgresql://app@127.0.0.1/run_items",
                                                "monolith": f"sqlite:///{tmp_path / 'm.sqlite3'}"}}
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONPATH"}, "PYTHONPATH": os.pathsep.join([str(SHIM), str(REPO)]),
           "MIGRATOR_SUITE_RUNTIME": "generators.service.runtime", "MIGRATOR_SUITE_PLACEMENT": json.dumps(placement)}
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "m.sqlite3")], env=env, cwd=tmp_path, capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['users', 'items', None, 'monolith']"
