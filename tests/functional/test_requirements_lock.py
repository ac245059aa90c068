"""The generated system's requirements.lock: resolved by the real uv against the package index,
kept while the requirements are unchanged, said out loud when it cannot be made; and verify's
environment installs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from migrator.pipeline.generation import locked
from migrator.pipeline.locking import DIGEST, lock_requirements
from migrator.verify.adapters.environments import UvEnvironments, find_uv

REQUIREMENTS = "six>=1.15\nidna<4\n"


def _pins(text: str) -> dict[str, str]:
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return dict(line.split("==", 1) for line in lines if "==" in line)


def test_the_requirements_resolve_to_exact_pins_with_the_digest_they_came_from(tmp_path: Path) -> None:
    lock = lock_requirements(REQUIREMENTS, cache=tmp_path / "cache")
    assert lock.warning == ""
    assert set(_pins(lock.text)) == {"six", "idna"}
    assert all(version[0].isdigit() for version in _pins(lock.text).values())
    assert DIGEST in lock.text


def test_a_lock_made_from_the_same_requirements_is_kept_and_one_from_others_is_not(tmp_path: Path) -> None:
    first = lock_requirements(REQUIREMENTS, cache=tmp_path / "cache")
    previous = tmp_path / "requirements.lock"
    # an older resolution of the same requirements, as a system committed it: kept, not moved to what the index has now
    previous.write_text(first.text.replace(f"six=={_pins(first.text)['six']}", "six==1.15.0"), encoding="utf-8")
    assert _pins(lock_requirements(REQUIREMENTS, previous=previous, cache=tmp_path / "empty").text)["six"] == "1.15.0"
    changed = lock_requirements(REQUIREMENTS + "packaging\n", previous=previous, cache=tmp_path / "cache")
    assert set(_pins(changed.text)) == {"six", "idna", "packaging"}


def test_requirements_that_cannot_resolve_leave_a_lock_that_constrains_nothing_and_a_warning(tmp_path: Path) -> None:
    lock = lock_requirements("migrator-no-such-distribution-7f3a==1.0\n", cache=tmp_path / "cache")
    assert "uv could not resolve" in lock.warning and "migrator-no-such-distribution-7f3a" in lock.warning
    assert _pins(lock.text) == {} and all(line.startswith("#") for line in lock.text.splitlines())


def test_generate_puts_one_lock_for_every_services_requirements(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {"a/requirements.txt": "six>=1.15\n", "b/requirements.txt": "six>=1.15\nidna<4\n", "a/pkg/x.py": "", "requirements.lock": "#\n"}
    assert locked(files, tmp_path) == ()
    assert set(_pins(str(files["requirements.lock"]))) == {"six", "idna"}


def test_verify_installs_the_locked_versions(tmp_path: Path) -> None:
    requirements = tmp_path / "svc" / "requirements.txt"
    requirements.parent.mkdir()
    requirements.write_text("six\n", encoding="utf-8")
    lock = tmp_path / "requirements.lock"
    lock.write_text("# a lock\nsix==1.15.0\n", encoding="utf-8")
    interpreter = UvEnvironments(tmp_path / "envs", uv=find_uv()).ensure([requirements], tools=[], constraints=lock)
    assert "locked to requirements.lock" in interpreter.detail
    version = subprocess.run([str(interpreter.python), "-c", "import six; print(six.__version__)"], capture_output=True, text=True, check=True)
    assert version.stdout.strip() == "1.15.0"
    assert sys.executable != str(interpreter.python)
