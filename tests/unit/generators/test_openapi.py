"""Per-service OpenAPI documents: the owned operations and exactly the schemas they reach."""

from __future__ import annotations

import json
from pathlib import Path

from openapi_spec_validator import validate

from analyzers.base import AnalysisOptions
from generators.openapi import render_openapi, service_document
from migrator.boundaries.propose import ProposeSettings, propose
from migrator.engine.run import analyze_tree
from migrator.model.service_plan import Endpoint, ServiceSpec
from migrator.planning.plan import build_plan
from migrator.planning.service_plan import build_service_plan

MONOLITH = {
    "openapi": "3.1.0",
    "info": {"title": "shop", "version": "1.2.0"},
    "paths": {
        "/orders": {"post": {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}}}}}},
        "/products": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Product"}}}}}}},
    },
    "components": {"schemas": {
        "Order": {"type": "object", "properties": {"lines": {"type": "array", "items": {"$ref": "#/components/schemas/Line"}}}},
        "Line": {"type": "object", "properties": {"sku": {"type": "string"}}},
        "Product": {"type": "object"},
    }},
}


def _spec(*routes: tuple[str, str]) -> ServiceSpec:
    return ServiceSpec("orders", 8001, (), (), tuple(Endpoint(m, p, "h") for m, p in routes), (), (), (), ())


def test_a_service_keeps_its_operations_and_the_schemas_they_reach() -> None:
    document = service_document(_spec(("POST", "/orders")), MONOLITH)
    assert list(document["paths"]) == ["/orders", "/healthz/live", "/healthz/ready", "/metrics"]  # and what every service serves
    assert sorted(document["components"]["schemas"]) == ["Line", "Order"]  # Line through Order, Product left out
    assert document["info"]["version"] == "1.2.0"
    validate(document)


def test_every_service_of_the_sample_gets_a_valid_document_covering_its_routes() -> None:
    from sample_monolith.app import create_app

    graph = analyze_tree(Path(__file__).resolve().parents[3] / "sample_monolith", options=AnalysisOptions(use_cache=False)).graph
    decomposition = propose(graph, ProposeSettings(services=10))
    plan = build_service_plan(graph, decomposition, build_plan(graph, decomposition))
    files = render_openapi(plan, create_app().openapi())
    operations = 0
    for name, text in files.items():
        document = json.loads(text)
        validate(document)
        operations += sum(1 for path, ops in document["paths"].items() for method in ops
                          if method in ("get", "post", "put", "patch", "delete")
                          and not path.startswith(("/internal/", "/healthz/", "/metrics")))
        spec = plan.service(name.split("/")[1].split(".")[0])
        assert {"/healthz/live", "/healthz/ready", "/metrics"} <= set(document["paths"])
        assert {e.path for e in spec.internal} <= set(document["paths"])
    assert operations == sum(len(s.routes) for s in plan.services) > 50


def test_routes_of_a_monolith_without_a_document_become_path_templates() -> None:
    from generators.openapi import openapi_path, route_document
    assert openapi_path("^api/v1/(?P<organizer>[^/]+)/events/$") == "/api/v1/{organizer}/events/"
    assert openapi_path("/items/<int:pk>/") == "/items/{pk}/"
    assert openapi_path("/files/{name:path}") == "/files/{name}"
    assert openapi_path(r"/x/(\d+)/y") == "/x/{part2}/y"  # an unnamed group is a parameter of its own
    spec = ServiceSpec("shop", 8001, (), (), (Endpoint("ANY", "^shop/(?P<slug>[-\\w]+)/$", "shop.views.page"),),
                       (), (), (), ())
    document = route_document(spec)
    validate(document)
    assert set(document["paths"]["/shop/{slug}/"]) == {"get", "post"}  # a view that takes any method
    assert document["paths"]["/shop/{slug}/"]["get"]["parameters"][0]["name"] == "slug"
