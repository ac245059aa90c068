"""A Django model's row change carries each value as a read model's table takes it (the runtime's
``frameworks._stored``): a read model is a table reflected by SQLAlchemy, which knows none of
Django's types. Run on an environment with Django, as the services have it."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]

SCRIPT = """
import datetime, json, uuid
import django
from django.conf import settings
settings.configure(DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}, INSTALLED_APPS=[], USE_TZ=False)
django.setup()
from django.db import connection, models
from generators.service.runtime.frameworks import _stored
values = [_stored(models.DateTimeField(), "2020-01-02 03:04:05", connection), _stored(models.DateField(), "2020-01-02", connection),
          _stored(models.DurationField(), datetime.timedelta(seconds=2), connection), _stored(models.UUIDField(), uuid.UUID(int=5), connection),
          _stored(models.FileField(), "logos/a.png", connection), _stored(models.IntegerField(), None, connection)]
print(json.dumps([repr(value) for value in values]))
"""


def test_a_date_given_as_text_a_duration_a_uuid_and_a_file_go_as_sqlite_keeps_them(tmp_path: Path) -> None:
    from migrator.verify.adapters.environments import UvEnvironments, environments_cache, find_uv

    folder = tmp_path / "env"
    folder.mkdir()
    (folder / "requirements.txt").write_text("Django==4.2.17\nSQLAlchemy==2.0.36\nanyio\nprometheus-client\nfaststream[nats]\n", encoding="utf-8")
    python = UvEnvironments(environments_cache(), uv=find_uv()).ensure([folder / "requirements.txt"], tools=()).python
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONPATH"}, "PYTHONPATH": str(REPO)}
    done = subprocess.run([str(python), "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [
        "datetime.datetime(2020, 1, 2, 3, 4, 5)", "datetime.date(2020, 1, 2)", "2000000", "'00000000000000000000000000000005'",
        "'logos/a.png'", "None"]
