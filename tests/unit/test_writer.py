"""The writer: generated trees land atomically, and nothing a person wrote is lost without --force."""

from __future__ import annotations

import pytest

from migrator.errors import MigratorError
from migrator.writer import MANIFEST, WouldOverwrite, is_unedited, plan_tree, stamp, write_output, write_tree

TREE = {"orders/app.py": "app = 1\n", "orders/Dockerfile": "FROM base\n", "README.md": "# system\n"}


def test_first_write_creates_every_file_and_a_manifest(tmp_path) -> None:
    changes = write_tree(tmp_path, TREE)
    assert changes.created == ("README.md", "orders/Dockerfile", "orders/app.py")
    assert (tmp_path / "orders/app.py").read_text() == "app = 1\n"
    assert (tmp_path / MANIFEST).is_file()


def test_rewrite_updates_what_changed_and_keeps_the_rest(tmp_path) -> None:
    write_tree(tmp_path, TREE)
    changes = write_tree(tmp_path, {**TREE, "orders/app.py": "app = 2\n"})
    assert (changes.updated, changes.unchanged) == (("orders/app.py",), ("README.md", "orders/Dockerfile"))
    assert (tmp_path / "orders/app.py").read_text() == "app = 2\n"


def test_an_edited_file_stops_the_whole_write_unless_forced(tmp_path) -> None:
    write_tree(tmp_path, TREE)
    (tmp_path / "orders/app.py").write_text("app = 'mine'\n")
    with pytest.raises(WouldOverwrite) as caught:
        write_tree(tmp_path, {**TREE, "orders/app.py": "app = 2\n", "orders/new.py": "x = 1\n"})
    assert "orders/app.py" in str(caught.value) and "--force" in str(caught.value)
    assert (tmp_path / "orders/app.py").read_text() == "app = 'mine'\n"
    assert not (tmp_path / "orders/new.py").exists()  # nothing at all was written
    write_tree(tmp_path, {**TREE, "orders/app.py": "app = 2\n"}, force=True)
    assert (tmp_path / "orders/app.py").read_text() == "app = 2\n"


def test_a_file_the_user_put_there_is_a_conflict(tmp_path) -> None:
    (tmp_path / "README.md").write_text("my notes\n")
    assert plan_tree(tmp_path, TREE).conflicts == ("README.md",)


def test_dry_run_writes_nothing(tmp_path) -> None:
    changes = write_tree(tmp_path, TREE, dry_run=True)
    assert len(changes.created) == 3 and not any(tmp_path.iterdir())


def test_files_no_longer_generated_are_reported_not_deleted(tmp_path) -> None:
    write_tree(tmp_path, TREE)
    changes = write_tree(tmp_path, {"README.md": "# system\n"})
    assert changes.stale == ("orders/Dockerfile", "orders/app.py")
    assert (tmp_path / "orders/app.py").exists()


@pytest.mark.parametrize("relpath", ["../escape.py", "/etc/passwd", "a/../../b"])
def test_a_path_outside_the_folder_is_refused(tmp_path, relpath) -> None:
    with pytest.raises(MigratorError, match="outside"):
        write_tree(tmp_path / "out", {relpath: "x"})


def test_single_file_output_keeps_user_files_and_replaces_unedited_stamped_ones(tmp_path) -> None:
    target = tmp_path / "plan.md"
    write_output(target, stamp("# plan\n"), ours=is_unedited)
    write_output(target, stamp("# plan 2\n"), ours=is_unedited)
    assert target.read_text().endswith("# plan 2\n")
    target.write_text(target.read_text() + "my line\n")
    with pytest.raises(WouldOverwrite):
        write_output(target, stamp("# plan 3\n"), ours=is_unedited)
