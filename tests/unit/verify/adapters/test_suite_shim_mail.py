"""Mail under verify: a service (its process started with the shim first on its path and
``MIGRATOR_MAIL_DIR``) keeps what it sends in the run's folder whatever its settings say (here an
SMTP server nobody runs), and the suite's split run reads it back where its test looks: Django's
``mail.outbox``, Flask-Mail's ``record_messages``. Both run on an environment with Django and
Flask-Mail made by uv, as the system's is."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from migrator.verify.adapters.environments import UvEnvironments, environments_cache, find_uv
from migrator.verify.adapters.own_suite_run import SHIM

SERVICE = """
import django, flask, flask_mail
from django.conf import settings
settings.configure(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1", EMAIL_PORT=9)
django.setup()
from django.core.mail import EmailMultiAlternatives, send_mail
assert send_mail("welcome", "hello", "team@example.com", ["ada@example.com"]) == 1
message = EmailMultiAlternatives("invited", "join us", "team@example.com", ["bob@example.com"])
message.attach_alternative("<p>join us</p>", "text/html")
message.send()
app = flask.Flask("service")
app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=9, MAIL_DEFAULT_SENDER="team@example.com")
mail = flask_mail.Mail(app)
with app.app_context():
    mail.send(flask_mail.Message("confirm", recipients=["cy@example.com"], body="click"))
"""

SUITE = """
import json, os, subprocess, sys
import django, flask, flask_mail
from django.conf import settings
settings.configure(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
django.setup()
from django.core import mail
mail.outbox = []  # as each Django test starts
service_env = {k: v for k, v in os.environ.items() if k not in ("MIGRATOR_SUITE_RESULTS", "MIGRATOR_SUITE_GATEWAY")}
app = flask.Flask("suite")
app.config.update(MAIL_SUPPRESS_SEND=True, MAIL_DEFAULT_SENDER="suite@example.com")
flask_mail_ = flask_mail.Mail(app)
with flask_mail_.record_messages() as recorded:
    subprocess.run([sys.executable, "-c", sys.argv[1]], env=service_env, check=True)
    mail.send_mail("local", "from the test", "suite@example.com", ["dee@example.com"])  # the test's own process: in memory
    with app.app_context():
        flask_mail_.send(flask_mail.Message("local flask", recipients=["eve@example.com"], body="x"))
    flask_seen = [(m.subject, m.recipients) for m in recorded]
django_seen = [(m.subject, m.to, [a[1] for a in getattr(m, "alternatives", [])]) for m in mail.outbox]
print(json.dumps({"django": django_seen, "flask": flask_seen, "left": sorted(p for p in os.listdir(os.environ["MIGRATOR_MAIL_DIR"]) if not os.listdir(os.path.join(os.environ["MIGRATOR_MAIL_DIR"], p)))}))
"""


@pytest.fixture(scope="module")
def python() -> Path:
    folder = Path(os.environ.get("XDG_CACHE_HOME") or "/tmp") / "mail-requirements"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "requirements.txt").write_text("Django==4.2.17\nFlask==3.0.3\nFlask-Mail==0.10.0\n", encoding="utf-8")
    return UvEnvironments(environments_cache(), uv=find_uv()).ensure([folder / "requirements.txt"], tools=()).python


def test_the_mail_services_send_is_kept_and_read_back_by_the_suite_s_outbox(python: Path, tmp_path: Path) -> None:
    results = tmp_path / "results.jsonl"
    results.write_text("")
    (tmp_path / "runtime").mkdir()  # the services' runtime, whose Flask configuration override the suite's Flask takes
    (tmp_path / "runtime" / "__init__.py").write_text("")
    (tmp_path / "runtime" / "frameworks.py").write_text("def _overriding(config_class, overrides):\n    return config_class\n")
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONPATH"}, "PYTHONPATH": f"{SHIM}{os.pathsep}{tmp_path}",
           "MIGRATOR_SUITE_RESULTS": str(results), "MIGRATOR_SUITE_GATEWAY": "http://127.0.0.1:9", "MIGRATOR_SUITE_SOURCE": str(tmp_path),
           "MIGRATOR_SUITE_RUNTIME": "runtime", "MIGRATOR_SUITE_DATABASE_URL": "sqlite://", "MIGRATOR_MAIL_DIR": str(tmp_path / "mail")}
    done = subprocess.run([str(python), "-c", SUITE, SERVICE], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout.strip().splitlines()[-1])
    assert got["django"] == [["local", ["dee@example.com"], []], ["welcome", ["ada@example.com"], []],
                             ["invited", ["bob@example.com"], ["text/html"]]]
    assert got["flask"] == [["local flask", ["eve@example.com"]], ["confirm", ["cy@example.com"]]]
    assert got["left"] == ["django", "flask_mail"]  # each read took what it read
