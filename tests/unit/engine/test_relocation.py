"""Warm runs after an edit: whole-program links relocated, graph.json patched, both equal to cold.

The unit tests pin the line map and the relocation of facts and contributions; the runs below
edit a small Flask + Django tree between two runs sharing a cache and compare the warm result
with a cold run on the edited tree, byte for byte, while checking which way the run went.
"""

from dataclasses import dataclass
from typing import NamedTuple

import pytest

from analyzers.base import AnalysisOptions, Skipped
from analyzers.data import DataAnalyzer
from migrator.engine.incremental import wait_for_saves
from migrator.engine.packing import Packed
from migrator.engine.relocation import LineMap, NotRelocatable, relocate, relocate_packed
from migrator.engine.run import analyze_tree
from migrator.model.graph_json import dumps_json

# -- the line map and relocation ------------------------------------------------------------------


def test_a_line_map_keeps_the_lines_above_an_edit_and_shifts_those_below() -> None:
    old = b"a\nb\nc\nd\n"
    lines = LineMap.between(old, b"a\nb\nnew\nnewer\nc\nd\n")
    assert [lines(n) for n in (1, 2, 3, 4)] == [1, 2, 5, 6]


def test_a_replaced_line_maps_nowhere() -> None:
    lines = LineMap.between(b"a\nb\nc\n", b"a\nB\nc\n")
    assert (lines(1), lines(3)) == (1, 3)
    with pytest.raises(NotRelocatable):
        lines(2)


def test_deleted_lines_shift_the_rest_up() -> None:
    lines = LineMap.between(b"a\nb\nc\nd\n", b"a\nd\n")
    assert (lines(1), lines(4)) == (1, 2)
    with pytest.raises(NotRelocatable):
        lines(3)


class _Site(NamedTuple):
    name: str
    line: int


@dataclass(frozen=True)
class _Fact:
    scope: str
    line: int
    sites: tuple[_Site, ...]
    count: int


def test_relocate_moves_every_line_field_and_nothing_else() -> None:
    lines = LineMap.between(b"1\n2\n3\n", b"0\n1\n2\n3\n")
    fact = _Fact("f", 2, (_Site("x", 3),), count=3)
    assert relocate({"k": [fact]}, lines) == {"k": [_Fact("f", 3, (_Site("x", 4),), count=3)]}


def test_a_fact_on_an_edited_line_cannot_be_relocated() -> None:
    lines = LineMap.between(b"1\n2\n3\n", b"1\nTWO\n3\n")
    with pytest.raises(NotRelocatable):
        relocate([_Fact("f", 2, (), 0)], lines)


def test_a_contribution_is_relocated_in_the_moved_file_only() -> None:
    moved = {"a.py": LineMap.between(b"x\ny\n", b"new\nx\ny\n")}
    packed = Packed(
        nodes=[("a.f", "function", "a.py", 2, (), {}), ("b.g", "function", "b.py", 2, (), {})],
        edges=[("a.f", "b.g", "calls", 2.0, ("a.py:1", "a.py:2", "b.py:1"), {})],
        skipped=[Skipped("a.py", "odd", 1), Skipped("b.py", "odd", 1)],
        notes=["nothing about files"],
    )
    moved_packed = relocate_packed(packed, moved)
    assert [n[3] for n in moved_packed.nodes] == [3, 2]
    assert moved_packed.edges[0][4] == ("a.py:2", "a.py:3", "b.py:1")
    assert [s.line for s in moved_packed.skipped] == [2, 1]
    with pytest.raises(NotRelocatable):
        relocate_packed(Packed(notes=["a.py:1 is odd"]), moved)


# -- warm runs ------------------------------------------------------------------------------------

FILES = {
    "pkg/__init__.py": "",
    "pkg/models.py": (
        "from django.db import models\n\n\n"
        "class Order(models.Model):\n    total = models.IntegerField()\n"
    ),
    "pkg/services.py": (
        "from pkg.models import Order\n\n\n"
        "def open_orders():\n    return Order.objects.filter(total__gt=0)\n\n\n"
        "def helper():\n    return 1\n\n\n"
        "def report():\n    return Order.objects.count()\n"
    ),
    "pkg/views.py": (
        "from flask import Flask\n\nfrom pkg.services import open_orders, helper\n\n"
        "app = Flask(__name__)\n\n\n"
        "@app.route('/orders')\ndef orders():\n    return open_orders()\n"
    ),
}


def _run(root, cache):
    return analyze_tree(root, options=AnalysisOptions(cache_dir=cache, workers=1))


def _assert_same_as_cold(warm, root) -> None:
    cold = analyze_tree(root, options=AnalysisOptions(use_cache=False, workers=1))
    assert warm.graph_json == dumps_json(cold.graph)
    assert warm.counts == cold.counts
    assert warm.skipped == cold.skipped
    assert warm.notes == cold.notes


@pytest.fixture
def data_links(calls_of):
    """How often the data analyzer's whole-program link ran."""
    return calls_of(DataAnalyzer, "link")


def _edit(root, relpath, old, new) -> None:
    path = root / relpath
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_a_body_edit_relocates_the_data_link_and_patches_the_graph(tree, tmp_path, data_links) -> None:
    root = tree(FILES)
    _run(root, tmp_path / "cache")
    _edit(root, "pkg/services.py", "def open_orders():\n", "def open_orders():\n    limit = 10\n    limit += 1\n")
    warm = _run(root, tmp_path / "cache")
    assert len(data_links) == 1  # the cold run's only
    assert "patch" in warm.seconds
    reads = [e for e in warm.graph.edges_from("pkg.services.report") if e.kind.value == "reads"]
    assert [e.evidence for e in reads] == [("pkg/services.py:15",)]  # was line 13
    _assert_same_as_cold(warm, root)


def test_a_new_query_relinks_the_data(tree, tmp_path, data_links) -> None:
    root = tree(FILES)
    _run(root, tmp_path / "cache")
    _edit(root, "pkg/services.py", "    return 1\n", "    return Order.objects.exists()\n")
    warm = _run(root, tmp_path / "cache")
    assert len(data_links) == 2
    assert "pkg.models.Order" in {e.target for e in warm.graph.edges_from("pkg.services.helper")}
    _assert_same_as_cold(warm, root)


def test_a_call_added_in_a_route_handler_spreads_its_context(tree, tmp_path, context_runs) -> None:
    root = tree(FILES)
    _run(root, tmp_path / "cache")
    _edit(root, "pkg/views.py", "    return open_orders()\n", "    helper()\n    return open_orders()\n")
    warm = _run(root, tmp_path / "cache")
    assert "patch" in warm.seconds and len(context_runs) == 1
    assert warm.graph.node("pkg.services.helper").contexts == ("route:GET /orders",)
    _assert_same_as_cold(warm, root)


@pytest.fixture
def context_runs(calls_of):
    """How often a patch worked the routes' contexts out again."""
    from migrator.engine import patch

    return calls_of(patch, "reached_contexts")


def test_a_call_added_deeper_in_a_route_spreads_its_context(tree, tmp_path, context_runs) -> None:
    root = tree(FILES)
    _run(root, tmp_path / "cache")
    # open_orders has the route's context (the handler calls it), so what it calls gets it too
    _edit(root, "pkg/services.py", "    return Order.objects.filter(", "    helper()\n    return Order.objects.filter(")
    warm = _run(root, tmp_path / "cache")
    assert "patch" in warm.seconds and len(context_runs) == 1
    assert warm.graph.node("pkg.services.helper").contexts == ("route:GET /orders",)
    _assert_same_as_cold(warm, root)


def test_a_call_added_where_no_route_reaches_leaves_the_contexts_alone(tree, tmp_path, context_runs) -> None:
    root = tree(FILES)
    _run(root, tmp_path / "cache")
    _edit(root, "pkg/services.py", "    return Order.objects.count()\n", "    helper()\n    return Order.objects.count()\n")
    warm = _run(root, tmp_path / "cache")
    assert "patch" in warm.seconds and context_runs == []
    assert "pkg.services.helper" in {e.target for e in warm.graph.edges_from("pkg.services.report")}
    assert warm.graph.node("pkg.services.helper").contexts == ()
    _assert_same_as_cold(warm, root)


def test_a_call_removed_from_a_route_handler_takes_its_context_away(tree, tmp_path) -> None:
    root = tree(FILES)
    _run(root, tmp_path / "cache")
    _edit(root, "pkg/views.py", "    return open_orders()\n", "    return []\n")
    warm = _run(root, tmp_path / "cache")
    assert "patch" in warm.seconds
    assert warm.graph.node("pkg.services.open_orders").contexts == ()
    _assert_same_as_cold(warm, root)


def test_a_function_added_and_one_removed(tree, tmp_path) -> None:
    root = tree(FILES)
    _run(root, tmp_path / "cache")
    _edit(root, "pkg/services.py", "def helper():\n    return 1\n", "def assist():\n    return 1\n")
    _edit(root, "pkg/views.py", "open_orders, helper", "open_orders, assist")
    warm = _run(root, tmp_path / "cache")
    assert "pkg.services.assist" in warm.graph and "pkg.services.helper" not in warm.graph
    _assert_same_as_cold(warm, root)


def test_a_route_added_and_edits_in_a_row(tree, tmp_path) -> None:
    root = tree(FILES)
    cache = tmp_path / "cache"
    _run(root, cache)
    with (root / "pkg/views.py").open("a") as handle:
        handle.write("\n\n@app.route('/report')\ndef report_view():\n    return helper()\n")
    warm = _run(root, cache)
    assert warm.graph.node("pkg.services.helper").contexts == ("route:GET /report",)
    _assert_same_as_cold(warm, root)
    _edit(root, "pkg/models.py", "class Order", "# orders\n\n\nclass Order")
    warm = _run(root, cache)
    assert warm.graph.node("pkg.models.Order").line == 7
    _assert_same_as_cold(warm, root)
    _edit(root, "pkg/views.py", "    return helper()\n", "    return open_orders()\n")
    _assert_same_as_cold(_run(root, cache), root)


@pytest.fixture
def symbol_links(calls_of):
    """The modules whose symbols were linked, as (project, module)."""
    from analyzers.symbols import SymbolsAnalyzer

    return calls_of(SymbolsAnalyzer, "link_module")


def test_a_function_no_other_file_names_relinks_only_its_module(tree, tmp_path, data_links, symbol_links) -> None:
    root = tree(FILES)
    _run(root, tmp_path / "cache")
    symbol_links.clear()
    _edit(root, "pkg/services.py", "def helper():\n", "def brand_new():\n    return 2\n\n\ndef helper():\n")
    warm = _run(root, tmp_path / "cache")
    assert [module for _, module in symbol_links] == ["pkg.services"]
    assert len(data_links) == 1
    assert "pkg.services.brand_new" in warm.graph
    _assert_same_as_cold(warm, root)


def test_a_function_another_file_already_named_relinks_everything(tree, tmp_path, data_links, symbol_links) -> None:
    files = dict(FILES)
    files["pkg/consumer.py"] = "from pkg.services import brand_new\n\n\ndef use():\n    return brand_new()\n"
    root = tree(files)
    _run(root, tmp_path / "cache")
    symbol_links.clear()
    _edit(root, "pkg/services.py", "def helper():\n", "def brand_new():\n    return 2\n\n\ndef helper():\n")
    warm = _run(root, tmp_path / "cache")
    assert "pkg.consumer" in [module for _, module in symbol_links] and len(data_links) == 2
    assert "pkg.services.brand_new" in {e.target for e in warm.graph.edges_from("pkg.consumer.use")}
    _assert_same_as_cold(warm, root)


def test_a_method_with_a_common_name_relinks_everything(tree, tmp_path, symbol_links) -> None:
    root = tree(FILES)
    _run(root, tmp_path / "cache")
    symbol_links.clear()
    _edit(root, "pkg/models.py", "    total = models.IntegerField()\n", "    total = models.IntegerField()\n\n    def open_orders(self):\n        return 1\n")
    warm = _run(root, tmp_path / "cache")
    assert len(symbol_links) > 1  # ``open_orders`` is written in services and views
    _assert_same_as_cold(warm, root)


def test_a_new_function_called_from_another_edited_file(tree, tmp_path) -> None:
    root = tree(FILES)
    _run(root, tmp_path / "cache")
    _edit(root, "pkg/services.py", "def helper():\n", "def brand_new():\n    return 2\n\n\ndef helper():\n")
    _edit(root, "pkg/views.py", "    return open_orders()\n", "    import pkg.services\n    pkg.services.brand_new()\n    return open_orders()\n")
    warm = _run(root, tmp_path / "cache")
    assert warm.graph.node("pkg.services.brand_new").contexts == ("route:GET /orders",)
    _assert_same_as_cold(warm, root)


def test_a_damaged_graph_json_in_the_cache_is_merged_afresh(tree, tmp_path) -> None:
    root = tree(FILES)
    cache = tmp_path / "cache"
    _run(root, cache)
    wait_for_saves()
    kept = cache / "link" / "graph.json"
    kept.write_bytes(kept.read_bytes().replace(b'"source": ', b'"from": '))
    _edit(root, "pkg/views.py", "    return open_orders()\n", "    helper()\n    return open_orders()\n")
    warm = _run(root, cache)
    assert "patch" not in warm.seconds
    _assert_same_as_cold(warm, root)


def test_a_class_added_that_no_file_names_is_still_seen_as_a_model(tree, tmp_path) -> None:
    """A new class is never taken for an unnamed addition: the data link finds models among
    every module's classes, not only among the names that files write."""
    files = {
        "pkg/__init__.py": "",
        "pkg/db.py": "from sqlalchemy.orm import declarative_base\n\nBase = declarative_base()\n",
        "pkg/things.py": "from pkg.db import Base\n\n\ndef helper():\n    return 1\n",
    }
    root = tree(files)
    _run(root, tmp_path / "cache")
    with (root / "pkg/things.py").open("a") as handle:
        handle.write("\n\nclass Widget(Base):\n    pass\n")
    warm = _run(root, tmp_path / "cache")
    _assert_same_as_cold(warm, root)
