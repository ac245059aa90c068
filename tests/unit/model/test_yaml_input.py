"""The strict YAML reader: a key written twice is an error with both lines; lines of entries."""

from __future__ import annotations

import pytest

from migrator.errors import MigratorError
from migrator.model.yaml_input import read_yaml


def test_a_key_written_twice_names_both_lines() -> None:
    with pytest.raises(MigratorError) as caught:
        read_yaml("a:\n  b: 1\n  c: 2\n  b: 3\n", source="f.yaml", hint="")
    assert caught.value.message == "f.yaml:4: key 'b' is written twice (first on line 2)"


def test_keys_equal_as_values_are_the_same_key() -> None:
    with pytest.raises(MigratorError, match="key True is written twice"):
        read_yaml("yes: 1\ntrue: 2\n", source="f.yaml", hint="")


def test_a_merge_key_may_be_overridden() -> None:
    document = read_yaml("base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  x: 3\n", source="f.yaml", hint="")
    assert document.data["other"] == {"x": 3, "y": 2}


def test_syntax_error_names_its_line_and_the_hint() -> None:
    with pytest.raises(MigratorError) as caught:
        read_yaml("a: [\n", source="f.yaml", hint="fix it")
    assert caught.value.message.startswith("f.yaml:2: not valid YAML (") and caught.value.hint == "fix it"


def test_line_of_an_entry_by_its_path() -> None:
    document = read_yaml("services:\n  a:\n    modules:\n      - x\n      - y\n", source="f.yaml", hint="")
    assert (document.line("services", "a"), document.line("services", "a", "modules", 1)) == (2, 5)
    assert document.line("nothing") is None


def test_libyaml_and_pyyaml_read_the_same_document_and_errors_keep_pyyaml_words() -> None:
    from migrator.model import yaml_input

    text = "services:\n  orders:\n    modules:\n      shop.orders: {reasons: [imports]}\n  catalog:\n    modules: {}\n"
    fast = yaml_input.read_yaml(text, source="d.yaml", hint="h")
    slow = yaml_input._read(text, yaml_input.StrictLoader, source="d.yaml", hint="h", error=yaml_input.MigratorError)
    assert fast.data == slow.data and fast.line("services", "catalog") == slow.line("services", "catalog") == 5
    broken = "services:\n  orders: [a\n  catalog: b: c\n"
    with pytest.raises(yaml_input.MigratorError) as fast_error:
        yaml_input.read_yaml(broken, source="d.yaml", hint="h")
    with pytest.raises(yaml_input.MigratorError) as slow_error:
        yaml_input._read(broken, yaml_input.StrictLoader, source="d.yaml", hint="h", error=yaml_input.MigratorError)
    assert str(fast_error.value) == str(slow_error.value)
