"""migrator generate over a system it wrote before: every file nobody edited is written again, an
edited one is kept and named (--force replaces it), --dry-run writes nothing, and the files of a
service renamed away are summarised, then removed by --prune unless someone edited them."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import yaml

from tests.cli import run

SAMPLE = Path(__file__).resolve().parents[2] / "sample_monolith"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with decomposition.yaml, and the system generated from it under system/."""
    folder = tmp_path_factory.mktemp("generated")
    assert run("propose", str(SAMPLE), "-o", str(folder / "decomposition.yaml"), "--services", "10")[0] == 0
    code, _, stderr = run("generate", str(SAMPLE), "--decomposition", str(folder / "decomposition.yaml"), "-o", str(folder / "system"))
    assert code == 0, stderr
    return folder


@pytest.fixture
def folder(generated: Path, tmp_path: Path) -> Path:
    """A copy of ``generated`` of this test's own."""
    return Path(shutil.copytree(generated, tmp_path / "copy"))


def _generate(folder: Path, *args: str, decomposition: str = "decomposition.yaml") -> tuple[int, str, str]:
    return run("generate", str(SAMPLE), "--decomposition", str(folder / decomposition), "-o", str(folder / "system"), *args)


def _edit(path: Path) -> str:
    path.write_text(path.read_text(encoding="utf-8") + "\nour runbook\n", encoding="utf-8")
    return path.read_text(encoding="utf-8")


def _snapshot(system: Path) -> dict[str, str]:
    return {str(p.relative_to(system)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(system.rglob("*")) if p.is_file()}


def _rename_reviews(folder: Path) -> str:
    document = yaml.safe_load((folder / "decomposition.yaml").read_text(encoding="utf-8"))
    document["services"] = {("feedback" if name == "reviews" else name): body for name, body in document["services"].items()}
    (folder / "renamed.yaml").write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return "renamed.yaml"


def test_an_edited_file_is_kept_and_named_and_every_other_file_written(folder: Path) -> None:
    system = folder / "system"
    edited = _edit(system / "README.md")
    compose = (system / "docker-compose.yml").read_text(encoding="utf-8")
    code, stdout, stderr = _generate(folder, "--event-bus", "kafka")  # a change that reaches many files
    assert code == 0, stderr
    assert (system / "README.md").read_text(encoding="utf-8") == edited
    assert (system / "docker-compose.yml").read_text(encoding="utf-8") != compose and "kafka" in (system / "docker-compose.yml").read_text()
    lines = stdout.splitlines()
    assert lines[0].startswith("Wrote 0 new and ") and "changed files under" in lines[0]
    assert lines[1:] == ["Kept 1 file you edited: README.md (--force replaces it)"]


def test_force_replaces_an_edited_file_and_counts_it(folder: Path) -> None:
    system = folder / "system"
    _edit(system / "README.md")
    _edit(system / "gateway/nginx.conf")
    code, stdout, stderr = _generate(folder, "--force")
    assert code == 0, stderr
    assert not (system / "README.md").read_text(encoding="utf-8").endswith("our runbook\n")
    assert stdout.splitlines()[0].startswith(f"Wrote 0 new, 0 changed and 2 replaced files under {system} (")
    assert stdout.splitlines()[1] == "Replaced 2 files you had edited: README.md, gateway/nginx.conf"


def test_dry_run_tells_what_would_happen_and_writes_nothing(folder: Path) -> None:
    system = folder / "system"
    _edit(system / "README.md")
    before = _snapshot(system)
    code, stdout, stderr = _generate(folder, "--dry-run", "--prune", decomposition=_rename_reviews(folder))
    assert code == 0, stderr
    assert _snapshot(system) == before
    lines = stdout.splitlines()
    assert lines[0].startswith("Would write ") and " new and " in lines[0]
    assert "Would keep 1 file you edited: README.md (--force replaces it)" in lines
    assert any(line.startswith("Would remove ") and "no longer generated, under reviews/" in line for line in lines), stdout


def test_files_of_a_renamed_service_are_summarised_with_the_hint_to_prune(folder: Path) -> None:
    system = folder / "system"
    code, stdout, stderr = _generate(folder, decomposition=_rename_reviews(folder))
    assert code == 0, stderr
    assert (system / "feedback").is_dir() and (system / "reviews/Dockerfile").is_file()
    stale = [line for line in stdout.splitlines() if "no longer generated" in line]
    assert len(stale) == 1 and len(stdout.splitlines()) == 2
    assert stale[0].startswith("Left ") and " files no longer generated in place, under reviews/, k8s/base/reviews/" in stale[0]
    assert stale[0].endswith("(--prune removes them)")


def test_prune_removes_the_old_folder_but_a_file_someone_edited(folder: Path) -> None:
    system = folder / "system"
    renamed = _rename_reviews(folder)
    assert _generate(folder, decomposition=renamed)[0] == 0
    edited = _edit(system / "reviews/Dockerfile")
    code, stdout, stderr = _generate(folder, "--prune", decomposition=renamed)
    assert code == 0, stderr
    assert sorted(p.name for p in (system / "reviews").rglob("*")) == ["Dockerfile"]
    assert (system / "reviews/Dockerfile").read_text(encoding="utf-8") == edited
    assert not (system / "k8s/base/reviews").exists() and (system / "k8s/base/feedback").is_dir()
    lines = stdout.splitlines()
    assert any(line.startswith("Removed ") and "no longer generated, under reviews/, k8s/base/reviews/" in line for line in lines), stdout
    assert "Kept 1 file no longer generated that you edited: reviews/Dockerfile" in lines
