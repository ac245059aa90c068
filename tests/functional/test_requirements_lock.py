"""The generated system's requirements.lock: resolved by the real uv against the package index,
kept while the requirements are unchanged, from uv's cache when the index cannot be reached, said
out loud when it cannot be made, an error naming the requirements when they cannot hold together;
the runtime's lines of each service pinned to it; and verify's environment installs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generators.service.requirements import runtime_requirements
from migrator.errors import MigratorError
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


def test_requirements_that_cannot_hold_together_are_an_error_naming_them(tmp_path: Path) -> None:
    # Flask 3.0.3 needs Werkzeug 3: a pin of Werkzeug 2.0.3 cannot hold beside it
    with pytest.raises(MigratorError) as raised:
        lock_requirements("flask==3.0.3\nwerkzeug==2.0.3\n", cache=tmp_path / "cache")
    assert "cannot be resolved together" in raised.value.message
    assert "flask==3.0.3" in raised.value.message and "werkzeug" in raised.value.message
    with pytest.raises(MigratorError) as missing:
        lock_requirements("migrator-no-such-distribution-7f3a==1.0\n", cache=tmp_path / "cache")
    assert "migrator-no-such-distribution-7f3a" in missing.value.message


def test_pins_no_version_fits_on_some_other_platform_are_locked_for_the_linux_the_system_runs_on(tmp_path: Path) -> None:
    # chipy-org's pins: python-openid2 3.2 wants lxml<4 on PyPy, beside its lxml 5.3.0
    lock = lock_requirements("python-openid2==3.2\nlxml==5.3.0\n", cache=tmp_path / "cache")
    assert lock.warning == "" and {"python-openid2", "lxml"} <= set(_pins(lock.text))
    assert "-unknown-linux-gnu only: no versions fit every platform (Because python-openid2" in lock.text


def test_an_unreachable_index_resolves_from_uvs_cache_and_warns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert lock_requirements(REQUIREMENTS, cache=tmp_path / "online").warning == ""  # uv's own cache now holds six and idna
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")  # a proxy that refuses: the index cannot be reached
    monkeypatch.setenv("UV_HTTP_RETRIES", "0")
    cached = lock_requirements(REQUIREMENTS, cache=tmp_path / "offline")
    assert "resolved from uv's cache alone" in cached.warning and "unreachable" in cached.warning
    assert set(_pins(cached.text)) == {"six", "idna"} and DIGEST not in cached.text  # not kept: the next run asks the index again
    assert not (tmp_path / "offline").exists()
    nothing = lock_requirements("migrator-no-such-distribution-7f3a==1.0\n", cache=tmp_path / "offline")
    assert "not made" in nothing.warning and "unreachable" in nothing.warning and "from uv's cache alone" in nothing.warning
    assert _pins(nothing.text) == {} and all(line.startswith("#") for line in nothing.text.splitlines())


def test_generate_puts_one_lock_for_every_services_requirements_and_pins_the_runtimes_lines_to_it(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {"a/requirements.txt": "six>=1.15\n", "b/requirements.txt": "# header\nsix>=1.15\nidna<4  # runtime\n",
                                     "a/pkg/x.py": "", "requirements.lock": "#\n"}
    assert locked(files, tmp_path) == ()
    pins = _pins(str(files["requirements.lock"]))
    assert set(pins) == {"six", "idna"}
    assert files["a/requirements.txt"] == "six>=1.15\n"  # the monolith's own lines stay as its project wrote them
    lines = str(files["b/requirements.txt"]).splitlines()
    assert lines[-2:] == ["six>=1.15", f"idna=={pins['idna']}  # runtime"] and "requirements.lock" in lines[1]
    # the pins do not move the digest: a second run keeps the lock
    again: dict[str, str | bytes] = {"a/requirements.txt": "six>=1.15\n", "b/requirements.txt": "# header\nsix>=1.15\nidna<4  # runtime\n"}
    (tmp_path / "requirements.lock").write_text(str(files["requirements.lock"]), encoding="utf-8")
    assert locked(again, tmp_path) == () and again["requirements.lock"] == files["requirements.lock"]


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


def test_the_bus_client_is_never_faststream_0_6_0_which_cannot_run_on_the_typing_extensions_it_admits(tmp_path: Path) -> None:
    # microblog pins typing_extensions 4.8.0; FastStream 0.6.0 says it runs on it, then fails on import
    # (its brokers' generics need a type parameter's default: typing_extensions 4.11)
    bus = next(line for line in runtime_requirements("nats") if line.startswith("faststream"))
    assert _pins(lock_requirements(f"{bus}\ntyping_extensions==4.12.2\n", cache=tmp_path / "cache").text)["faststream"] != "0.6.0"
    with pytest.raises(MigratorError) as raised:
        lock_requirements(f"{bus}\ntyping_extensions==4.8.0\n", cache=tmp_path / "cache")
    assert "typing-extensions==4.8.0" in raised.value.message and "[tool.migrator] overrides" in (raised.value.hint or "")
