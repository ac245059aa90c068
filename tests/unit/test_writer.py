"""The writer: files land atomically, a command's files all or none, and nothing a person wrote is lost
without --force."""

from __future__ import annotations

import os
import stat

import pytest

from migrator.errors import MigratorError
from migrator.writer import MANIFEST, Output, WouldOverwrite, is_unedited, plan_tree, stamp, write_all, write_output, write_tree

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


def test_bytes_are_written_as_they_are_and_a_second_run_finds_them_unchanged(tmp_path) -> None:
    picture, crlf = bytes(range(256)), b"line\r\nend\r\n"
    tree = {**TREE, "orders/static/logo.png": picture, "orders/templates/page.html": crlf, "orders/crlf.txt": "a\r\nb\r\n"}
    write_tree(tmp_path, tree)
    assert (tmp_path / "orders/static/logo.png").read_bytes() == picture
    assert (tmp_path / "orders/templates/page.html").read_bytes() == crlf
    changes = write_tree(tmp_path, tree)
    assert changes.unchanged == tuple(sorted(tree)) and not (changes.kept or changes.updated)
    (tmp_path / "orders/static/logo.png").write_bytes(picture[::-1])
    assert write_tree(tmp_path, {**tree, "orders/static/logo.png": picture[:10]}).kept == ("orders/static/logo.png",)


def test_an_edited_file_is_kept_and_every_other_file_written(tmp_path) -> None:
    write_tree(tmp_path, TREE)
    (tmp_path / "orders/app.py").write_text("app = 'mine'\n")
    changes = write_tree(tmp_path, {**TREE, "orders/app.py": "app = 2\n", "orders/Dockerfile": "FROM other\n", "orders/new.py": "x = 1\n"})
    assert (changes.kept, changes.updated, changes.created) == (("orders/app.py",), ("orders/Dockerfile",), ("orders/new.py",))
    assert (tmp_path / "orders/app.py").read_text() == "app = 'mine'\n"
    assert (tmp_path / "orders/Dockerfile").read_text() == "FROM other\n" and (tmp_path / "orders/new.py").is_file()
    assert write_tree(tmp_path, {**TREE, "orders/app.py": "app = 3\n"}).kept == ("orders/app.py",)  # still the person's on the next run


def test_force_replaces_an_edited_file_and_says_so(tmp_path) -> None:
    write_tree(tmp_path, TREE)
    (tmp_path / "orders/app.py").write_text("app = 'mine'\n")
    changes = write_tree(tmp_path, {**TREE, "orders/app.py": "app = 2\n"}, force=True)
    assert (changes.replaced, changes.kept) == (("orders/app.py",), ())
    assert (tmp_path / "orders/app.py").read_text() == "app = 2\n"
    assert write_tree(tmp_path, {**TREE, "orders/app.py": "app = 3\n"}).updated == ("orders/app.py",)  # migrator's again


def test_a_file_the_user_put_there_is_kept(tmp_path) -> None:
    (tmp_path / "README.md").write_text("my notes\n")
    assert plan_tree(tmp_path, TREE).kept == ("README.md",)
    write_tree(tmp_path, TREE)
    assert (tmp_path / "README.md").read_text() == "my notes\n"


def test_dry_run_writes_nothing(tmp_path) -> None:
    changes = write_tree(tmp_path, TREE, dry_run=True)
    assert len(changes.created) == 3 and not any(tmp_path.iterdir())
    write_tree(tmp_path, TREE)
    (tmp_path / "README.md").write_text("mine\n")
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    changes = write_tree(tmp_path, {"README.md": "# new\n"}, force=True, prune=True, dry_run=True)
    assert (changes.replaced, changes.pruned) == (("README.md",), ("orders/Dockerfile", "orders/app.py"))
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_files_no_longer_generated_are_left_in_place_unless_pruned(tmp_path) -> None:
    write_tree(tmp_path, TREE)
    changes = write_tree(tmp_path, {"README.md": "# system\n"})
    assert changes.stale == ("orders/Dockerfile", "orders/app.py")
    assert (tmp_path / "orders/app.py").exists()
    changes = write_tree(tmp_path, {"README.md": "# system\n"}, prune=True)
    assert changes.pruned == ("orders/Dockerfile", "orders/app.py")
    assert not (tmp_path / "orders").exists()  # the folder they leave empty goes too
    assert write_tree(tmp_path, {"README.md": "# system\n"}).stale == ()  # and the manifest forgets them


def test_pruning_keeps_a_file_no_longer_generated_that_a_person_edited(tmp_path) -> None:
    write_tree(tmp_path, TREE)
    (tmp_path / "orders/app.py").write_text("app = 'mine'\n")
    changes = write_tree(tmp_path, {"README.md": "# system\n"}, prune=True, force=True)
    assert (changes.pruned, changes.stale_edited) == (("orders/Dockerfile",), ("orders/app.py",))
    assert (tmp_path / "orders/app.py").read_text() == "app = 'mine'\n" and not (tmp_path / "orders/Dockerfile").exists()


def test_several_files_are_written_all_or_none(tmp_path) -> None:
    (tmp_path / "file").write_text("")
    outputs = [Output(tmp_path / "a/plan.md", "plan"), Output(tmp_path / "file/contracts/.importlinter", "x")]
    with pytest.raises(MigratorError, match="cannot write .*importlinter") as caught:
        write_all(outputs)
    assert "nothing was written" in caught.value.hint
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["file"]  # no plan.md, no temporary, no folder made for them


def test_a_file_in_the_way_stops_every_output_before_any_is_written(tmp_path) -> None:
    (tmp_path / "b.json").write_text("mine")
    with pytest.raises(WouldOverwrite, match="b.json"):
        write_all([Output(tmp_path / "a.md", "a"), Output(tmp_path / "b.json", "b")])
    assert not (tmp_path / "a.md").exists()


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


def test_new_files_take_the_umask_and_a_replaced_file_keeps_its_mode(tmp_path) -> None:
    old = os.umask(0o027)
    try:
        write_tree(tmp_path, TREE)
        assert stat.S_IMODE((tmp_path / "orders/app.py").stat().st_mode) == 0o640
        os.chmod(tmp_path / "orders/app.py", 0o755)
        write_tree(tmp_path, {**TREE, "orders/app.py": "app = 2\n"})
        assert stat.S_IMODE((tmp_path / "orders/app.py").stat().st_mode) == 0o755
    finally:
        os.umask(old)


def test_a_tree_leaves_no_temporary_behind_and_one_content_in_many_places_is_written_to_each(tmp_path) -> None:
    shared = b"\x89PNG shared picture"
    tree = {f"service{i}/static/logo.png": shared for i in range(5)}
    assert write_tree(tmp_path, tree).created == tuple(sorted(tree))
    assert all((tmp_path / path).read_bytes() == shared for path in tree)
    assert not [p for p in tmp_path.rglob("*.tmp")]
    assert write_tree(tmp_path, tree).unchanged == tuple(sorted(tree))


def test_with_the_stats_of_the_last_run_an_unchanged_file_is_not_read_again_and_an_edit_is_still_seen(tmp_path, monkeypatch) -> None:
    from migrator import writer

    stats = writer.TreeStats()
    write_tree(tmp_path, TREE, stats=stats)
    assert set(stats.files) == set(TREE)
    stats.noted_ns += 10**9  # as if noted a while after the files were written, out of the racy window
    (tmp_path / "orders/app.py").write_text("app = 'mine, and longer'\n")
    read: list[str] = []
    monkeypatch.setattr(writer, "_file_digest", lambda path, read_file=writer._file_digest: read.append(os.path.basename(path)) or read_file(path))
    changes = write_tree(tmp_path, {**TREE, "README.md": "# system, again\n"}, stats=stats)
    assert (changes.kept, changes.updated, changes.unchanged) == (("orders/app.py",), ("README.md",), ("orders/Dockerfile",))
    assert read == ["app.py"]  # the edited file; README.md is known to be what migrator wrote, Dockerfile unchanged
    assert set(stats.files) == {"README.md", "orders/Dockerfile"}  # a kept file is the person's: read every time


def test_a_survey_taken_before_the_write_names_the_edited_files_and_spares_looking_at_the_others(tmp_path, monkeypatch) -> None:
    from migrator import writer

    tree = {**TREE, "contracts/api.yaml": "openapi: 3.1.0\n"}
    stats = writer.TreeStats()
    write_tree(tmp_path, tree, stats=stats)
    stats.noted_ns += 10**9
    (tmp_path / "orders/app.py").write_text("app = 'mine, and longer'\n")
    (tmp_path / "orders/Dockerfile").unlink()
    surveyed = writer.survey_tree(tmp_path, stats)
    assert surveyed == {"orders/app.py", "orders/Dockerfile"}
    looked: list[str] = []
    real_stat = os.stat
    monkeypatch.setattr(writer.os, "stat", lambda path, **options: looked.append(os.path.basename(path)) or real_stat(path, **options))
    changes = write_tree(tmp_path, {**tree, "README.md": "# system, again\n"}, stats=stats, surveyed=surveyed)
    assert (changes.kept, changes.updated, changes.created) == (("orders/app.py",), ("README.md",), ("orders/Dockerfile",))
    assert changes.unchanged == ("contracts/api.yaml",) and "api.yaml" not in looked and "app.py" in looked  # known from the survey; found changed
    assert (tmp_path / "orders/app.py").read_text() == "app = 'mine, and longer'\n"


def test_a_file_changed_right_after_it_was_written_is_read_again(tmp_path) -> None:
    from migrator import writer

    stats = writer.TreeStats()
    write_tree(tmp_path, TREE, stats=stats)
    target = tmp_path / "orders/app.py"
    before = target.stat()
    target.write_text("app = 9\n")  # same size; in the same tick of a coarse clock its time would not change
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert write_tree(tmp_path, TREE, stats=stats).kept == ("orders/app.py",)


def test_a_large_tree_is_written_all_or_none(tmp_path) -> None:
    (tmp_path / "blocked").write_text("a file where a folder should be")
    tree = {f"service{i}/app/module{j}.py": f"x = {i * j}\n" for i in range(8) for j in range(20)}
    tree["blocked/inside.txt"] = "x"
    with pytest.raises(MigratorError, match="cannot write .*blocked"):
        write_tree(tmp_path, tree)
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["blocked"]
    del tree["blocked/inside.txt"]
    assert len(write_tree(tmp_path, tree).created) == 160
    assert all((tmp_path / path).read_text() == text for path, text in tree.items()) and not list(tmp_path.rglob("*.tmp"))


def test_a_tree_written_by_several_threads_is_written_all_or_none_and_replaced_in_place(tmp_path, monkeypatch) -> None:
    from migrator import writer

    tree = {f"service{i}/app/pkg{j % 4}/module{j}.py": f"x = {i * j}\n" for i in range(8) for j in range(80)}
    tree |= {"README.md": "top\n", "contracts/api.json": "{}\n"}
    _, lanes = writer._lanes([(str(tmp_path / path), text) for path, text in tree.items()])
    assert len(tree) >= writer.LANE_FILES and len(lanes) == min(len(os.sched_getaffinity(0)), 4)
    assert all(len({path.split("/")[-4] for path, _ in lane if "/service" in path} & {path.split("/")[-4] for path, _ in other if "/service" in path}) == 0
               for lane in lanes for other in lanes if lane is not other)  # a service's tree is written by one thread
    (tmp_path / "service7").write_text("a file where a service's folder should be")
    with pytest.raises(MigratorError, match="cannot write .*service7"):
        write_tree(tmp_path, tree)
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["service7"]  # the other lanes' files and folders went too
    (tmp_path / "service7").unlink()
    stage = writer._Staging.stage

    def failing(self, path: str, content: str | bytes, mode: int | None) -> None:
        if path.endswith("service3/app/pkg1/module41.py"):
            raise RuntimeError("not a file system's refusal")
        stage(self, path, content, mode)

    with monkeypatch.context() as patched:
        patched.setattr(writer._Staging, "stage", failing)
        with pytest.raises(RuntimeError, match="refusal"):  # raised as it is, after the same clean-up
            write_tree(tmp_path, tree)
    assert list(tmp_path.iterdir()) == []
    assert len(write_tree(tmp_path, tree).created) == len(tree)
    changed = {path: (text + "y = 1\n" if "module1" in path else text) for path, text in tree.items()}
    changes = write_tree(tmp_path, changed)
    assert len(changes.updated) == sum("module1" in path for path in tree) and len(changes.unchanged) == len(tree) - len(changes.updated)
    assert all((tmp_path / path).read_text() == text for path, text in changed.items()) and not list(tmp_path.rglob("*.tmp"))
