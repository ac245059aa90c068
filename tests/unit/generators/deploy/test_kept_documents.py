"""YAML texts kept between runs (generators/deploy/text.py: kept_documents): the same bytes whether
made or taken, and only data equal in every type and order takes a kept text."""

from __future__ import annotations

from generators.deploy import render_deployment
from generators.deploy.text import document_key, kept_documents, to_yaml, to_yaml_all
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
