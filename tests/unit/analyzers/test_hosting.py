"""Where the monolith's application is: each framework's usual places, found without running it."""

from __future__ import annotations

from analyzers.hosting import ModuleText, find_hosting
from migrator.model.hosting import ASGI, WSGI, Hosting


def _modules(**texts: str) -> dict[str, ModuleText]:
    """``{dotted module: text}``; a module named ``pkg.__init__`` is the package ``pkg``."""
    modules = {}
    for name, text in texts.items():
        dotted = name.replace("__", ".").removesuffix("._init_").removesuffix(".")
        is_package = name.endswith("__init_")
        path = dotted.replace(".", "/") + ("/__init__.py" if is_package else ".py")
        modules[dotted] = ModuleText(path, text)
    return modules


def test_django_settings_come_from_manage_py_before_wsgi_py() -> None:
    modules = _modules(
        manage="import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings.local')\n",
        site__wsgi="os.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"site.settings.production\")\n",
        site__settings__local="DEBUG = True\n", site__settings__production="DEBUG = False\n",
    )
    hosting = find_hosting(modules)
    assert (hosting.framework, hosting.target, hosting.interface, hosting.found_in) == ("django", "site.settings.local", WSGI, "manage.py")
    assert hosting.env == {"DJANGO_SETTINGS_MODULE": "site.settings.local"}


def test_a_settings_module_the_project_does_not_hold_is_not_taken() -> None:
    modules = _modules(manage="os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'elsewhere.settings')\n")
    assert find_hosting(modules) == Hosting()


def test_flask_an_object_built_by_the_factory_in_an_entry_file_beats_the_factory() -> None:
    modules = _modules(
        app__init_="from flask import Flask\n\ndef create_app(config_name):\n    app = Flask(__name__)\n    return app\n",
        flasky="from app import create_app\napp = create_app('default')\n",
    )
    hosting = find_hosting(modules)
    assert (hosting.framework, hosting.target, hosting.factory) == ("flask", "flasky:app", False)
    assert hosting.env == {"FLASK_APP": "flasky:app"}


def test_flask_a_factory_without_arguments_when_no_object_is_built() -> None:
    modules = _modules(shop__factory="import flask\n\ndef make(config=None):\n    return flask.Flask('shop')\n")
    hosting = find_hosting(modules)
    assert (hosting.target, hosting.factory) == ("shop.factory:make", True)


def test_flask_app_in_the_projects_flaskenv_wins() -> None:
    modules = _modules(wsgi="from flask import Flask\napp = Flask(__name__)\n", tools__admin="from flask import Flask\nadmin = Flask('admin')\n")
    assert find_hosting(modules).target == "wsgi:app"
    assert find_hosting(modules, {".flaskenv": "FLASK_APP=tools/admin.py\n"}).target == "tools.admin:admin"


def test_fastapi_in_a_src_layout_has_its_import_root() -> None:
    modules = {"shop.main": ModuleText("src/shop/main.py", "from fastapi import FastAPI\napp = FastAPI()\n"),
               "shop": ModuleText("src/shop/__init__.py", "")}
    hosting = find_hosting(modules)
    assert (hosting.framework, hosting.target, hosting.import_roots, hosting.interface) == ("fastapi", "shop.main:app", ("src",), ASGI)


def test_nothing_found_is_an_empty_hosting_served_as_asgi() -> None:
    hosting = find_hosting(_modules(tool="print('hello')\n", broken="def (:\n"))
    assert hosting == Hosting() and hosting.interface == ASGI


def test_hosting_round_trips_through_its_dictionary() -> None:
    hosting = Hosting("flask", "wsgi:app", False, ("src",), {"FLASK_APP": "wsgi:app"}, "src/wsgi.py")
    assert Hosting.from_dict(hosting.to_dict()) == hosting and Hosting.from_dict(None) == Hosting()
