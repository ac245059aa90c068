""".importlinter and tach.toml for any service name: read back by the readers of the tools that
use them (import-linter's own INI reader, tomllib), names unchanged."""

from __future__ import annotations

import configparser
import tomllib

import pytest
from importlinter.adapters.user_options import IniFileUserOptionReader

from generators.boundaries import contract_id, render_importlinter, render_tach
from migrator.errors import MigratorError
from migrator.model.plan import BoundaryContract

HOSTILE = ("a]\n[evil", "x = y", "a:b", "100%", "semi;colon", "#hash", "tab\tname", "My Cart", "cart.v2", "Café", "%(x)s")


def _contracts(names: tuple[str, ...] = HOSTILE) -> list[BoundaryContract]:
    modules = {name: f"shop.part{i}" for i, name in enumerate(names)}
    contracts = [
        BoundaryContract(name, (module, f"{module}.inner"), tuple(sorted(m for n, m in modules.items() if n != name)))
        for name, module in modules.items()
    ]
    return [*contracts, BoundaryContract("shared", ("shop.common", "shop.util"), tuple(sorted(modules.values())))]


def _read_as_import_linter(text: str) -> dict[str, dict[str, object]]:
    config = configparser.ConfigParser()  # import-linter's reader: interpolation on
    config.read_string(text)
    options = IniFileUserOptionReader()._build_from_config(config)
    assert options.session_options == {"root_packages": ["shop"]}
    return {str(contract.pop("id")): contract for contract in options.contracts_options}


def test_every_service_name_reaches_import_linter_as_written() -> None:
    contracts = _read_as_import_linter(render_importlinter(_contracts()))
    assert len(contracts) == len(HOSTILE) + 1
    for contract in _contracts():
        read = contracts[contract_id(contract.part)]
        title = "The shared library imports no service" if contract.part == "shared" else f"Service {contract.part} imports no other service"
        assert read == {
            "name": title.replace("\n", " ").replace("\t", " "),  # one line: the only change INI forces
            "type": "forbidden",
            "source_modules": list(contract.sources),
            "forbidden_modules": list(contract.forbidden),
            "allow_indirect_imports": "True",
        }


def test_contract_ids_are_tokens_and_stay_apart() -> None:
    ids = [contract_id(name) for name in HOSTILE]
    assert len(set(ids)) == len(ids)
    assert contract_id("cart.v2") == "cart.v2" and contract_id("orders_api") == "orders_api"
    assert all(":" not in i and "]" not in i and i == i.strip() for i in ids)  # import-linter takes the id after the last ':'


def test_tach_toml_keeps_every_module_name_exactly() -> None:
    contracts = [BoundaryContract("a", ('shop.a"b', "shop.café"), ("shop.b",)), BoundaryContract("shared", ("shop.u\\v",), ('shop.a"b',))]
    document = tomllib.loads(render_tach(contracts))
    assert document["modules"] == [
        {"path": 'shop.a"b', "depends_on": ["shop.café", "shop.u\\v"]},
        {"path": "shop.café", "depends_on": ['shop.a"b', "shop.u\\v"]},
        {"path": "shop.u\\v", "depends_on": [], "utility": True},
    ]


def test_no_contract_still_makes_files_the_tools_read() -> None:
    config = configparser.ConfigParser()
    config.read_string(render_importlinter([]))
    assert config.sections() == ["importlinter"]
    assert "modules" not in tomllib.loads(render_tach([]))


def test_a_module_name_ini_cannot_hold_is_refused_by_name() -> None:
    with pytest.raises(MigratorError, match="#weird"):
        render_importlinter([BoundaryContract("a", ("#weird",), ("shop.b",))])
