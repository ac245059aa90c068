"""The per-file cache: reused when nothing changed, invalidated when a file changes, moves or goes."""

import shutil

from analyzers.base import AnalysisOptions
from migrator.engine import scanning
from migrator.engine.run import analyze_tree
from migrator.model.graph_json import dumps_json


def _run(root, cache_dir, workers=1):
    return analyze_tree(root, options=AnalysisOptions(cache_dir=cache_dir, workers=workers))


def _fresh(root, tmp_path):
    return dumps_json(analyze_tree(root, options=AnalysisOptions(use_cache=False)).graph)


FILES = {
    "pkg/__init__.py": "",
    "pkg/a.py": "from pkg.b import f\n\ndef g():\n    return f()\n",
    "pkg/b.py": "def f():\n    return 1\n",
    "pkg/c.py": "import pkg.a\n",
}


def test_warm_run_reuses_every_unchanged_file(tree, tmp_path) -> None:
    root = tree(FILES)
    cold = _run(root, tmp_path / "cache")
    warm = _run(root, tmp_path / "cache")
    assert (cold.reused, warm.reused) == (0, 4)
    assert dumps_json(cold.graph) == dumps_json(warm.graph)


def test_changed_file_is_rescanned_and_the_graph_matches_a_cold_run(tree, tmp_path) -> None:
    root = tree(FILES)
    _run(root, tmp_path / "cache")
    (root / "pkg/b.py").write_text("def f():\n    return 1\n\ndef h():\n    return f()\n")
    warm = _run(root, tmp_path / "cache")
    assert warm.reused == 3
    assert "pkg.b.h" in warm.graph
    assert dumps_json(warm.graph) == _fresh(root, tmp_path)


def test_moved_file_gets_its_new_module_name(tree, tmp_path) -> None:
    root = tree(FILES)
    _run(root, tmp_path / "cache")
    (root / "pkg/sub").mkdir()
    (root / "pkg/sub/__init__.py").write_text("")
    shutil.move(root / "pkg/b.py", root / "pkg/sub/b.py")
    warm = _run(root, tmp_path / "cache")
    assert "pkg.sub.b.f" in warm.graph and "pkg.b.f" not in warm.graph
    assert dumps_json(warm.graph) == _fresh(root, tmp_path)


def test_deleted_file_drops_out(tree, tmp_path) -> None:
    root = tree(FILES)
    _run(root, tmp_path / "cache")
    (root / "pkg/c.py").unlink()
    warm = _run(root, tmp_path / "cache")
    assert "pkg.c" not in warm.graph
    assert dumps_json(warm.graph) == _fresh(root, tmp_path)


def test_process_pool_gives_the_same_graph_as_one_process(tree, tmp_path) -> None:
    files = {f"pkg/m{i}.py": f"from pkg import m{(i + 1) % 100}\n\ndef f{i}():\n    return m{(i + 1) % 100}.f{(i + 1) % 100}()\n" for i in range(100)}
    root = tree({"pkg/__init__.py": "", **files})
    pooled = analyze_tree(root, options=AnalysisOptions(use_cache=False, workers=2))
    single = analyze_tree(root, options=AnalysisOptions(use_cache=False, workers=1))
    assert dumps_json(pooled.graph) == dumps_json(single.graph)
    assert len(pooled.graph.edges()) >= 200


def test_a_corrupt_cache_is_ignored(tree, tmp_path) -> None:
    root = tree(FILES)
    (tmp_path / "cache" / "scan").mkdir(parents=True)
    (tmp_path / "cache" / "scan" / "index.pickle").write_bytes(b"not a pickle")
    assert _run(root, tmp_path / "cache").reused == 0
    assert _run(root, tmp_path / "cache").reused == 4
    for pack in (tmp_path / "cache" / "scan").glob("pack-*.bin"):
        pack.write_bytes(b"\0" * pack.stat().st_size)  # same size, garbage inside
    (root / "pkg/c.py").write_text("import pkg.b\n")
    assert dumps_json(_run(root, tmp_path / "cache").graph) == _fresh(root, tmp_path)


def test_a_file_that_does_not_parse_is_remembered_until_it_changes(tree, tmp_path) -> None:
    root = tree({**FILES, "pkg/old.py": "print 'python 2'\n"})
    cold = _run(root, tmp_path / "cache")
    warm = _run(root, tmp_path / "cache")
    assert (cold.reused, warm.reused) == (0, 5)
    assert [s.relpath for s in warm.skipped] == ["pkg/old.py"]
    (root / "pkg/old.py").write_text("print('python 3')\n")
    fixed = _run(root, tmp_path / "cache")
    assert fixed.reused == 4 and fixed.skipped == []


def test_a_cold_run_has_the_workers_read_the_files_and_skips_what_they_cannot(tree, tmp_path, monkeypatch) -> None:
    """With nothing cached, the pool's workers read, hash and parse; what they cannot read or
    parse is reported as the main process would, and the cache they fill serves the next run."""
    monkeypatch.setattr(scanning, "PARALLEL_THRESHOLD", 0)
    root = tree({**FILES, "pkg/old.py": "print 'python 2'\n", "pkg/big.py": "x = 1\n" * 1000})
    options = AnalysisOptions(cache_dir=tmp_path / "cache", workers=2, max_file_bytes=2000)
    cold = analyze_tree(root, options=options)
    reasons = {s.relpath: s.reason for s in cold.skipped}
    assert reasons.keys() == {"pkg/old.py", "pkg/big.py"}
    assert "syntax error" in reasons["pkg/old.py"] and "over the" in reasons["pkg/big.py"]
    single = analyze_tree(root, options=AnalysisOptions(use_cache=False, workers=1, max_file_bytes=2000))
    assert cold.graph_text == single.graph_text and cold.skipped == single.skipped
    warm = analyze_tree(root, options=options)
    assert warm.reused == 5  # the four files and the one that does not parse, remembered
    assert warm.graph_text == cold.graph_text and warm.skipped == cold.skipped
