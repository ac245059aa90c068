"""Co-change edges from real (temporary) git repositories with scripted commits."""

import subprocess
from pathlib import Path

import pytest

from analyzers.base import AnalysisOptions
from analyzers.history import HistoryAnalyzer
from migrator.engine.run import analyze_tree
from migrator.model.facts import EdgeKind


class Repo:
    """A throw-away git repository; ``commit`` writes files and records one commit."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True)
        self.git("init", "-q")
        self.git("config", "user.name", "Test")
        self.git("config", "user.email", "test@example.com")
        self.git("config", "commit.gpgsign", "false")
        self.counter = 0

    def git(self, *args: str) -> str:
        return subprocess.run(["git", *args], cwd=self.path, check=True, capture_output=True, text=True).stdout

    def commit(self, *relpaths: str) -> str:
        """Change (or create) ``relpaths`` and commit them; returns the short hash."""
        self.counter += 1
        for relpath in relpaths:
            file = self.path / relpath
            file.parent.mkdir(parents=True, exist_ok=True)
            with file.open("a", encoding="utf-8") as handle:
                handle.write(f"x{self.counter} = {self.counter}\n")
            self.git("add", relpath)
        self.git("commit", "-q", "-m", f"change {self.counter}")
        return self.git("rev-parse", "--short=7", "HEAD").strip()


@pytest.fixture(autouse=True)
def _no_outer_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # git must not find a repository above the test's folder
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))


def _analyze(root: Path, **options):
    analysis = analyze_tree(root, analyzers=[HistoryAnalyzer()], options=AnalysisOptions(use_cache=False, **options))
    return analysis, {(e.source, e.target): e for e in analysis.graph.edges(EdgeKind.CO_CHANGES)}


def _package(repo: Repo) -> None:
    repo.commit("shop/__init__.py", "shop/a.py", "shop/b.py", "shop/c.py", "README.md")


def test_pairs_changed_together_often_enough(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    _package(repo)  # a, b, c together once
    ab = [repo.commit("shop/a.py", "shop/b.py") for _ in range(3)]
    ac = [repo.commit("shop/a.py", "shop/c.py", "README.md") for _ in range(2)]
    repo.commit("shop/b.py")
    analysis, edges = _analyze(repo.path, co_change_min=3)
    assert set(edges) == {("shop.a", "shop.b"), ("shop.a", "shop.c")}  # b and c: together once only
    a_b = edges[("shop.a", "shop.b")]
    # a changed 6 times, b 5, c 3
    assert (a_b.weight, a_b.attrs) == (4, {"commits": 4, "support": 0.8})
    assert a_b.evidence[:3] == tuple(reversed(ab))  # newest first
    a_c = edges[("shop.a", "shop.c")]
    assert (a_c.weight, a_c.attrs) == (3, {"commits": 3, "support": 1.0})
    assert a_c.evidence[:2] == tuple(reversed(ac))
    assert analysis.notes == []


def test_threshold_and_commit_limit(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    _package(repo)
    for _ in range(3):
        repo.commit("shop/a.py", "shop/b.py")
    _, edges = _analyze(repo.path, co_change_min=5)
    assert edges == {}
    _, edges = _analyze(repo.path, co_change_min=4)
    assert set(edges) == {("shop.a", "shop.b")}
    _, edges = _analyze(repo.path, co_change_min=3, history_commits=3)  # the first commit is not read
    assert edges[("shop.a", "shop.b")].attrs == {"commits": 3, "support": 1.0}
    _, edges = _analyze(repo.path, co_change_min=1, history_commits=0)
    assert edges == {}


def test_mass_edits_are_ignored(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    _package(repo)
    fillers = [f"shop/gen/m{i}.py" for i in range(48)]
    repo.commit("shop/a.py", "shop/b.py", *fillers)  # exactly 50 Python files: counted
    repo.commit("shop/a.py", "shop/b.py", "shop/c.py", *fillers)  # 51: a mass edit
    _, edges = _analyze(repo.path, co_change_min=2)
    assert edges[("shop.a", "shop.b")].attrs["commits"] == 2
    assert ("shop.a", "shop.c") not in edges and ("shop.b", "shop.c") not in edges


def test_root_in_a_subfolder_of_the_repository(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    for _ in range(3):
        repo.commit("backend/shop/__init__.py", "backend/shop/orders.py", "backend/shop/billing.py", "tools/deploy.py")
    _, edges = _analyze(repo.path / "backend", co_change_min=3)
    assert set(edges) == {
        ("shop", "shop.billing"),
        ("shop", "shop.orders"),
        ("shop.billing", "shop.orders"),
    }


def test_renamed_files_keep_their_history(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.commit("shop/__init__.py")
    for _ in range(2):
        repo.commit("shop/old_name.py", "shop/b.py")
    repo.git("mv", "shop/old_name.py", "shop/new_name.py")
    repo.git("commit", "-q", "-m", "rename")
    repo.commit("shop/new_name.py", "shop/b.py")
    _, edges = _analyze(repo.path, co_change_min=3)
    assert edges[("shop.b", "shop.new_name")].attrs == {"commits": 3, "support": 1.0}


def test_not_a_repository_is_a_note(tree) -> None:
    root = tree({"shop/__init__.py": "", "shop/a.py": ""})
    analysis, edges = _analyze(root)
    assert edges == {}
    assert analysis.notes == [f"history: {root.resolve()} is not a git repository; co-change skipped"]


def test_missing_git_is_a_note(tree, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tree({"shop/__init__.py": ""})
    monkeypatch.setenv("PATH", "")
    analysis, _ = _analyze(root)
    assert analysis.notes == ["history: git is not installed; co-change skipped"]


def test_a_repository_without_commits_has_no_edges_and_no_note(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    (repo.path / "a.py").write_text("", encoding="utf-8")
    analysis, edges = _analyze(repo.path)
    assert (edges, analysis.notes) == ({}, [])


def test_the_history_is_kept_for_its_head_and_read_again_after_a_commit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import analyzers.history

    repo = Repo(tmp_path / "repo")
    for _ in range(3):
        repo.commit("shop/__init__.py", "shop/a.py", "shop/b.py")
    logs = []
    real_git = analyzers.history._git

    def git(args, cwd, **kwargs):
        logs.extend(args[:1] if args[0] == "log" else [])
        return real_git(args, cwd, **kwargs)

    monkeypatch.setattr(analyzers.history, "_git", git)

    def co_changes(cache: Path) -> dict:
        analysis = analyze_tree(repo.path, analyzers=[HistoryAnalyzer()], options=AnalysisOptions(cache_dir=cache, co_change_min=3))
        return {(e.source, e.target): e.attrs["commits"] for e in analysis.graph.edges(EdgeKind.CO_CHANGES)}

    cache = tmp_path / "cache"
    assert co_changes(cache) == {("shop", "shop.a"): 3, ("shop", "shop.b"): 3, ("shop.a", "shop.b"): 3}
    assert co_changes(cache) == {("shop", "shop.a"): 3, ("shop", "shop.b"): 3, ("shop.a", "shop.b"): 3}
    assert logs == ["log"]  # the second run took the commits of the same HEAD from the cache
    repo.commit("shop/a.py", "shop/b.py")
    assert co_changes(cache) == {("shop", "shop.a"): 3, ("shop", "shop.b"): 3, ("shop.a", "shop.b"): 4}
    assert logs == ["log", "log"]
    (cache / analyzers.history.HISTORY_FILE).write_bytes(b"damaged")
    assert co_changes(cache)[("shop.a", "shop.b")] == 4
    assert logs == ["log", "log", "log"]
