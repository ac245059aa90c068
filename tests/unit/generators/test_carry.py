"""Carrying modules over with libcst: imports move, everything else stays byte for byte."""

from __future__ import annotations

import textwrap
from pathlib import Path

from generators.carry import carry_module, relocate

MOVES = {"shop.orders": "orders_service.orders", "shop.common": "shared_lib.common"}

BEFORE = textwrap.dedent('''\
    """Orders."""
    # keep this comment
    import shop.orders.models
    from . import models  # local
    from ..common.money import Money
    from shop.catalog.services import get_prices as prices

    def place():   # odd   spacing kept
        return prices(shop.orders.models.Order, models.Order, Money)
''')

AFTER = textwrap.dedent('''\
    """Orders."""
    # keep this comment
    import orders_service.orders.models
    from orders_service.orders import models  # local
    from shared_lib.common.money import Money
    from shop.catalog.services import get_prices as prices

    def place():   # odd   spacing kept
        return prices(orders_service.orders.models.Order, models.Order, Money)
''')


def test_imports_move_and_everything_else_is_kept() -> None:
    carried = carry_module(BEFORE, module="shop.orders.services", is_package=False, moves=MOVES, foreign=["shop.catalog"])
    assert carried.text == AFTER
    assert carried.foreign == ("shop.catalog",)


def test_relocate_takes_the_longest_moved_prefix() -> None:
    moves = {"shop": "platform", "shop.orders": "orders_service.orders"}
    assert relocate("shop.orders.models.Order", moves) == "orders_service.orders.models.Order"
    assert relocate("shop.app", moves) == "platform.app"
    assert relocate("django.db", moves) is None


def test_every_module_of_a_sample_service_carries_over_and_compiles() -> None:
    sample = Path(__file__).resolve().parents[3] / "sample_monolith"
    domains = [p.name for p in sample.iterdir() if (p / "__init__.py").is_file() and p.name not in ("tests", "common")]
    moves = {"sample_monolith.orders": "orders_service.orders", "sample_monolith.common": "shared_lib.common",
             "sample_monolith.utils": "shared_lib.utils"}
    foreign = sorted(f"sample_monolith.{d}" for d in domains if d != "orders")
    seen_foreign: set[str] = set()
    for path in sorted((sample / "orders").glob("*.py")):
        module = "sample_monolith.orders" + ("" if path.name == "__init__.py" else f".{path.stem}")
        carried = carry_module(path.read_text(), module=module, is_package=path.name == "__init__.py", moves=moves, foreign=foreign)
        compile(carried.text, str(path), "exec")
        assert "sample_monolith.orders" not in carried.text and "sample_monolith.common" not in carried.text
        seen_foreign.update(carried.foreign)
    # orders reaches catalog, inventory, notifications... in the monolith: those become clients
    assert {"sample_monolith.catalog", "sample_monolith.notifications"} <= seen_foreign


STRING_MOVES = {"shop.common": "lib.common", "shop.common.util": "lib.common.util"}
MODULES = {"shop", "shop.common", "shop.common.util", "shop.orders"}


def _carried(source: str, moves: dict[str, str] = STRING_MOVES, modules: set[str] = MODULES) -> str:
    return carry_module(textwrap.dedent(source), module="shop.settings", is_package=False, moves=moves, modules=modules).text


def test_strings_that_name_a_moved_module_follow_it() -> None:
    after = _carried('''\
        INSTALLED_APPS = ["shop.common", "shop.orders", 'shop.common.CommonConfig']
        ROOT_URLCONF = "shop.common.util"
        views = importlib.import_module(r"shop.common")
        APP = "shop.common:create_app"
    ''')
    assert after == textwrap.dedent('''\
        INSTALLED_APPS = ["lib.common", "shop.orders", 'lib.common.CommonConfig']
        ROOT_URLCONF = "lib.common.util"
        views = importlib.import_module(r"lib.common")
        APP = "lib.common:create_app"
    ''')


def test_only_whole_strings_are_names() -> None:
    source = '''\
        TEXT = "see shop.common for the money"
        PATH = "shop/common.py"
        DATA = b"shop.common"
        JOINED = "shop.common" ".util"
        DEEP = "shop.common.Money.cents"
        FORMATTED = f"shop.common"
        OTHER = "shop.orders"
    '''
    assert _carried(source) == textwrap.dedent(source)


def test_from_a_package_import_a_moved_module() -> None:
    after = _carried('''\
        from shop import common, orders
        from . import common as money
        from shop import (
            common,
        )
    ''')
    assert after == textwrap.dedent('''\
        from lib import common; from shop import orders
        from lib import common as money
        from lib import (
            common,
        )
    ''')


def test_a_module_that_stays_is_not_moved_with_the_package_around_it() -> None:
    moves = {"shop": "lib"}
    after = _carried("from shop import create_app, orders\nimport shop.orders\nfrom shop.orders import place\n", moves, MODULES)
    assert after == "from lib import create_app; from shop import orders\nimport shop.orders\nfrom shop.orders import place\n"


def test_a_shared_package_that_left_modules_behind_keeps_its_name_in_strings() -> None:
    moves = {"shop.orders": "lib.orders"}
    source = '''\
        INSTALLED_APPS = ["shop.orders"]
        CONFIG = "shop.orders.OrdersConfig"
        FACTORY = "shop.orders:create_app"
    '''
    assert _carried(source, moves, {"shop", "shop.orders", "shop.orders.models"}) == textwrap.dedent(source).replace(
        "shop.orders:", "lib.orders:")
    assert _carried(source, moves, {"shop", "shop.orders"}) == textwrap.dedent(source).replace("shop.orders", "lib.orders")


def test_without_the_monoliths_modules_strings_stay() -> None:
    assert _carried('APP = "shop.common"\n', STRING_MOVES, set()) == 'APP = "shop.common"\n'
