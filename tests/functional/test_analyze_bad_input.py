"""Bad input: each case is skipped and reported while the analysis goes on, or ends the run
with a one-line error and a hint (exit 1). Never a traceback."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrator.cli import main
from tests.cli import run

GOOD = {"shop/__init__.py": "", "shop/orders.py": "def place():\n    return 1\n"}


def _analyze(*args: str) -> tuple[int, str, str]:
    return run("analyze", *args, "--no-cache")


def _skipped(root: Path) -> dict[str, str]:
    code, out, err = _analyze(str(root), "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["nodes"]["function"] >= 1  # the good file was analysed all the same
    return {s["relpath"]: s["reason"] for s in summary["skipped"]}


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("py2.py", "print 'hello'\n", "syntax error: Missing parentheses in call to 'print'"),
        ("latin.py", b"# -*- coding: utf-8 -*-\nname = '\xe9t\xe9'\n", "cannot decode"),
        ("nul.py", b"x = 1\x00\n", "NUL byte"),
        ("badcoding.py", b"# -*- coding: klingon -*-\nx = 1\n", "cannot decode"),
    ],
)
def test_broken_file_is_skipped_with_its_reason(tree, name, content, reason) -> None:
    root = tree({**GOOD, f"shop/{name}": content})
    assert reason in _skipped(root)[f"shop/{name}"]


def test_python2_file_names_its_line_and_guesses_why(tree) -> None:
    root = tree({**GOOD, "shop/old.py": "x = 1\nprint 'hello'\n"})
    code, out, _ = _analyze(str(root))
    assert code == 0
    assert "shop/old.py:2: syntax error" in out and "(Python 2 code?)" in out


def test_huge_generated_file_is_skipped(tree) -> None:
    root = tree({**GOOD, "shop/generated.py": "X = [\n" + "    1,\n" * 3_500_000 + "]\n"})
    assert (root / "shop/generated.py").stat().st_size > 20_000_000
    assert "MB limit (generated code?)" in _skipped(root)["shop/generated.py"]


def test_symlink_loop_is_not_followed(tree) -> None:
    root = tree(GOOD)
    os.symlink(root / "shop", root / "shop" / "again")
    os.symlink(root / "nowhere.py", root / "shop" / "dangling.py")
    assert _skipped(root) == {"shop/dangling.py": "broken symbolic link"}


def test_unreadable_file_is_skipped(tree, tmp_path) -> None:
    root = tree({**GOOD, "shop/secret.py": "x = 1\n"})
    (root / "shop/secret.py").chmod(0)
    if os.geteuid() != 0:
        assert _skipped(root) == {"shop/secret.py": "cannot read: Permission denied"}
        return
    # root reads anything: act as nobody for the run to meet a real permission error
    for path in [root, *root.parents]:
        os.chmod(path, os.stat(path).st_mode | 0o005)
    for folder, dirs, _ in os.walk(root):
        for name in dirs:
            os.chmod(Path(folder, name), 0o755)
    for name in ("__init__.py", "orders.py"):
        os.chmod(root / "shop" / name, 0o644)
    _import_everything_the_run_needs()  # the interpreter's own files may be unreadable for nobody
    os.setegid(65534)
    os.seteuid(65534)
    try:
        skipped = _skipped(root)
    finally:
        os.seteuid(0)
        os.setegid(0)
    assert skipped == {"shop/secret.py": "cannot read: Permission denied"}


def _import_everything_the_run_needs() -> None:
    import importlib

    from analyzers import default_analyzers

    default_analyzers()
    for name in ("migrator.pipeline", "migrator.reporting.analysis_text", "rich.console", "rich.progress", "grimp", "concurrent.futures.process"):
        importlib.import_module(name)


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({}, "holds no Python file to analyse"),
        ({"README.md": "# not code\n", "data/x.json": "{}"}, "holds no Python file to analyse"),
        ({"shop/broken.py": "def (:\n"}, "holds no Python file"),
    ],
)
def test_tree_with_nothing_to_analyse_ends_with_a_hint(tree, tmp_path, files, message) -> None:
    root = tree(files) if files else (tmp_path / "empty")
    root.mkdir(exist_ok=True)
    code, _, err = _analyze(str(root))
    assert code == 1
    assert message in err and "hint:" in err


def test_path_that_does_not_exist(tmp_path) -> None:
    code, _, err = _analyze(str(tmp_path / "nope"))
    assert code == 1
    assert err.splitlines() == [f"error: {tmp_path / 'nope'} does not exist", "hint: give the folder of a repository or a package"]


def test_a_file_instead_of_a_folder(tree) -> None:
    root = tree(GOOD)
    code, _, err = _analyze(str(root / "shop/orders.py"))
    assert code == 1 and "is not a folder" in err


def test_usage_error_exits_2(tree) -> None:
    code, _, err = _analyze(str(tree(GOOD)), "--format", "pdf")
    assert code == 2 and "Invalid value for '--format'" in err


def test_output_the_user_wrote_is_not_overwritten_without_force(tree, tmp_path) -> None:
    root = tree(GOOD)
    mine = tmp_path / "notes.json"
    mine.write_text('{"my": "notes"}')
    code, _, err = _analyze(str(root), "-o", str(mine))
    assert code == 1 and "exists and was not written by migrator, or was edited since" in err and "--force" in err
    assert mine.read_text() == '{"my": "notes"}'
    assert _analyze(str(root), "-o", str(mine), "--force")[0] == 0
    assert '"schema": "migrator.graph/1"' in mine.read_text()
    # our own graph may be replaced on the next run without --force
    assert _analyze(str(root), "-o", str(mine))[0] == 0


def test_internal_error_is_one_line_without_debug_and_a_traceback_with_it(tree, monkeypatch) -> None:
    import migrator.engine.run

    def boom(*args, **kwargs):
        raise RuntimeError("kaput")

    monkeypatch.setattr(migrator.engine.run, "analyze_tree", boom)
    monkeypatch.setattr("migrator.pipeline.analysis.analyze_tree", boom)
    result = CliRunner().invoke(main, ["analyze", str(tree(GOOD))])
    assert result.exit_code == 1
    assert "internal error: RuntimeError: kaput" in result.stderr and "Traceback" not in result.stderr
    result = CliRunner().invoke(main, ["--debug", "analyze", str(tree(GOOD))])
    assert isinstance(result.exception, RuntimeError)
