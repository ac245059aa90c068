"""On Django, each service keeps at its old place every module the shared library took from under a
package whose name the services keep (``render._old_places``): a module is the shared one, a package
a package of its own holding the shared one's names. Nothing where every package around it moved
whole (its name is rewritten everywhere), nothing for another framework."""

from __future__ import annotations

from dataclasses import replace

from generators.service.render import ModuleSource, render_services
from migrator.model.dependencies.declared import DeclaredRequirements
from migrator.model.hosting import DJANGO, Hosting
from migrator.model.service_plan import ServicePlan
from tests.plans import shop_plan

SOURCES = {
    "shop": ModuleSource("shop/__init__.py", "", True),
    "shop.common": ModuleSource("shop/common/__init__.py", "VERSION = 2\n", True),
    "shop.common.templatetags": ModuleSource("shop/common/templatetags/__init__.py", "", True),
    "shop.common.templatetags.money": ModuleSource("shop/common/templatetags/money.py", "register = object()\n", False),
    "shop.common.models": ModuleSource("shop/common/models.py", "LABELS = ()\n", False),
}
MOVED = ("shop.common", "shop.common.templatetags", "shop.common.templatetags.money")
DJANGO_HOSTING = Hosting(framework=DJANGO, target="shop.settings")


def _render(plan: ServicePlan, sources: dict[str, ModuleSource] = SOURCES) -> dict[str, str]:
    return render_services(plan, sources, handlers=(), requirements=DeclaredRequirements())


def test_a_split_apps_moved_modules_keep_their_place_in_every_service() -> None:
    files = _render(replace(shop_plan(), root_package="shop", shared_modules=MOVED, hosting=DJANGO_HOSTING))
    for folder in ("accounts", "catalog", "orders", "monolith"):
        money = files[f"{folder}/shop/common/templatetags/money.py"]
        assert "sys.modules[__name__] = import_module('shop_shared.common.templatetags.money')" in money
        package = files[f"{folder}/shop/common/__init__.py"]
        assert "_moved = import_module('shop_shared.common')" in package and "globals().update(" in package
        assert files[f"{folder}/shop/common/models.py"] == "LABELS = ()\n"  # what stays is the app's own copy
        for text in (money, package):
            compile(text, folder, "exec")
    assert files["shared/shop_shared/common/templatetags/money.py"] == "register = object()\n"


def test_nothing_where_the_whole_package_moved_nor_for_another_framework() -> None:
    whole = {m: s for m, s in SOURCES.items() if m != "shop.common.models"}
    files = _render(replace(shop_plan(), root_package="shop", shared_modules=("shop", *MOVED), hosting=DJANGO_HOSTING), whole)
    assert not [path for path in files if path.startswith("orders/shop/")]
    files = _render(replace(shop_plan(), root_package="shop", shared_modules=MOVED))  # no hosting found: not Django
    assert "orders/shop/common/templatetags/money.py" not in files and "orders/shop/common/models.py" in files
