"""A Django app the shared library splits (its package, AppConfig and template tag library shared,
its model left in a service) is still found by its place in every service: ``{% load shout_tags %}``
resolves where the service's settings name the app, as Django looks for it, and the app's own
AppConfig is the one found. Django is not installed here: a stand-in of the two classes the project
imports from it, and Django's lookup as ``django/template/backends/django.py`` and
``django/apps/config.py`` do it (tests/e2e/test_django_app_places.py boots the real thing)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.cli import invoke
from tests.django_site import write_site

STAND_IN = {
    "django/__init__.py": "",
    "django/template/__init__.py": (
        "class Library:\n"
        "    def __init__(self):\n"
        "        self.filters = {}\n\n"
        "    def filter(self, name):\n"
        "        def register(function):\n"
        "            self.filters[name] = function\n"
        "            return function\n"
        "        return register\n"
    ),
    "django/apps/__init__.py": "class AppConfig:\n    pass\n",
}

LOOKUP = """\
import importlib, inspect, json, os, pkgutil, sys
from django.apps import AppConfig
settings = importlib.import_module(sys.argv[1])
found = {"libraries": {}, "configs": {}}
for app in settings.INSTALLED_APPS:
    if app.startswith("django."):
        continue
    candidate = app + ".templatetags"
    try:
        package = importlib.import_module(candidate)
    except ImportError:
        package = None
    for info in pkgutil.walk_packages(getattr(package, "__path__", []), candidate + "."):
        module = importlib.import_module(info.name)
        if hasattr(module, "register"):
            found["libraries"][info.name.removeprefix(candidate + ".")] = [module.__name__, sorted(module.register.filters)]
    try:
        configs = importlib.import_module(app + ".apps")
    except ImportError:
        continue
    found["configs"][app] = [c.__name__ for _, c in inspect.getmembers(configs, inspect.isclass) if issubclass(c, AppConfig) and c is not AppConfig]
print(json.dumps(found))
"""
"""What Django finds of each installed app: ``{% load %}``'s libraries (``get_template_tag_modules``:
every module of ``<app>.templatetags`` holding ``register``, by its name there) and the AppConfig
classes of ``<app>.apps`` (``AppConfig.create``)."""


def test_a_split_apps_tag_library_and_app_config_are_found_in_every_service(tmp_path: Path) -> None:
    source = write_site(tmp_path / "site")
    out = tmp_path / "out"
    result = invoke("generate", str(source), "--decomposition", str(tmp_path / "site.decomposition.yaml"), "-o", str(out), "--quiet")
    assert result.exit_code == 0, result.output + result.stderr
    system = json.loads((out / "system.json").read_text(encoding="utf-8"))
    assert "site_app.common.templatetags.shout_tags" in system["plan"]["shared_modules"]
    assert "site_app.common.models" in next(s for s in system["plan"]["services"] if s["name"] == "blog")["modules"]
    for path, text in STAND_IN.items():
        (tmp_path / "stand-in" / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "stand-in" / path).write_text(text, encoding="utf-8")
    for service in system["services"]:
        home = out / service["dir"]
        assert (home / "site_app" / "blog" / "templates" / "blog" / "posts.html").is_file()
        path = [str(tmp_path / "stand-in"), str(home), str(out / "shared")]
        settings = f"{service['package']}.django_settings"  # the service's own: the project's, its INSTALLED_APPS as carried
        ran = subprocess.run([sys.executable, "-c", f"import sys; sys.path[:0] = {path!r}\n{LOOKUP}", settings],
                             capture_output=True, text=True, cwd=home, env={"PATH": "/usr/bin:/bin"}, timeout=120)
        assert ran.returncode == 0, ran.stderr
        found = json.loads(ran.stdout)
        # the one module the shared library holds answers {% load shout_tags %}, under the app's name in the service
        assert found["libraries"] == {"shout_tags": ["site_shared.site_app.common.templatetags.shout_tags", ["shout"]]}, service["name"]
        assert found["configs"] == {"site_app.common": ["CommonConfig"]}, service["name"]  # its label and verbose name, not a default one
