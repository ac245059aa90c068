from analyzers.base import AnalysisOptions
from analyzers.imports import ImportsAnalyzer
from migrator.engine.run import analyze_tree
from migrator.model.facts import EdgeKind, NodeKind

OPTIONS = AnalysisOptions(use_cache=False)


def _imports(root):
    analysis = analyze_tree(root, analyzers=[ImportsAnalyzer()], options=OPTIONS)
    return analysis, {(e.source, e.target): e for e in analysis.graph.edges(EdgeKind.IMPORTS)}


def test_module_imports_with_flags_and_evidence(tree) -> None:
    root = tree({
        "src/shop/__init__.py": "",
        "src/shop/models.py": "import requests\nimport os\n",
        "src/shop/api.py": """
            from typing import TYPE_CHECKING
            from shop import models
            from .models import thing
            if TYPE_CHECKING:
                from shop.services import Service
            def handler():
                from shop import tasks
        """,
        "src/shop/services.py": "",
        "src/shop/tasks.py": "",
    })
    _, edges = _imports(root)
    assert set(edges) == {
        ("shop.api", "shop.models"),
        ("shop.api", "shop.services"),
        ("shop.api", "shop.tasks"),
        ("shop.models", "requests"),
    }
    models = edges[("shop.api", "shop.models")]
    assert (models.weight, models.evidence, models.attrs) == (2, ("src/shop/api.py:2", "src/shop/api.py:3"), {})
    assert edges[("shop.api", "shop.services")].attrs == {"type_checking": True}
    assert edges[("shop.api", "shop.tasks")].attrs == {"in_function": True}
    assert edges[("shop.models", "requests")].attrs == {"external": True}


def test_external_packages_are_nodes_and_stdlib_is_left_out(tree) -> None:
    root = tree({"app/__init__.py": "import django.db\nimport json\nfrom celery import shared_task\n"})
    analysis, edges = _imports(root)
    assert [n.id for n in analysis.graph.nodes(NodeKind.EXTERNAL)] == ["celery", "django"]
    assert set(edges) == {("app", "celery"), ("app", "django")}


def test_several_roots_and_top_level_modules(tree) -> None:
    root = tree({
        "manage.py": "import web.settings\n",
        "web/__init__.py": "",
        "web/settings.py": "from core import util\n",
        "lib/core/__init__.py": "",
        "lib/core/util.py": "",
    })
    analysis, edges = _imports(root)
    assert set(edges) == {("manage", "web.settings"), ("web.settings", "core.util")}
    assert analysis.notes == []


def test_a_file_grimp_cannot_parse_falls_back_to_our_scan(tree) -> None:
    root = tree({
        "pkg/__init__.py": "",
        "pkg/a.py": "from pkg import b\n",
        "pkg/b.py": "",
        "pkg/legacy.py": "print 'python 2'\n",
    })
    analysis, edges = _imports(root)
    assert set(edges) == {("pkg.a", "pkg.b")}
    assert any("grimp could not build the graph" in note for note in analysis.notes)
    assert [(s.relpath, s.line) for s in analysis.skipped] == [("pkg/legacy.py", 1)]


def test_a_package_named_like_an_installed_one_is_read_from_the_tree(tree) -> None:
    # ``yaml`` is installed here; the tree's own ``yaml`` must be the one analysed
    root = tree({"yaml/__init__.py": "from yaml import loader\n", "yaml/loader.py": "from . import nodes\n", "yaml/nodes.py": ""})
    _, edges = _imports(root)
    assert set(edges) == {("yaml", "yaml.loader"), ("yaml.loader", "yaml.nodes")}


CLIMBING = {
    "pkg/__init__.py": "",
    "pkg/a.py": "from pkg import b\n",
    "pkg/b.py": "",
    "pkg/deep/__init__.py": "",
    "pkg/deep/bad.py": "x = 1\nfrom .....test import Test\n",
}


def test_a_relative_import_above_the_top_package_skips_grimp_and_says_where(tree) -> None:
    # grimp's Rust core panics on this file (seen in Django's tests/sphinx/testdata), after
    # reading every file: known from our own scan, it is not asked at all
    analysis, edges = _imports(tree(CLIMBING))
    assert ("pkg.a", "pkg.b") in edges
    assert analysis.notes == [
        "imports: grimp cannot read pkg/deep/bad.py:2 (a relative import above the top-level package); used migrator's own scan"
    ]


def test_grimp_panic_on_a_file_our_scan_does_not_see_falls_back(tree) -> None:
    # excluded from our scan, the file is still read by grimp (it reads whole packages)
    root = tree(CLIMBING)
    analysis = analyze_tree(root, analyzers=[ImportsAnalyzer()], options=OPTIONS, excludes=("pkg/deep/bad.py",))
    edges = {(e.source, e.target) for e in analysis.graph.edges(EdgeKind.IMPORTS)}
    assert ("pkg.a", "pkg.b") in edges
    assert any("grimp could not build the graph" in note for note in analysis.notes)


def test_imports_nested_in_methods_and_inner_functions_are_found_in_every_function_that_holds_one(tree) -> None:
    # the summary walks only the function bodies whose lines hold the word "import"
    root = tree({
        "shop/__init__.py": "",
        "shop/api.py": """
            class Handler:
                def get(self):
                    def inner():
                        from shop import tasks
                    return inner

                def post(self):
                    return "no import statement here"
            async def later():
                x = 1
                import shop.models as m
        """,
        "shop/tasks.py": "",
        "shop/models.py": "",
    })
    _, edges = _imports(root)
    assert set(edges) == {("shop.api", "shop.tasks"), ("shop.api", "shop.models")}
    assert edges[("shop.api", "shop.tasks")].evidence == ("shop/api.py:4",)
    assert edges[("shop.api", "shop.models")].attrs == {"in_function": True}


def test_modules_of_namespace_packages_inside_a_package_have_their_imports(tree) -> None:
    root = tree({
        "shop/__init__.py": "",
        "shop/api.py": "from shop.core.logger import config\n",
        "shop/core/logger/config.py": "from shop import models\nfrom . import formats\n",
        "shop/core/logger/formats.py": "",
        "shop/models.py": "",
    })
    analysis, edges = _imports(root)
    assert "imports: " not in " ".join(analysis.notes)  # grimp read the packages; the rest came from our scan
    assert set(edges) == {
        ("shop.api", "shop.core.logger.config"),
        ("shop.core.logger.config", "shop.models"),
        ("shop.core.logger.config", "shop.core.logger.formats"),
    }
