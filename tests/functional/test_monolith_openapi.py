"""The monolith's own OpenAPI document comes from its application imported in an environment of
its own requirements (uv, cached), never migrator's interpreter: a FastAPI app on pydantic 1 builds
its document with its own FastAPI and pydantic."""

from __future__ import annotations

from pathlib import Path

from migrator.pipeline.dependencies import declared_requirements
from migrator.pipeline.generation import monolith_requirements
from migrator.pipeline.monolith import monolith_openapi
from tests.corpus import FASTAPI_TEMPLATE_CONFIG, configured_copy

APP = '''
import pydantic
from fastapi import FastAPI

app = FastAPI(title=f"on pydantic {pydantic.VERSION}")


class Item(pydantic.BaseModel):
    name: str


@app.get("/items/{item_id}", response_model=Item)
def read_item(item_id: int) -> Item:
    return Item(name=str(item_id))
'''


def test_the_document_is_built_on_the_applications_own_stack(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("fastapi==0.99.1\npydantic==1.10.18\n", encoding="utf-8")
    package = tmp_path / "shop"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "main.py").write_text(APP, encoding="utf-8")
    document = monolith_openapi(package, "shop.main:app", declared_requirements(package))
    assert document is not None
    assert document["info"]["title"] == "on pydantic 1.10.18"
    assert "/items/{item_id}" in document["paths"] and "Item" in document["components"]["schemas"]


def test_an_application_that_does_not_import_gives_no_document(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("fastapi==0.99.1\n", encoding="utf-8")
    package = tmp_path / "shop"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "main.py").write_text("import a_module_nobody_has\n", encoding="utf-8")
    assert monolith_openapi(package, "shop.main:app", declared_requirements(package)) is None


def test_a_project_folder_holding_its_packages_imports_them_from_itself(tmp_path: Path) -> None:
    # the FastAPI template: migrate is given backend/, whose package app/ is imported as app (not backend.app)
    source = configured_copy("full-stack-fastapi-template", tmp_path, "") / "backend"
    (source / "pyproject.toml").write_text((source / "pyproject.toml").read_text(encoding="utf-8") + FASTAPI_TEMPLATE_CONFIG, encoding="utf-8")
    document = monolith_openapi(source, "app.main:app", monolith_requirements(source))
    assert document is not None
    assert document["info"]["title"] == "Full Stack FastAPI Project"  # its settings read from [tool.migrator.env]
    assert "/api/v1/items/" in document["paths"] and "ItemPublic" in document["components"]["schemas"]
