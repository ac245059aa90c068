"""The link's second core: a share of a per-module link runs in a forked child."""

import os
import shutil
import time
from pathlib import Path

import pytest

from analyzers import default_analyzers
from analyzers.base import AnalysisOptions
from analyzers.symbols import SymbolsAnalyzer
from migrator.engine import graph_text, link, module_plan
from migrator.engine.forking import Forked, Later, fork_available
from migrator.engine.incremental import LinkStore, wait_for_saves
from migrator.engine.run import analyze_tree
from migrator.model.graph_json import dumps_json

SAMPLE = Path(__file__).resolve().parents[3] / "sample_monolith"

# only where the toolkit forks at all (Linux, as in CI); a machine with one core still runs them
needs_fork = pytest.mark.skipif(not fork_available(), reason="the toolkit forks only on Linux")


@pytest.fixture(autouse=True)
def _second_core(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forking is used from two cores on: the tests see two, whatever the machine has."""
    monkeypatch.setattr(os, "cpu_count", lambda: 2)


@needs_fork
def test_the_value_comes_from_a_child_process() -> None:
    with Forked(os.getpid) as child:
        assert child.result() != os.getpid()


@needs_fork
def test_a_task_that_fails_in_the_child_raises_here_with_its_own_exception() -> None:
    calls = []

    def task() -> None:
        calls.append(os.getpid())
        raise LookupError("no such module")

    with Forked(task) as child, pytest.raises(LookupError, match="no such module"):
        child.result()
    assert calls == [os.getpid()]  # the child's attempt is not in this process's list


@needs_fork
def test_leaving_the_block_stops_a_child_nobody_waits_for() -> None:
    started = time.perf_counter()
    with Forked(lambda: time.sleep(30)) as child:
        pid = child._pid
    assert time.perf_counter() - started < 10
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped, not left as a zombie


def test_without_fork_the_task_runs_here_when_asked() -> None:
    calls = []
    child = Forked(lambda: calls.append(os.getpid()) or 42, fork=False)
    assert calls == []
    assert child.result() == 42
    assert calls == [os.getpid()]


class _RecordingSymbols(SymbolsAnalyzer):
    """Symbols, noting which process linked each module."""

    log: Path

    def link_module(self, project, module):
        with self.log.open("a") as handle:
            handle.write(f"{os.getpid()} {module}\n")
        return super().link_module(project, module)


def _analyze(log: Path):
    recording = _RecordingSymbols()
    recording.log = log
    analyzers = [recording if a.name == "symbols" else a for a in default_analyzers()]
    return analyze_tree(SAMPLE, options=AnalysisOptions(use_cache=False), analyzers=analyzers)


def _share_above(monkeypatch: pytest.MonkeyPatch, lines: int, edges: int) -> None:
    """Links of ``lines`` lines or more, and graphs of ``edges`` edges or more, are shared."""
    monkeypatch.setattr(module_plan, "PARALLEL_LINK_LINES", lines)
    monkeypatch.setattr(graph_text, "PARALLEL_EDGES", edges)


def _record_forks(monkeypatch: pytest.MonkeyPatch, record) -> None:
    """``record(fork, then)`` for every child the engine forks (or would, with ``fork``)."""

    def forked(task, fork=True, then=None):
        record(fork, then)
        return Forked(task, fork=fork, then=then)

    for module in (link, module_plan, graph_text):
        monkeypatch.setattr(module, "Forked", forked)


def _alone_then_share(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The sample analysed in one process; afterwards, every link and graph is shared."""
    _share_above(monkeypatch, 10**9, 10**9)
    alone = _analyze(tmp_path / "alone.log")
    _share_above(monkeypatch, 0, 0)
    return alone


@needs_fork
def test_a_link_and_graph_shared_with_a_child_make_what_one_process_makes(tmp_path, monkeypatch) -> None:
    alone = _alone_then_share(tmp_path, monkeypatch)
    shared = _analyze(tmp_path / "shared.log")

    assert shared.graph_json == alone.graph_json == dumps_json(alone.graph)
    assert shared.notes == alone.notes and shared.skipped == alone.skipped
    assert shared.counts == alone.counts
    linked_by = {}
    for line in (tmp_path / "shared.log").read_text().splitlines():
        pid, module = line.split()
        linked_by.setdefault(module, set()).add(int(pid))
    assert all(len(pids) == 1 for pids in linked_by.values())  # each module linked once
    assert len(linked_by) == len((tmp_path / "alone.log").read_text().splitlines())
    assert {pid for pids in linked_by.values() for pid in pids} - {os.getpid()}  # the child took a share


@pytest.mark.parametrize("fork", [True, False])
def test_the_task_runs_once_however_often_its_value_is_asked(fork, tmp_path) -> None:
    log = tmp_path / "runs"

    def task() -> int:
        with log.open("a") as handle:
            handle.write("run\n")
        return 7

    with Forked(task, fork=fork) as child:
        assert [child.result(), child.result()] == [7, 7]
    assert log.read_text() == "run\n"


def test_one_worker_keeps_the_whole_analysis_in_one_process(tmp_path, monkeypatch) -> None:
    _share_above(monkeypatch, 0, 0)
    forks = []
    _record_forks(monkeypatch, lambda fork, then: forks.append(fork))
    recording = _RecordingSymbols()
    recording.log = tmp_path / "one.log"
    analyzers = [recording if a.name == "symbols" else a for a in default_analyzers()]
    analyze_tree(SAMPLE, options=AnalysisOptions(use_cache=False, workers=1), analyzers=analyzers)
    assert forks == [False]  # the edges' share, asked to stay here
    assert {int(line.split()[0]) for line in recording.log.read_text().splitlines()} == {os.getpid()}


@needs_fork
def test_the_scan_cache_saved_by_the_child_serves_the_next_run(tmp_path, monkeypatch) -> None:
    """With a child sharing the link, the child saves the scan cache: the next run reads it all,
    and a warm run after an edit, patched and relocated with forked children, equals a cold one."""
    _share_above(monkeypatch, 0, 0)
    tree = tmp_path / "tree"
    shutil.copytree(SAMPLE, tree, ignore=shutil.ignore_patterns("__pycache__"))
    options = AnalysisOptions(cache_dir=tmp_path / "cache")
    first = analyze_tree(tree, options=options)
    again = analyze_tree(tree, options=options)
    assert again.reused == again.files and again.graph_text == first.graph_text
    services = tree / "orders" / "services.py"
    services.write_text(services.read_text().replace("\ndef ", "\n# moved\ndef ", 1))
    warm = analyze_tree(tree, options=options)
    assert warm.reused == warm.files - 1
    cold = analyze_tree(tree, options=AnalysisOptions(use_cache=False))
    assert warm.graph_text == cold.graph_text and warm.counts == cold.counts


@needs_fork
def test_a_child_with_more_work_takes_payloads_sent_before_its_value_is_read() -> None:
    def then(payload, more):
        return (os.getpid(), payload * 2, more())

    with Forked(os.getpid, then=then) as child:
        child.send(21)  # before result(): a thread writes it while the child still runs its task
        child.send("next")
        pid = child.result()
        assert pid != os.getpid()
        assert child.second(lambda: "here") == (pid, 42, "next")


@needs_fork
def test_a_child_whose_second_task_fails_leaves_it_to_this_process() -> None:
    def then(payload, more):
        raise LookupError("broken")

    with Forked(os.getpid, then=then) as child:
        child.send("payload" * 100_000)  # bigger than a pipe's buffer
        child.result()
        assert child.second(lambda: "done here") == "done here"


def test_without_fork_the_second_task_is_done_here() -> None:
    child = Forked(lambda: 1, fork=False, then=lambda payload, more: "never")
    child.send("ignored")
    assert child.result() == 1
    assert child.second(lambda: "here") == "here"


@needs_fork
def test_a_waiting_child_nobody_sends_to_is_stopped_when_the_block_ends() -> None:
    with Forked(lambda: 1, then=lambda payload, more: payload) as child:
        assert child.result() == 1
        pid = child._pid
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


@needs_fork
def test_a_child_sends_its_second_value_before_the_work_that_follows_it(tmp_path) -> None:
    go = tmp_path / "go"

    def then(payload, more):
        def work() -> None:
            deadline = time.monotonic() + 30
            while not go.exists() and time.monotonic() < deadline:  # held until the value is here
                time.sleep(0.01)
            (tmp_path / "done").write_text(f"{go.exists()} {more()}")

        return Later(payload + 1, work)

    with Forked(lambda: 1, then=then) as child:
        child.send(41)
        child.send("saved")
        assert child.second(lambda: "here") == 42  # while the work waits for it
        finish = child.finisher()
    go.write_text("")
    # the block's end did not stop the child: its work finishes, and the wait says so
    assert finish() is True
    assert (tmp_path / "done").read_text() == "True saved"
    assert child.finisher()() is False  # handed over once


@needs_fork
def test_work_that_fails_after_the_value_is_reported_by_the_wait() -> None:
    def then(payload, more):
        return Later(payload, lambda: more())  # nothing more is sent: EOFError in the child

    with Forked(lambda: 1, then=then) as child:
        child.send("value")
        assert child.second(lambda: "here") == "value"
        finish = child.finisher()
    assert finish() is False


def test_without_later_work_there_is_nothing_to_wait_for() -> None:
    child = Forked(lambda: 1, fork=False, then=lambda payload, more: Later(payload, lambda: None))
    assert child.second(lambda: "here") == "here"
    assert child.finisher()() is False


@needs_fork
def test_the_link_saved_after_the_child_sent_its_edges_serves_the_next_run(tmp_path, monkeypatch) -> None:
    alone = _alone_then_share(tmp_path, monkeypatch)
    save_parts = LinkStore.save_parts

    def recording(self, parts):
        (tmp_path / f"saved-by-{os.getpid()}").write_text("")
        return save_parts(self, parts)

    monkeypatch.setattr(LinkStore, "save_parts", recording)
    options = AnalysisOptions(cache_dir=tmp_path / "cache-shared")
    first = analyze_tree(SAMPLE, options=options)
    wait_for_saves()
    saver_pids = [int(p.name.rsplit("-", 1)[1]) for p in tmp_path.glob("saved-by-*")]
    assert saver_pids and os.getpid() not in saver_pids  # the child saved the link
    again = analyze_tree(SAMPLE, options=options)
    assert again.graph_text == first.graph_text == alone.graph_text
    assert again.reused == again.files


def _edge_ranges_by_process(monkeypatch, log: Path) -> None:
    edges_side = graph_text._edges_side

    def recording(nodes, packs, low, high):
        with log.open("a") as handle:
            handle.write(f"{os.getpid()} {low is None}\n")
        return edges_side(nodes, packs, low, high)

    monkeypatch.setattr(graph_text, "_edges_side", recording)


@needs_fork
def test_the_child_that_linked_a_share_writes_the_first_edges_without_another_fork(tmp_path, monkeypatch) -> None:
    alone = _alone_then_share(tmp_path, monkeypatch)
    forks = []
    _record_forks(monkeypatch, lambda fork, then: forks.append(then))
    _edge_ranges_by_process(monkeypatch, tmp_path / "edges.log")
    shared = _analyze(tmp_path / "shared.log")

    assert shared.graph_text == alone.graph_text and shared.counts == alone.counts
    assert len(forks) == 1 and forks[0] is not None  # one child: the link's, kept for the edges
    symbols_child = {int(line.split()[0]) for line in (tmp_path / "shared.log").read_text().splitlines()} - {os.getpid()}
    ranges = dict(line.split() for line in (tmp_path / "edges.log").read_text().splitlines())
    assert ranges == {str(pid): "True" for pid in symbols_child} | {str(os.getpid()): "False"}


@needs_fork
def test_when_the_child_fails_at_the_edges_this_process_writes_them(tmp_path, monkeypatch) -> None:
    alone = _alone_then_share(tmp_path, monkeypatch)

    def broken(self, *args):
        raise MemoryError("the child ran out")

    monkeypatch.setattr(graph_text.GraphWriter, "edges_in_child", broken)
    shared = _analyze(tmp_path / "shared.log")
    assert shared.graph_text == alone.graph_text and shared.counts == alone.counts


@needs_fork
def test_with_no_child_sharing_the_symbols_the_data_link_gets_one_of_its_own(tmp_path, monkeypatch) -> None:
    from analyzers.data import DataAnalyzer

    alone = _alone_then_share(tmp_path, monkeypatch)
    monkeypatch.setattr(module_plan.ModulePlan, "share_with_child", lambda self, *args, **kwargs: False)
    data_link = DataAnalyzer.link

    def recording(self, project):
        (tmp_path / f"data-linked-by-{os.getpid()}").write_text("")
        return data_link(self, project)

    monkeypatch.setattr(DataAnalyzer, "link", recording)
    apart = _analyze(tmp_path / "apart.log")
    assert apart.graph_text == alone.graph_text and apart.counts == alone.counts
    assert apart.skipped == alone.skipped and apart.notes == alone.notes
    pids = [int(p.name.rsplit("-", 1)[1]) for p in tmp_path.glob("data-linked-by-*")]
    assert len(pids) == 1 and pids[0] != os.getpid()
