"""The corpus of real applications nobody here wrote: ../shared/corpus beside the repository, as
on every machine and in CI. A test that needs it fails when it is not there, never skips."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def require(folder: Path) -> Path:
    """``folder`` of the corpus; a failure naming it when it is missing."""
    if not folder.is_dir():
        pytest.fail(f"{folder} is missing: the corpus lives beside the repository, at ../shared/corpus")
    return folder


FLASKY_CONFIG = """
[tool.migrator]
requirements = ["requirements/common.txt"]
overrides = ["Flask==1.0.4", "Werkzeug==0.16.1", "Jinja2==2.11.3", "SQLAlchemy==1.3.24", "alembic==1.4.3", "dominate==2.4.0",
             "html5lib==1.1", "Flask-WTF==0.14.3"]

[tool.migrator.env]
SERVER_NAME = "localhost"
"""
"""What a user writes for flasky (2017): the requirements file to install, the pins that do not
install or import on Python 3.11 replaced (its corpus entry lists them), the variable its config reads."""
PARSIFAL_CONFIG = """
[tool.migrator]
# 2.9.3 has no wheel for CPython 3.11: building it needs pg_config, which a slim image has not
overrides = ["psycopg2-binary==2.9.10"]

[tool.migrator.env]
APP_SETTINGS_MODULE = "parsifal.settings.base"
"""
"""parsifal's manage.py names its local settings, which need a git URL; its base settings do not;
its psycopg2-binary pin builds only where PostgreSQL's headers are installed."""


CHIPY_CONFIG = """
[tool.migrator.env]
# docker/docker.env.sample and the test environment of the corpus entry
DEBUG = "True"
ALLOWED_HOSTS = "localhost,127.0.0.1"
SECRET_KEY = "somesecretkeyfordjangogoeshere"
SECURE_SSL_REDIRECT = "False"
ADMINS = "admin@example.com"
NORECAPTCHA_SITE_KEY = "6LeIxAcTAAAAAJcZVRqyHh71UMIEGNQ_MXjiZKhI"
NORECAPTCHA_SECRET_KEY = "6LeIxAcTAAAAAGG-vFI1TnRWxMZNFuojJ4WifJWe"
ENVELOPE_EMAIL_RECIPIENTS = "admin@example.com"
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
USE_S3 = "False"
CONNECT_METHOD = "http"
MEETINGS_API_SECRET = "usethisintest"
CHIPY_BACKUP_TALK_REVIEWERS = "pete@example.com,carl@example.com"
"""
"""chipy-org's settings read these at import (its corpus entry and docker/docker.env.sample)."""
FASTAPI_TEMPLATE_CONFIG = """
[tool.migrator.env]
# the repository's .env, which pydantic-settings reads from ../.env of its backend folder
PROJECT_NAME = "Full Stack FastAPI Project"
SECRET_KEY = "changethis"
FIRST_SUPERUSER = "admin@example.com"
FIRST_SUPERUSER_PASSWORD = "changethis"
ENVIRONMENT = "local"
"""
"""Written into backend/pyproject.toml of the FastAPI template's copy."""


def configured_copy(name: str, destination: Path, config: str) -> Path:
    """A copy of the corpus application ``name`` under ``destination`` with ``config`` added to its
    pyproject.toml, as its user would write it: the corpus itself stays untouched."""
    source = destination / name
    shutil.copytree(require(CORPUS / name), source, ignore=shutil.ignore_patterns("CORPUS.md"))
    pyproject = source / "pyproject.toml"
    pyproject.write_text((pyproject.read_text(encoding="utf-8") if pyproject.exists() else "") + config, encoding="utf-8")
    return source
