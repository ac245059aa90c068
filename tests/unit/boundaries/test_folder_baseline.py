"""The folder baseline of benchmarks/propose_corpus.py: one group per top-level package, as the
authors cut the code, before it is merged or split to a count."""

from __future__ import annotations

import sys
from pathlib import Path

from migrator.model.facts import Edge, EdgeKind, Node, NodeKind
from migrator.model.graph import DependencyGraph

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "benchmarks"))

from propose_corpus import folder_baseline  # noqa: E402  (the benchmarks folder is not a package)

APPS = ("meetings", "talks", "sponsors")


def django_graph() -> DependencyGraph:
    """A Django project: apps under ``site.apps``, a helper package, loose settings and urls."""
    graph = DependencyGraph("/site")
    modules = ["site.settings", "site.urls", "site.wsgi", "site.libs.text"]
    packages = ["site", "site.apps", "site.libs"]
    for app in APPS:
        packages.append(f"site.apps.{app}")
        modules += [f"site.apps.{app}.models", f"site.apps.{app}.views"]
    for name in packages:
        graph.add_node(Node(name, NodeKind.PACKAGE, name.replace(".", "/") + "/__init__.py", 1))
    for name in modules:
        graph.add_node(Node(name, NodeKind.MODULE, name.replace(".", "/") + ".py", 1))
    for app in APPS:
        graph.add_edge(Edge(f"site.apps.{app}.views", f"site.apps.{app}.models", EdgeKind.IMPORTS))
        graph.add_edge(Edge("site.urls", f"site.apps.{app}.views", EdgeKind.IMPORTS))
        graph.add_edge(Edge(f"site.apps.{app}.views", "site.libs.text", EdgeKind.IMPORTS))
    return graph


def test_an_apps_own_package_module_is_the_apps_and_loose_modules_make_one_group() -> None:
    graph = django_graph()
    units = sorted(n.id for n in graph.nodes(NodeKind.MODULE, NodeKind.PACKAGE))
    groups = folder_baseline(graph, units, len(APPS) + 2)  # the apps, libs and (root): nothing merged or split
    for app in APPS:
        assert groups[f"site.apps.{app}"] == groups[f"site.apps.{app}.models"] == groups[f"site.apps.{app}.views"] == app
    assert {groups[u] for u in ("site", "site.apps", "site.settings", "site.urls", "site.wsgi")} == {"(root)"}
    assert groups["site.libs"] == groups["site.libs.text"] == "libs"


def test_merged_to_a_count_the_apps_stay_apart_while_helpers_and_loose_modules_go() -> None:
    graph = django_graph()
    units = sorted(n.id for n in graph.nodes(NodeKind.MODULE, NodeKind.PACKAGE))
    groups = folder_baseline(graph, units, len(APPS))
    assert len(set(groups.values())) == len(APPS)
    apps = [{groups[f"site.apps.{app}.models"], groups[f"site.apps.{app}.views"], groups[f"site.apps.{app}"]} for app in APPS]
    assert all(len(found) == 1 for found in apps)
    assert len(set().union(*apps)) == len(APPS)
