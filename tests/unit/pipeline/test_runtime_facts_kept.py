"""generate's runtime facts kept between runs (migrator/pipeline/monolith.py: runtime_facts with a
cache folder): the same facts as without, taken from the cache while the modules' text is the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzers import runtime_facts as facts_module
from generators.service.render import ModuleSource
from migrator.model.graph import DependencyGraph
from migrator.pipeline.monolith import runtime_facts

APP = 'from flask import Flask\n\napp = Flask(__name__)\nDATABASE = "SHOP_DATABASE_URL"\n\n\ndef pay(order):\n    raise ValueError(order)\n'


def test_kept_facts_are_the_facts_and_are_made_again_when_a_module_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "shop"
    src.mkdir()
    sources = {"shop.app": ModuleSource("shop/app.py", APP, False)}
    plain = runtime_facts(DependencyGraph(), src, sources)
    assert runtime_facts(DependencyGraph(), src, sources, cache_dir=tmp_path / "cache") == plain
    assert plain.raising == {"shop.app.pay"} and plain.database_variables == ("SHOP_DATABASE_URL",)
    monkeypatch.setattr("migrator.pipeline.monolith.raising_functions", lambda texts: pytest.fail("read again"))
    assert runtime_facts(DependencyGraph(), src, sources, cache_dir=tmp_path / "cache") == plain
    monkeypatch.setattr("migrator.pipeline.monolith.raising_functions", facts_module.raising_functions)
    edited = {"shop.app": ModuleSource("shop/app.py", APP.replace("raise ValueError(order)", "return order"), False)}
    assert runtime_facts(DependencyGraph(), src, edited, cache_dir=tmp_path / "cache").raising == frozenset()


def test_the_monoliths_openapi_document_is_built_again_only_when_what_it_is_made_of_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from migrator.pipeline import monolith

    built: list[str] = []
    monkeypatch.setattr(monolith, "monolith_openapi", lambda src, factory, requirements: built.append(factory) or {"openapi": "3.1.0"})
    src = tmp_path / "shop"
    src.mkdir()
    sources = {"shop.app": ModuleSource("shop/app.py", APP, False)}

    def document(**changes: object) -> object:
        given = {"sources": sources, "files": {"shop/templates/a.html": b"<p>"}, "cache_dir": tmp_path / "cache", **changes}
        return monolith.kept_monolith_openapi(src, "shop.app:app", None, **given)  # type: ignore[arg-type]

    assert document() == document() == {"openapi": "3.1.0"} and len(built) == 1
    document(files={"shop/templates/a.html": b"<p>edited"})
    monkeypatch.setenv("SHOP_API_TITLE", "Shop")
    document(files={"shop/templates/a.html": b"<p>edited"})
    monkeypatch.setenv("OLDPWD", "/elsewhere")  # the shell's own: no application reads it
    document(files={"shop/templates/a.html": b"<p>edited"})
    assert len(built) == 3
