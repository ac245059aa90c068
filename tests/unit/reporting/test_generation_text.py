"""The summary of a regenerated tree: counts, a few names, the folders of what is no longer generated."""

from __future__ import annotations

from pathlib import Path

from migrator.reporting.generation_text import render_tree_changes
from migrator.writer import TreeChanges


def test_a_plain_run_is_one_line() -> None:
    changes = TreeChanges(created=("a",), updated=("b", "c"), unchanged=("d",))
    assert render_tree_changes(changes, Path("out"), subject="for 2 services") == "Wrote 1 new and 2 changed files under out (1 unchanged) for 2 services"


def test_kept_files_are_named_up_to_five_then_counted() -> None:
    kept = tuple(f"svc/f{i}.py" for i in range(7))
    lines = render_tree_changes(TreeChanges(kept=kept), Path("out"), dry_run=True).splitlines()
    assert lines[1] == "Would keep 7 files you edited: svc/f0.py, svc/f1.py, svc/f2.py, svc/f3.py, svc/f4.py and 2 more (--force replaces them)"


def test_files_no_longer_generated_are_counted_by_folder_the_fullest_first() -> None:
    stale = ("contracts/old.openapi.json", "old/Dockerfile", "old/pkg/a.py", "old/pkg/b.py", "NOTES.md")
    lines = render_tree_changes(TreeChanges(stale=stale), Path("out")).splitlines()
    assert lines[1] == "Left 5 files no longer generated in place, under old/, contracts/, the top folder (--prune removes them)"
