"""The shim's parts that make a suite building its app per test hold over HTTP, each alone: the
request naming its test and a service resetting its rate limiter's counters on a new one
(``per_test``); the suite's SQLAlchemy sessions committed and expired around a request, so that the
test reads what a service wrote (``databases.commit_sessions``); and what is noted as held in the
test's process only (``in_process``): a Mock set on an application object and never called there,
a ``g`` attribute the monolith's code misses."""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any
from unittest import mock

import pytest

from migrator.verify.adapters.own_suite_run import SHIM

sys.path.insert(0, str(SHIM))
from migrator_suite_shim import databases, flags, in_process, per_test  # noqa: E402


class _Limiter:
    def __init__(self) -> None:
        self.resets = 0

    def reset(self) -> None:
        self.resets += 1


def test_a_service_resets_its_rate_limits_when_a_request_names_a_new_test() -> None:
    limiter = _Limiter()
    app = SimpleNamespace(extensions={"limiter": {limiter}})
    flags.begin("tests/test_a.py::TestA::test_login[x y]")
    (name, value), = per_test.header()
    assert (name, value) == ("X-Migrator-Test", "tests%2Ftest_a.py%3A%3ATestA%3A%3Atest_login%5Bx%20y%5D")
    for test in (value, value, "other", "", "other"):
        per_test.started(app, SimpleNamespace(headers={"X-Migrator-Test": test} if test else {}))
    assert limiter.resets == 2  # each new test once; a request naming none (a probe) changes nothing
    flags.begin("")
    assert per_test.header() == []


def test_the_suite_s_sessions_read_what_another_process_committed(tmp_path: Path) -> None:
    from sqlalchemy import Column, Integer, String, create_engine, text
    from sqlalchemy.orm import Session, declarative_base

    base: Any = declarative_base()

    class Project(base):  # type: ignore[valid-type, misc]
        __tablename__ = "project"
        id = Column(Integer, primary_key=True)
        name = Column(String(20))

    engine = create_engine(f"sqlite:///{tmp_path / 'shared.db'}")
    base.metadata.create_all(engine)
    test_session = Session(engine)
    test_session.add(Project(id=1, name="raclette"))  # added, not committed: the view shares the session in process
    databases.commit_sessions()  # before the request
    with create_engine(f"sqlite:///{tmp_path / 'shared.db'}").begin() as service:  # the service
        assert service.execute(text("SELECT name FROM project")).scalar() == "raclette"
        loaded = test_session.get(Project, 1)
        service.execute(text("UPDATE project SET name = 'tartiflette'"))
    assert loaded is not None and loaded.name == "raclette"  # the identity map's row, read before the request
    databases.commit_sessions()  # after the request
    assert test_session.get(Project, 1).name == "tartiflette"
    test_session.close()


class Converter:  # an application's singleton, whose rates a test's fixture fakes
    def get_rates(self) -> dict[str, float]:
        return {}


@pytest.fixture
def mocks() -> Any:
    module = ModuleType("unittest.mock")
    module.NonCallableMock = mock.NonCallableMock  # type: ignore[attr-defined]
    module._patch = type("_patch", (), {"__enter__": lambda self: self})  # type: ignore[attr-defined]
    original = mock.NonCallableMock.__init__
    in_process.patch_mock(module)
    yield
    mock.NonCallableMock.__init__ = original  # type: ignore[method-assign]


def test_a_mock_set_on_an_application_object_and_never_called_in_process_is_noted(mocks: None) -> None:
    flags.begin("t")
    converter, other = Converter(), Converter()
    converter.get_rates = mock.MagicMock(return_value={"EUR": 1.0})  # type: ignore[method-assign]
    other.get_rates = mock.MagicMock(return_value={})  # type: ignore[method-assign]
    other.get_rates()
    local = mock.MagicMock()  # noqa: F841 - held by no application object
    in_process.note_unused_mocks()
    assert flags.reset() == ["Converter.get_rates replaced by a Mock in the test's process, never called there (the services run the real one)"]
    in_process.note_unused_mocks()
    assert flags.reset() == []  # forgotten as the test ends


def test_a_g_attribute_the_monolith_s_code_misses_is_noted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class Globals:  # Flask 1's has no __getattr__ (Flask 3's raises AttributeError)
        pass

    module = ModuleType("flask.ctx")
    module._AppCtxGlobals = Globals  # type: ignore[attr-defined]
    in_process.patch_flask_globals(module)
    (tmp_path / "models.py").write_text("def current(g):\n    return g.project\n")
    monkeypatch.setenv("MIGRATOR_SUITE_SOURCE", str(tmp_path))
    code = compile((tmp_path / "models.py").read_text(), str(tmp_path / "models.py"), "exec")
    namespace: dict[str, Any] = {}
    exec(code, namespace)  # noqa: S102 - the monolith's module, at its place
    flags.begin("t")
    assert getattr(Globals(), "x_arg", None) is None  # a library probing g: not the monolith's code
    with pytest.raises(AttributeError):
        namespace["current"](Globals())
    assert flags.reset() == ["g.project (set by a view in process; the services' g stays in their processes)"]


def test_a_patch_a_test_framework_starts_for_every_test_class_is_not_the_tests_own(monkeypatch: pytest.MonkeyPatch) -> None:
    """Django's SimpleTestCase patches ``ensure_connection`` for every class (chipy's every test was
    'not covered' for it, hiding a failure of the split); a patch the test starts itself is noted."""
    import json

    monkeypatch.setattr(mock._patch, "__enter__", mock._patch.__enter__)  # both restored after the test
    monkeypatch.setattr(mock.NonCallableMock, "__init__", mock.NonCallableMock.__init__)
    module = ModuleType("unittest.mock")
    module.NonCallableMock, module._patch = mock.NonCallableMock, mock._patch  # type: ignore[attr-defined]
    in_process.patch_mock(module)
    framework = ModuleType("django.test.testcases")
    exec("from unittest import mock\nimport json\ndef set_up_class():\n    patcher = mock.patch.object(json, 'loads')\n"
         "    patcher.start()\n    return patcher\n", framework.__dict__)
    flags.begin("t")
    framework.set_up_class().stop()
    assert flags.reset() == []
    flags.begin("t")
    with mock.patch("json.dumps"):
        assert isinstance(json.dumps, mock.MagicMock)
    assert flags.reset() == ["mock.patch of json.dumps (the services run the real one)"]
