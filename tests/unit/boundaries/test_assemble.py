"""From domain units to the count asked for: which domains merge."""

from __future__ import annotations

import pytest

from migrator.boundaries.assemble import assemble
from migrator.boundaries.domains import Domain
from migrator.model.weighted import WeightedGraph


def _domains(units: dict[str, str]) -> dict[str, Domain]:
    return {unit: Domain(key, key, f"the authors' package {key}") for unit, key in units.items()}


@pytest.mark.parametrize(
    ("part", "whole", "weight", "merged", "parts"),
    [
        # names sharing a word: the merge to the count takes them first on equal ties
        ("oauth_session", "oauth_provider", 2.0, {"oauth_session": "oauth_provider"}, {}),
        # a domain named as a part of another joins it before any merge to the count, on weaker ties too
        ("user_field", "user", 1.0, {}, {"user_field": "user"}),
    ],
)
def test_a_domain_named_after_another_goes_with_it(part: str, whole: str, weight: float, merged: dict, parts: dict) -> None:
    units = {f"a.{part}": part, f"a.{whole}": whole, "a.tenant": "tenant"}
    view = WeightedGraph()
    view.add_tie(f"a.{part}", f"a.{whole}", weight, "calls")
    view.add_tie(f"a.{part}", "a.tenant", 2.0, "calls")
    assembly = assemble(view, sorted(units), _domains(units), set(units), target=2, fixed=set(), seed=42)
    assert (assembly.merged, assembly.parts) == (merged, parts)


def test_a_helper_every_domain_leans_on_does_not_decide_a_merge() -> None:
    units = {"a.order": "order", "a.invoice": "invoice", "a.product": "product", "a.stock": "stock", "a.registry": "registry"}
    view = WeightedGraph()
    for unit in ("a.order", "a.invoice", "a.product", "a.stock"):
        view.add_tie("a.registry", unit, 6.0 if unit == "a.product" else 5.0, "imports")  # it joins product
    view.add_tie("a.order", "a.invoice", 1.0, "calls")
    view.add_tie("a.product", "a.stock", 0.5, "calls")
    business = set(units) - {"a.registry"}
    assembly = assemble(view, sorted(units), _domains(units), business, target=3, fixed=set(), seed=42)
    assert assembly.joined == {"a.registry": "product"}
    assert assembly.merged in ({"order": "invoice"}, {"invoice": "order"})


def test_a_domain_named_like_a_helper_is_a_service_only_with_a_route_or_a_model() -> None:
    units = {"a.orders": "order", "a.dev_utils": "dev_util"}
    domains = {"a.orders": Domain("order", "orders", "package"), "a.dev_utils": Domain("dev_util", "dev_utils", "package")}
    view = WeightedGraph()
    view.add_tie("a.dev_utils", "a.orders", 1.0, "writes")
    # both write data (business), but only orders holds a route or defines a model (anchors)
    assembly = assemble(view, sorted(units), domains, set(units), target=None, fixed=set(), seed=42, anchors={"a.orders"})
    assert assembly.labels == {"a.orders": "order", "a.dev_utils": "order"} and assembly.joined == {"a.dev_utils": "order"}


def test_a_domain_named_as_a_part_of_another_joins_it_by_default_but_a_link_of_two_does_not() -> None:
    units = {f"a.{key}": key for key in ("user", "user_field", "user_field_value", "permission", "user_permission", "webhook", "webhook_log")}
    view = WeightedGraph()
    for unit in units:
        view.add_unit(unit)
    view.add_tie("a.user_field_value", "a.user_field", 1.0, "imports")
    view.add_tie("a.user_field", "a.user", 1.0, "imports")
    view.add_tie("a.user_permission", "a.user", 1.0, "imports")
    view.add_tie("a.user_permission", "a.permission", 1.0, "imports")
    view.add_tie("a.webhook_log", "a.user", 1.0, "imports")  # named as webhook's part, but not tied to it
    assembly = assemble(view, sorted(units), _domains(units), set(units), target=None, fixed=set(), seed=42)
    assert assembly.parts == {"user_field_value": "user_field", "user_field": "user"}
    assert assembly.labels["a.user_field_value"] == assembly.labels["a.user_field"] == "user"
    assert {assembly.labels[u] for u in ("a.user_permission", "a.permission", "a.webhook_log", "a.webhook")} == {
        "user_permission", "permission", "webhook_log", "webhook"}
    assert assembly.merged == {}
