"""``default_analyzers``: the analyzers imported on first use, their class attributes known before."""

from __future__ import annotations

import importlib
import importlib.resources
import pickle
import subprocess
import sys

from analyzers import DEFAULT, default_analyzers
from analyzers.base import Analyzer

KNOWN = ("name", "version", "cacheable", "per_module", "summary_view", "link_apart")


def test_the_known_attributes_are_the_classes():
    for module, cls, known in DEFAULT:
        analyzer = getattr(importlib.import_module(module), cls)
        assert issubclass(analyzer, Analyzer)
        assert set(known) == set(KNOWN)
        assert {name: getattr(analyzer, name) for name in KNOWN} == known, f"{module}.{cls}: change DEFAULT with the class"


def test_every_analyzer_module_is_listed():
    import analyzers

    listed = {module for module, _, _ in DEFAULT}
    found = {
        f"analyzers.{path.stem if path.is_file() else path.name}"
        for path in importlib.resources.files(analyzers).iterdir()  # type: ignore[attr-defined]
        if (path.name.endswith(".py") or (path.is_dir() and (path / "__init__.py").is_file()))
    }
    for name in sorted(found):
        module = importlib.import_module(name)
        classes = [v for v in vars(module).values() if isinstance(v, type) and issubclass(v, Analyzer) and v is not Analyzer
                   and v.__module__ == name and not getattr(v, "__abstractmethods__", None)]
        assert not classes or name in listed, f"{name} defines {classes} but DEFAULT lacks it"


def test_a_deferred_analyzer_is_the_analyzer_once_used():
    for deferred, (module, cls, known) in zip(default_analyzers(), DEFAULT):
        assert deferred.name == known["name"]
        real = getattr(importlib.import_module(module), cls)()
        assert deferred.link.__func__ is real.link.__func__
        assert deferred.scan.__func__ is real.scan.__func__
        copy = pickle.loads(pickle.dumps(deferred))
        assert copy.name == deferred.name and copy.link.__func__ is real.link.__func__


def test_making_them_imports_none():
    code = ("import sys; from analyzers import default_analyzers; found = default_analyzers(); "
            "[(a.name, a.version, a.cacheable, a.per_module, a.summary_view, a.link_apart) for a in found]; "
            "print(sorted(m for m in sys.modules if m.startswith('analyzers.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
