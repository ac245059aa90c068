"""A Flask suite that builds its application per test from a configuration object, against a
service running its own configuration: the service (a real Flask application with Flask-WTF's CSRF
on, served over HTTP, the shim loaded as in a service of the run) writes the configuration it
reads; the suite's application (CSRF off, its own ``SECRET_KEY``, a feature flag of its own) takes
the service's secret key, so that the form it posts passes the service's CSRF check, and what its
configuration has otherwise than the service's is noted for the test, as is its reading the key."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from migrator.verify.adapters.environments import UvEnvironments, environments_cache, find_uv
from migrator.verify.adapters.own_suite_run import SHIM

SERVICE = """
import flask
from flask_wtf import FlaskForm
from wtforms import StringField
from wsgiref.simple_server import WSGIRequestHandler, make_server

app = flask.Flask("service")
app.config.update(SECRET_KEY="service-secret", FEATURE=False, GREETING="hello")

class Form(FlaskForm):
    name = StringField()

@app.route("/")
def home():
    return ("feature " if app.config["FEATURE"] else "plain ") + app.config.get("GREETING")

@app.route("/items", methods=["POST"])
def items():
    form = Form()
    return (form.name.data, 201) if form.validate_on_submit() else ("csrf: " + repr(form.errors), 400)

@app.route("/items/1/delete", methods=["POST"])
def delete():
    return ("deleted", 200) if FlaskForm().validate() else ("csrf", 400)

@app.route("/import", methods=["POST"])
def upload():
    form = Form()
    return (flask.request.files["file"].read(), 201) if form.validate_on_submit() else ("csrf", 400)

class Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass

server = make_server("127.0.0.1", 0, app, handler_class=Quiet)
print(server.server_port, flush=True)
server.serve_forever()
"""

SUITE = """
import io, json, flask, flask_wtf  # the application uses Flask-WTF
from migrator_suite_shim import flags

class TestConfig:  # what a test class carries (create_app(request.cls))
    SECRET_KEY = "TEST SESSION"
    WTF_CSRF_ENABLED = False
    FEATURE = True
    GREETING = "hello"

def make(config):
    app = flask.Flask("suite")
    app.config.from_object(config)
    return app

app = make(TestConfig)
torn_down = []
app.teardown_appcontext(lambda error: torn_down.append(error))  # Flask-SQLAlchemy removes its session so
app.test_request_context().push()  # as pytest-flask keeps one pushed through each test (one ``g``)
client = app.test_client()
posted = client.post("/items", data={"name": "raclette"})
deleted = client.post("/items/1/delete")  # a bare POST: no body, no content type
uploaded = client.post("/import", data={"file": (io.BytesIO(b"a,b"), "data.csv")})  # multipart
home = client.get("/")
differing = flags.reset()
secret = app.config["SECRET_KEY"]
read_secret = flags.reset()

class Same(TestConfig):
    FEATURE = False

same = make(Same).test_client().get("/")
print(json.dumps({"posted": [posted.status_code, posted.get_data(as_text=True)], "deleted": deleted.status_code, "uploaded": uploaded.get_data(as_text=True),
                  "home": home.get_data(as_text=True), "differing": differing,
                  "secret": secret, "read_secret": read_secret, "same": [same.get_data(as_text=True), flags.reset()],
                  "torn_down": len(torn_down)}))
"""


@pytest.fixture(scope="module")
def python() -> Path:
    folder = Path(os.environ.get("XDG_CACHE_HOME") or "/tmp") / "flask-config-requirements"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "requirements.txt").write_text("Flask==3.0.3\nFlask-WTF==1.2.1\n", encoding="utf-8")
    return UvEnvironments(environments_cache(), uv=find_uv()).ensure([folder / "requirements.txt"], tools=()).python


@pytest.fixture
def service(python: Path, tmp_path: Path) -> Iterator[str]:
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONPATH"}, "PYTHONPATH": str(SHIM), "MIGRATOR_MAIL_DIR": str(tmp_path / "mail")}
    process = subprocess.Popen([str(python), "-c", SERVICE], env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        yield f"http://127.0.0.1:{process.stdout.readline().strip()}"
    finally:
        process.kill()
        process.wait()


def test_the_suite_s_app_signs_with_the_service_s_key_and_its_other_configuration_is_noted(python: Path, service: str, tmp_path: Path) -> None:
    (tmp_path / "runtime").mkdir()  # the services' runtime, whose Flask configuration override the suite's Flask takes
    (tmp_path / "runtime" / "__init__.py").write_text("")
    (tmp_path / "runtime" / "frameworks.py").write_text("def _overriding(config_class, overrides):\n    return config_class\n")
    (tmp_path / "test_app.py").write_text(SUITE)
    results = tmp_path / "results.jsonl"
    results.write_text("")
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONPATH"}, "PYTHONPATH": f"{SHIM}{os.pathsep}{tmp_path}",
           "MIGRATOR_SUITE_RESULTS": str(results), "MIGRATOR_SUITE_GATEWAY": service, "MIGRATOR_SUITE_SOURCE": str(tmp_path),
           "MIGRATOR_SUITE_RUNTIME": "runtime", "MIGRATOR_SUITE_DATABASE_URL": "sqlite://", "MIGRATOR_MAIL_DIR": str(tmp_path / "mail")}
    done = subprocess.run([str(python), "test_app.py"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout.strip().splitlines()[-1])
    assert got["posted"] == [201, "raclette"]  # the CSRF token the shim sent, signed with the service's key, holds there
    assert (got["deleted"], got["uploaded"]) == (200, "a,b")  # a token also in a bare POST and a multipart body
    assert got["home"] == "plain hello"  # the service runs its own configuration
    assert got["differing"] == ["app configuration the services do not run: FEATURE=True (the services': False)"]
    assert got["secret"] == "service-secret"
    assert got["read_secret"] == ["SECRET_KEY read by the test (its application signs with the services' key)"]
    assert got["same"] == ["plain hello", []]
    assert got["torn_down"] == 0  # the test's own context is kept (its ORM session with it)
    written = next((tmp_path / "service-config").glob("*.json"))
    assert oct(written.stat().st_mode & 0o777) == "0o600"
