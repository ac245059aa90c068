"""Dockerfiles and ignore files: the practices the issue lists, for every service."""

from __future__ import annotations

import json
import re

from generators.deploy.docker import _pattern, healthcheck_command
from migrator.model.deployment import READY_PATH, Topology

from .conftest import AWKWARD_NAMES, awkward_plan


def _instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    joined = re.sub(r"\\\n\s*", " ", "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#")))
    return [(line.split(" ", 1)[0].upper(), line.split(" ", 1)[1] if " " in line else "") for line in joined.splitlines() if line.strip()]


def test_each_service_gets_a_multi_stage_dockerfile_with_pinned_dependencies_before_the_code(shop) -> None:
    for name in ("accounts", "catalog", "orders", "monolith"):
        steps = _instructions(shop[f"{name}/Dockerfile"])
        kinds = [kind for kind, _ in steps]
        assert kinds[0] == "ARG" and steps[0][1].startswith("PYTHON_IMAGE=")  # the base is a build argument
        froms = [args for kind, args in steps if kind == "FROM"]
        assert froms == ["${PYTHON_IMAGE}:${PYTHON_TAG} AS build", "${PYTHON_IMAGE}:${PYTHON_TAG} AS runtime"]
        copies = [args for kind, args in steps if kind == "COPY"]
        assert json.loads(copies[0]) == [f"{name}/requirements.txt", "requirements.lock", "./"]
        install = next(i for i, (kind, args) in enumerate(steps) if kind == "RUN" and "-r requirements.txt -c requirements.lock" in args)
        code = next(i for i, (kind, args) in enumerate(steps) if kind == "COPY" and args.startswith("[") and json.loads(args)[0] == f"{name}/")
        assert kinds.index("COPY") < install < code  # the lock, then the install, then the code


def test_the_runtime_is_unprivileged_unbuffered_labelled_and_health_checked(shop) -> None:
    text = shop["orders/Dockerfile"]
    steps = _instructions(text)
    runtime = steps[[kind for kind, _ in steps].index("FROM", 3):]
    assert ("USER", "10001:10001") in runtime and [k for k, _ in runtime].index("USER") > [k for k, _ in runtime].index("COPY")
    env = " ".join(args for kind, args in runtime if kind == "ENV")
    assert "PYTHONDONTWRITEBYTECODE=1" in env and "PYTHONUNBUFFERED=1" in env and "PORT=8003" in env
    labels = " ".join(args for kind, args in runtime if kind == "LABEL")
    for key in ("title", "description", "version", "revision", "created", "vendor", "licenses", "base.name"):
        assert f"org.opencontainers.image.{key}=" in labels
    healthcheck = next(args for kind, args in runtime if kind == "HEALTHCHECK")
    command = json.loads(healthcheck.split("CMD", 1)[1])
    assert command == healthcheck_command() and command[0] == "python" and READY_PATH in command[2]
    cmd = json.loads(next(args for kind, args in runtime if kind == "CMD"))  # exec form
    assert cmd[:2] == ["sh", "-c"] and cmd[2].endswith('exec uvicorn "$APP" --host 0.0.0.0 --port "$PORT"')
    assert ("EXPOSE", "8003") in runtime


def test_the_build_context_keeps_only_what_images_copy(shop) -> None:
    root = shop[".dockerignore"].splitlines()
    assert root[1] == "*" and {"!requirements.lock", "!shared/", "!orders/", "!monolith/"} <= set(root)
    own = shop["orders/Dockerfile.dockerignore"].splitlines()
    assert "!requirements.lock" in own and "!orders/" in own and "!catalog/" not in own and "**/__pycache__" in own and "orders/Jenkinsfile" in own


def test_awkward_names_live_in_their_keys_folder_and_only_as_a_quoted_description(awkward) -> None:
    first = Topology(awkward_plan()).workload(AWKWARD_NAMES[0])  # Café "Crème" $HOME
    steps = _instructions(awkward[f"{first.key}/Dockerfile"])
    copies = [json.loads(args) for kind, args in steps if kind == "COPY" and args.startswith("[")]
    assert copies[0] == [f"{first.key}/requirements.txt", "requirements.lock", "./"]
    labels = " ".join(args for kind, args in steps if kind == "LABEL")
    assert f'org.opencontainers.image.title="{first.key}"' in labels
    # the name the user gave, as a double-quoted word: no quote ends it, no $ expands
    assert 'image.description="The Café \\"Crème\\" \\$HOME service, extracted from' in labels


def test_ignore_patterns_escape_go_metacharacters() -> None:
    assert _pattern("a*b?[c]\\d") == "a\\*b\\?\\[c\\]\\\\d"
