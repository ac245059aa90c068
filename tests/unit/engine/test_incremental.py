"""Warm runs reuse the previous link where its inputs are unchanged, and still equal a cold run.

Every test changes a tree between two runs sharing a cache and compares the warm run with a
cold one (no cache) on the changed tree: the graph as built, the graph.json text the engine
keeps, the skipped files and the notes.
"""

import shutil

from analyzers.base import AnalysisOptions
from migrator.engine.incremental import wait_for_saves
from migrator.engine.incremental import LinkStore
from migrator.engine.run import analyze_tree
from migrator.model.graph_json import dumps_json

FILES = {
    "pkg/__init__.py": "from pkg.impl_a import thing\n",
    "pkg/impl_a.py": "def thing():\n    return 1\n",
    "pkg/impl_b.py": "def thing():\n    return 2\n",
    "pkg/consumer.py": "from pkg import thing\n\n\ndef use():\n    return thing()\n",
    "pkg/models.py": (
        "from django.db import models\n\n\n"
        "class Order(models.Model):\n    total = models.IntegerField()\n"
    ),
    "pkg/services.py": (
        "from pkg.models import Order\n\n\n"
        "def open_orders():\n    return Order.objects.filter(total__gt=0)\n"
    ),
    "pkg/tests/test_consumer.py": "from pkg.consumer import use\n\n\ndef test_use():\n    assert use() == 1\n",
}


def _warm(root, cache):
    return analyze_tree(root, options=AnalysisOptions(cache_dir=cache, workers=1))


def _assert_same_as_cold(warm, root) -> None:
    cold = analyze_tree(root, options=AnalysisOptions(use_cache=False, workers=1))
    expected = dumps_json(cold.graph)
    assert warm.graph_json == expected
    assert dumps_json(warm.graph) == expected
    assert warm.skipped == cold.skipped
    assert warm.notes == cold.notes


def _calls(analysis, source):
    return sorted(e.target for e in analysis.graph.edges_from(source) if e.kind.value == "calls")


def test_nothing_changed_gives_the_same_graph_without_building_it_anew(tree, tmp_path) -> None:
    root = tree(FILES)
    cold = _warm(root, tmp_path / "cache")
    warm = _warm(root, tmp_path / "cache")
    assert warm.reused == warm.files
    assert warm.graph_json == cold.graph_json == dumps_json(cold.graph)
    _assert_same_as_cold(warm, root)


def test_a_comment_added_rescans_the_file_and_keeps_the_graph(tree, tmp_path) -> None:
    root = tree(FILES)
    _warm(root, tmp_path / "cache")
    with (root / "pkg/consumer.py").open("a") as handle:
        handle.write("# a comment\n")
    warm = _warm(root, tmp_path / "cache")
    assert warm.reused == warm.files - 1
    _assert_same_as_cold(warm, root)


def test_an_edited_function_body_is_relinked(tree, tmp_path) -> None:
    root = tree(FILES)
    _warm(root, tmp_path / "cache")
    (root / "pkg/consumer.py").write_text(
        "from pkg import thing\nfrom pkg.impl_b import thing as other\n\n\ndef use():\n    return thing() + other()\n"
    )
    warm = _warm(root, tmp_path / "cache")
    assert _calls(warm, "pkg.consumer.use") == ["pkg.impl_a.thing", "pkg.impl_b.thing"]
    _assert_same_as_cold(warm, root)


def test_lines_moved_by_an_edit_move_the_evidence(tree, tmp_path) -> None:
    root = tree(FILES)
    _warm(root, tmp_path / "cache")
    (root / "pkg/services.py").write_text("\n\n" + FILES["pkg/services.py"])
    warm = _warm(root, tmp_path / "cache")
    _assert_same_as_cold(warm, root)


def test_a_re_export_changed_in_an_init_changes_what_unchanged_modules_resolve_to(tree, tmp_path) -> None:
    root = tree(FILES)
    before = _warm(root, tmp_path / "cache")
    assert _calls(before, "pkg.consumer.use") == ["pkg.impl_a.thing"]
    (root / "pkg/__init__.py").write_text("from pkg.impl_b import thing\n")
    warm = _warm(root, tmp_path / "cache")
    assert _calls(warm, "pkg.consumer.use") == ["pkg.impl_b.thing"]
    _assert_same_as_cold(warm, root)


def test_a_definition_removed_from_a_module_others_use(tree, tmp_path) -> None:
    root = tree(FILES)
    _warm(root, tmp_path / "cache")
    (root / "pkg/impl_a.py").write_text("def other():\n    return 1\n")
    warm = _warm(root, tmp_path / "cache")
    assert "pkg.impl_a.thing" not in warm.graph
    _assert_same_as_cold(warm, root)


def test_a_new_model_field_relinks_the_data(tree, tmp_path) -> None:
    root = tree(FILES)
    _warm(root, tmp_path / "cache")
    (root / "pkg/models.py").write_text(
        FILES["pkg/models.py"] + "\n\nclass Line(models.Model):\n    order = models.ForeignKey(Order, on_delete=models.CASCADE)\n"
    )
    warm = _warm(root, tmp_path / "cache")
    assert warm.graph.edge("pkg.models.Line", "pkg.models.Order", warm.graph.edges()[0].kind.__class__("foreign_key"))
    _assert_same_as_cold(warm, root)


def test_an_edited_sql_file_relinks_the_data(tree, tmp_path) -> None:
    files = {
        **FILES,
        "pkg/schema.sql": "CREATE TABLE ledger (id integer);\n",
        "pkg/migrations/versions/0001_init.py": (
            "from alembic import op\n\nrevision = '0001'\ndown_revision = None\n\n\n"
            "def upgrade():\n    op.create_table('accounts')\n"
        ),
        "pkg/books.py": "def balance(db):\n    return db.execute('SELECT sum(amount) FROM ledger JOIN accounts ON true')\n",
    }
    root = tree(files)
    before = _warm(root, tmp_path / "cache")
    assert "table:ledger" in before.graph and "table:accounts" in before.graph
    (root / "pkg/schema.sql").write_text("-- moved on\n\nCREATE TABLE journal (amount integer);\n")
    warm = _warm(root, tmp_path / "cache")
    assert "table:journal" in warm.graph and "table:ledger" not in warm.graph
    _assert_same_as_cold(warm, root)
    (root / "pkg/migrations/versions/0001_init.py").write_text(files["pkg/migrations/versions/0001_init.py"].replace("accounts", "ledger"))
    warm = _warm(root, tmp_path / "cache")
    assert "table:accounts" not in warm.graph
    assert warm.graph.node("table:ledger").file == "pkg/migrations/versions/0001_init.py"
    _assert_same_as_cold(warm, root)


def test_moved_file(tree, tmp_path) -> None:
    root = tree(FILES)
    _warm(root, tmp_path / "cache")
    (root / "pkg/sub").mkdir()
    (root / "pkg/sub/__init__.py").write_text("")
    shutil.move(root / "pkg/impl_a.py", root / "pkg/sub/impl_a.py")
    warm = _warm(root, tmp_path / "cache")
    assert "pkg.sub.impl_a.thing" in warm.graph and "pkg.impl_a.thing" not in warm.graph
    _assert_same_as_cold(warm, root)


def test_deleted_file(tree, tmp_path) -> None:
    root = tree(FILES)
    _warm(root, tmp_path / "cache")
    (root / "pkg/impl_a.py").unlink()
    warm = _warm(root, tmp_path / "cache")
    assert "pkg.impl_a" not in warm.graph
    _assert_same_as_cold(warm, root)


def test_added_file_that_an_unchanged_module_already_named(tree, tmp_path) -> None:
    files = {**FILES, "pkg/consumer.py": "import pkg.extra\n\n\ndef use():\n    return pkg.extra.helper()\n"}
    root = tree(files)
    before = _warm(root, tmp_path / "cache")
    assert "pkg.extra" not in before.graph
    (root / "pkg/extra.py").write_text("def helper():\n    return 3\n")
    warm = _warm(root, tmp_path / "cache")
    assert _calls(warm, "pkg.consumer.use") == ["pkg.extra.helper"]
    _assert_same_as_cold(warm, root)


def test_an_excluded_file_that_stops_parsing_is_seen_by_the_imports(tree, tmp_path) -> None:
    root = tree(FILES)
    _warm(root, tmp_path / "cache")
    (root / "pkg/tests/test_consumer.py").write_text("def broken(:\n")
    warm = _warm(root, tmp_path / "cache")
    _assert_same_as_cold(warm, root)


def test_a_file_that_stops_parsing(tree, tmp_path) -> None:
    root = tree(FILES)
    _warm(root, tmp_path / "cache")
    (root / "pkg/impl_b.py").write_text("def thing(:\n")
    warm = _warm(root, tmp_path / "cache")
    assert [s.relpath for s in warm.skipped] == ["pkg/impl_b.py"]
    _assert_same_as_cold(warm, root)


def test_damaged_link_files_are_ignored(tree, tmp_path) -> None:
    root = tree(FILES)
    _warm(root, tmp_path / "cache")
    wait_for_saves()
    for name in ("state.pickle", "parts.marshal"):
        (tmp_path / "cache" / "link" / name).write_bytes(b"not a pickle")
        (root / "pkg/consumer.py").write_text(FILES["pkg/consumer.py"] + f"\n\ndef more_{name[:4]}():\n    return thing()\n")
        warm = _warm(root, tmp_path / "cache")
        _assert_same_as_cold(warm, root)


def test_missing_parts_with_a_good_state_are_rebuilt(tree, tmp_path) -> None:
    root = tree(FILES)
    _warm(root, tmp_path / "cache")
    wait_for_saves()
    (tmp_path / "cache" / "link" / "parts.marshal").unlink()
    (root / "pkg/consumer.py").write_text(FILES["pkg/consumer.py"] + "\n\ndef more():\n    return thing()\n")
    warm = _warm(root, tmp_path / "cache")
    _assert_same_as_cold(warm, root)


def test_the_last_cache_writes_finish_in_the_background(tree, tmp_path) -> None:
    """graph.json and the state are written by a thread; once it is done (as the next run or the
    interpreter's exit waits for it), they are the run's."""
    root = tree(FILES)
    first = _warm(root, tmp_path / "cache")
    wait_for_saves()
    link = tmp_path / "cache" / "link"
    assert (link / "graph.json").read_bytes() == first.graph_text
    assert (link / "state.pickle").is_file()
    again = _warm(root, tmp_path / "cache")
    assert again.graph_text == first.graph_text
    assert "graph" not in again.seconds  # the text was taken as saved, not merged again


def test_a_cache_that_cannot_be_written_is_only_missing_next_time(tree, tmp_path, monkeypatch, capfd) -> None:
    root = tree(FILES)

    def no_room(self, text) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(LinkStore, "save_json", no_room)
    first = _warm(root, tmp_path / "cache")
    wait_for_saves()
    assert not (tmp_path / "cache" / "link" / "state.pickle").exists()
    assert "Traceback" not in capfd.readouterr().err
    monkeypatch.undo()
    second = _warm(root, tmp_path / "cache")
    assert second.graph_text == first.graph_text
    _assert_same_as_cold(second, root)


def test_a_renamed_definition_relinks_only_the_modules_that_read_its_module(tree, tmp_path, calls_of) -> None:
    from analyzers.symbols import SymbolsAnalyzer

    calls = calls_of(SymbolsAnalyzer, "link_module")
    root = tree(FILES)
    _warm(root, tmp_path / "cache")
    # impl_b's interface changes, but nothing resolves a name through it
    (root / "pkg/impl_b.py").write_text("def thing_renamed():\n    return 2\n")
    calls.clear()
    warm = _warm(root, tmp_path / "cache")
    assert [module for _, module in calls] == ["pkg.impl_b"]
    _assert_same_as_cold(warm, root)
    # impl_a's thing is what pkg.consumer calls (through pkg's re-export)
    (root / "pkg/impl_a.py").write_text("def thing_renamed():\n    return 1\n")
    calls.clear()
    warm = _warm(root, tmp_path / "cache")
    linked = [module for _, module in calls]
    assert "pkg.impl_a" in linked and "pkg.consumer" in linked
    assert not {"pkg.models", "pkg.services", "pkg.impl_b"} & set(linked)
    assert _calls(warm, "pkg.consumer.use") == []
    _assert_same_as_cold(warm, root)


def test_a_renamed_definition_keeps_the_import_link_until_an_import_changes(tree, tmp_path, calls_of) -> None:
    from analyzers.imports import ImportsAnalyzer

    links = calls_of(ImportsAnalyzer, "link")
    root = tree(FILES)
    _warm(root, tmp_path / "cache")
    # an interface change that leaves every import statement as it was
    (root / "pkg/impl_a.py").write_text("def thing_renamed():\n    return 1\n")
    links.clear()
    warm = _warm(root, tmp_path / "cache")
    assert links == []
    _assert_same_as_cold(warm, root)
    # an import added is linked again
    (root / "pkg/impl_b.py").write_text("from pkg import impl_a\n\n\ndef thing():\n    return 2\n")
    links.clear()
    warm = _warm(root, tmp_path / "cache")
    assert len(links) == 1
    assert "pkg.impl_a" in {e.target for e in warm.graph.edges_from("pkg.impl_b") if e.kind.value == "imports"}
    _assert_same_as_cold(warm, root)
