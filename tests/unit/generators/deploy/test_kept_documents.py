"""YAML texts kept between runs (generators/deploy/text.py: kept_documents): the same bytes whether
made or taken, and only data equal in every type and order takes a kept text."""

from __future__ import annotations

from generators.deploy import render_deployment
from generators.deploy.text import document_key, kept_documents, to_sorted_json, to_yaml, to_yaml_all
from tests.plans import awkward_plan

DATA = {"kind": "Deployment", "metadata": {"name": "orders", "labels": {"app": "orders"}}, "spec": {"replicas": 2, "ports": [8000, "8001"]}}


def test_a_deployment_rendered_again_from_kept_texts_is_the_same_bytes() -> None:
    plain = render_deployment(awkward_plan())
    with kept_documents({}) as made:
        first = render_deployment(awkward_plan())
    assert made and first == plain
    with kept_documents(made) as used:
        again = render_deployment(awkward_plan())
    assert again == plain and used == made


def test_a_kept_text_is_taken_only_for_data_equal_in_types_and_order() -> None:
    key = document_key(("document", DATA))
    with kept_documents({key: "taken: true\n"}) as used:
        assert to_yaml(DATA, header="generated") == "# generated\ntaken: true\n"
        assert to_yaml({**DATA, "spec": {"replicas": "2", "ports": [8000, "8001"]}}) != "taken: true\n"
        assert to_yaml(dict(reversed(DATA.items()))) != "taken: true\n"
        assert to_yaml_all([DATA]).startswith("---\n")
    assert used[key] == "taken: true\n" and len(used) == 4


def test_a_sorted_json_text_is_json_dumps_with_an_indent_and_kept() -> None:
    import json

    with kept_documents({}) as made:
        text = to_sorted_json(DATA)
    assert text == json.dumps(DATA, indent=2, sort_keys=True) + "\n" and list(made.values()) == [text]
    with kept_documents({document_key(("sorted json", DATA)): "{}\n"}) as used:
        assert to_sorted_json(DATA) == "{}\n"
        assert to_sorted_json({**DATA, "kind": "Service"}) != "{}\n"
    assert len(used) == 2


def test_the_dumpers_shortcuts_write_what_pyyaml_writes() -> None:
    import yaml

    from generators.deploy import text

    class Plain(yaml.SafeDumper):  # the dumper without its shortcuts (kept analyses, whole plain scalars)
        def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
            super().increase_indent(flow, False)

        def ignore_aliases(self, data: object) -> bool:
            return True

    odd = [{"a b": "x y", "k": "", "m": "line\nbreak", "u": "snow\u2028man", "n": None, "t": True, "l": ["- x", "a:b", "#c", "  lead", "trail "],
            "e": {}, "f": [], "deep": {"x": [{"y": "z"}, "w"]}}, "top", "top level", ["x"], "x" * 5000, "é ü"]
    for data in odd * 2:  # twice: the second time from the kept analyses
        for encoding in (None, "utf-8"):
            settings = {"allow_unicode": True, "default_flow_style": False, "width": 4096, "sort_keys": False, "encoding": encoding}
            assert yaml.dump(data, Dumper=text._Dumper, **settings) == yaml.dump(data, Dumper=Plain, **settings)
    assert to_yaml(DATA) == yaml.dump(DATA, Dumper=Plain, allow_unicode=True, default_flow_style=False, width=4096, sort_keys=False)
